"""Key custody: generate XRPL keypairs and keep their seeds encrypted with Fernet.

MultiFernet with the keys of WALLET_FERNET_KEYS, newest first: the first key encrypts, every
key decrypts, `rotate()` re-encrypts under the newest
(https://cryptography.io/en/latest/fernet/#cryptography.fernet.MultiFernet).
"""

from __future__ import annotations

from typing import Any

from cryptography.fernet import Fernet, MultiFernet
from xrpl.wallet import Wallet

from ..domain.model import NewKeypair, SignedPayment
from .signer import sign_transaction

__all__ = ["FernetKeyGenerator", "SeedVault"]


class SeedVault:
    """Encrypts and decrypts seeds. Never logs, prints or returns them anywhere else.

    Args:
        keys: Fernet keys, newest first.
    Raises:
        ValueError: no key, or a key that is not a Fernet key.
    """

    def __init__(self, keys: list[str]) -> None:
        self._fernet = MultiFernet([Fernet(k) for k in keys])

    def __repr__(self) -> str:
        return "SeedVault(<keys hidden>)"

    def encrypt(self, seed: str) -> str:
        """Ciphertext (a Fernet token) of `seed` under the newest key."""
        return self._fernet.encrypt(seed.encode()).decode()

    def decrypt(self, token: str) -> str:
        """The seed inside `token`.

        Raises:
            cryptography.fernet.InvalidToken: no configured key opens it.
        """
        return self._fernet.decrypt(token.encode()).decode()

    def rotate(self, token: str) -> str:
        """`token` re-encrypted under the newest key (for key rotation)."""
        return self._fernet.rotate(token.encode()).decode()


class FernetKeyGenerator:
    """Generates Ed25519 XRPL accounts (xrpl-py's default) and hands out only the encrypted seed;
    signs with a seed it decrypts only for the moment of signing."""

    def __init__(self, vault: SeedVault) -> None:
        self.vault = vault

    def generate(self) -> NewKeypair:
        wallet = Wallet.create()
        seed = wallet.seed
        if seed is None:  # Wallet.create always derives from a new seed
            raise RuntimeError("xrpl-py created a wallet without a seed")
        return NewKeypair(
            address=wallet.address,
            public_key=wallet.public_key,
            encrypted_seed=self.vault.encrypt(seed),
        )

    def sign(self, encrypted_seed: str, tx_json: dict[str, Any]) -> SignedPayment:
        """Sign `tx_json` (XRPL JSON, already checked by the domain) with the decrypted seed.

        Signatures are deterministic (Ed25519, and RFC 6979 for secp256k1), so signing the same
        prepared transaction twice gives the same blob and hash.
        Raises:
            cryptography.fernet.InvalidToken: no configured key opens the seed.
            xrpl.models.exceptions.XRPLModelException: `tx_json` is not a valid transaction.
            ValueError: `tx_json` is a Batch inner transaction.
        """
        return sign_transaction(self.vault.decrypt(encrypted_seed), tx_json)
