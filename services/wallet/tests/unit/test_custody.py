"""Seed custody: Fernet keys, rotation, and settings that refuse to start without a valid key."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet, InvalidToken
from pydantic import ValidationError
from xrpl.wallet import Wallet

from xrpbot.wallet.adapters.keys import FernetKeyGenerator, SeedVault
from xrpbot.wallet.config import WalletSettings


def test_generated_seed_is_stored_only_encrypted_and_opens_the_address() -> None:
    key = Fernet.generate_key().decode()
    vault = SeedVault([key])
    pair = FernetKeyGenerator(vault).generate()
    seed = vault.decrypt(pair.encrypted_seed)
    assert seed not in pair.encrypted_seed
    assert Wallet.from_seed(seed).address == pair.address
    assert key not in repr(vault)


def test_rotation_reencrypts_under_the_newest_key() -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    token = SeedVault([old]).encrypt("sEdSECRET")
    rotated = SeedVault([new, old]).rotate(token)
    assert SeedVault([new]).decrypt(rotated) == "sEdSECRET"
    with pytest.raises(InvalidToken):
        SeedVault([old]).decrypt(rotated)


def test_settings_refuse_a_missing_or_invalid_key_without_echoing_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("WALLET_FERNET_KEYS", raising=False)
    with pytest.raises(ValidationError):
        WalletSettings()
    monkeypatch.setenv("WALLET_FERNET_KEYS", "not-a-key-SECRETVALUE")
    with pytest.raises(ValidationError) as err:
        WalletSettings()
    assert "SECRETVALUE" not in str(err.value.errors(include_input=False))


def test_settings_accept_several_keys_newest_first(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = [Fernet.generate_key().decode() for _ in range(2)]
    monkeypatch.setenv("WALLET_FERNET_KEYS", ",".join(keys))
    monkeypatch.setenv("SIGNING_REQUEST_KEYS", "n" * 32 + ", " + "o" * 32)
    settings = WalletSettings()
    assert settings.fernet_keys == keys
    assert settings.request_keys == (b"n" * 32, b"o" * 32)


def test_settings_refuse_a_short_signing_key_without_echoing_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WALLET_FERNET_KEYS", Fernet.generate_key().decode())
    monkeypatch.delenv("SIGNING_REQUEST_KEYS", raising=False)
    with pytest.raises(ValidationError):
        WalletSettings()
    monkeypatch.setenv("SIGNING_REQUEST_KEYS", "x" * 32 + ",SHORTSECRET")
    with pytest.raises(ValidationError) as err:
        WalletSettings()
    assert "key #2" in str(err.value)
    assert "SHORTSECRET" not in str(err.value.errors(include_input=False))
