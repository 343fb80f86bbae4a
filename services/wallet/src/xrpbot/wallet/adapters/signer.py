"""Single-signing of an XRPL transaction, with OpenSSL's Ed25519 instead of pure Python.

xrpl-py signs Ed25519 in pure Python (ECPy), and `Wallet.from_seed` signs and verifies a test
message on every derivation; both cost most of the wallet's CPU per payment. Here the seed is
decoded and the raw private key derived with xrpl-py's own functions (the first half of SHA-512
of the seed's 16 bytes: https://xrpl.org/docs/concepts/accounts/cryptographic-keys#ed25519-key-derivation),
the public key and the signature come from `cryptography` (RFC 8032 Ed25519, deterministic, so
the result is byte for byte what xrpl-py's `xrpl.transaction.sign` gives; the unit tests pin it).
secp256k1 seeds stay on xrpl-py.
"""

from __future__ import annotations

from hashlib import sha512
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from xrpl import CryptoAlgorithm
from xrpl.core.addresscodec import decode_seed
from xrpl.core.binarycodec import encode, encode_for_signing
from xrpl.core.keypairs.helpers import sha512_first_half
from xrpl.models.transactions import Transaction
from xrpl.models.transactions.transaction import TransactionFlag
from xrpl.transaction import sign
from xrpl.wallet import Wallet

from ..domain.model import SignedPayment

__all__ = ["sign_transaction"]

# The hash of a signed transaction is SHA-512Half of "TXN\0" followed by its binary form
# (https://xrpl.org/docs/references/protocol/data-types/basic-data-types#hash-prefixes).
_SIGNED_TRANSACTION_PREFIX = bytes.fromhex("54584E00")
_ED25519_KEY_PREFIX = "ED"  # https://xrpl.org/docs/concepts/accounts/cryptographic-keys#key-types


def sign_transaction(seed: str, tx_json: dict[str, Any]) -> SignedPayment:
    """Single-sign `tx_json` (XRPL JSON, classic addresses) with the account of `seed`.

    Args:
        seed: the account's family seed (`sEd...` for Ed25519, `s...` for secp256k1).
        tx_json: the unsigned transaction, without SigningPubKey or TxnSignature.
    Returns:
        The signed blob (hex) and its hash, equal to xrpl-py's `sign` of the same transaction.
    Raises:
        xrpl.core.addresscodec.XRPLAddressCodecException: `seed` is not a seed.
        xrpl.models.exceptions.XRPLModelException: `tx_json` is not a valid transaction.
        ValueError: `tx_json` is a Batch inner transaction (never signed on its own).
    """
    decoded_seed, algorithm = decode_seed(seed)
    transaction = Transaction.from_xrpl(tx_json)
    if algorithm is not CryptoAlgorithm.ED25519:
        signed = sign(transaction, Wallet.from_seed(seed))
        return SignedPayment(tx_blob=encode(signed.to_xrpl()), tx_hash=signed.get_hash())
    if transaction.has_flag(TransactionFlag.TF_INNER_BATCH_TXN):
        raise ValueError("a Batch inner transaction is not signed on its own")
    private_key = Ed25519PrivateKey.from_private_bytes(sha512_first_half(decoded_seed))
    prepared = transaction.to_xrpl()
    prepared["SigningPubKey"] = (
        _ED25519_KEY_PREFIX + private_key.public_key().public_bytes_raw().hex().upper()
    )
    signature = private_key.sign(bytes.fromhex(encode_for_signing(prepared)))
    prepared["TxnSignature"] = signature.hex().upper()
    tx_blob = encode(prepared)
    digest = sha512(_SIGNED_TRANSACTION_PREFIX + bytes.fromhex(tx_blob)).digest()
    return SignedPayment(tx_blob=tx_blob, tx_hash=digest[:32].hex().upper())
