"""What a submitted blob is and whether it passes rippled's ``checkValidity``: signature and local checks."""

from __future__ import annotations

from typing import Final

from xrpl.core import keypairs
from xrpl.core.addresscodec import is_valid_classic_address
from xrpl.core.binarycodec import decode, encode
from xrpl.core.binarycodec.binary_wrappers import BinaryParser

from .codec import decode_account_id, is_hex, is_public_key, transaction_hash
from .constants import MEMO_MAX_BYTES, PSEUDO_TRANSACTION_TYPES
from .errors import RpcError
from .objects import ParsedTx

_SINGLE_SIGN_PREFIX: Final = b"STX\x00"  # HashPrefix::txSign
_MULTI_SIGN_PREFIX: Final = b"SMT\x00"  # HashPrefix::txMultiSign


def _signing_fields(blob_hex: str) -> bytes:
    """The serialized signing fields of a transaction blob, in the blob's (canonical) order.

    Source: https://xrpl.org/docs/references/protocol/binary-format#signing-field
    """
    raw = bytes.fromhex(blob_hex)
    parser = BinaryParser(blob_hex)
    kept = bytearray()
    while not parser.is_end():
        start = len(raw) - len(parser)
        field_instance = parser.read_field()
        parser.read_field_value(field_instance)
        if field_instance.is_signing:
            kept += raw[start : len(raw) - len(parser)]
    return bytes(kept)


def parse_transaction(raw: bytes) -> ParsedTx:
    """Decode a signed blob; raises `RpcError` invalidTransaction when it does not decode or lacks a required field."""
    blob = raw.hex().upper()
    try:
        tx_json = decode(blob)
    except Exception as exc:  # the binary codec raises several exception types
        raise RpcError.bare("invalidTransaction", error_exception=str(exc)) from None
    missing = [
        name
        for name in ("TransactionType", "Account", "Sequence", "Fee", "SigningPubKey")
        if name not in tx_json
    ]
    transaction_type = tx_json.get("TransactionType")
    if transaction_type == "Payment":
        missing += [name for name in ("Amount", "Destination") if name not in tx_json]
    if missing:
        raise RpcError.bare(
            "invalidTransaction",
            error_exception=f"Field '{missing[0]}' is required but missing.",
        )
    account = str(tx_json["Account"])
    ticket = tx_json.get("TicketSequence")
    return ParsedTx(
        hash=transaction_hash(raw),
        blob=blob,
        tx_json=tx_json,
        account=account,
        account_id=decode_account_id(account),
        transaction_type=str(transaction_type),
        sequence=int(tx_json["Sequence"]),
        ticket_sequence=int(ticket) if ticket is not None else None,
        signing_pub_key=str(tx_json.get("SigningPubKey", "")),
    )


def check_signature(parsed: ParsedTx) -> str | None:
    """rippled ``STTx::checkSign``: returns the failure reason, or None when the signature is good.

    The signed data is taken from the blob's own bytes (its signing fields), as rippled
    serializes them, so values xrpl-py would refuse to encode are still verified exactly.
    """
    tx_json = parsed.tx_json
    spk = parsed.signing_pub_key
    signers = tx_json.get("Signers")
    if spk:
        if signers is not None:
            return "Cannot both single- and multi-sign."
        signature = tx_json.get("TxnSignature")
        try:
            valid = (
                is_public_key(spk)
                and isinstance(signature, str)
                and keypairs.is_valid_message(
                    _SINGLE_SIGN_PREFIX + _signing_fields(parsed.blob),
                    bytes.fromhex(signature),
                    spk,
                )
            )
        except Exception:  # a malformed key or signature is simply an invalid signature
            valid = False
        return None if valid else "Invalid signature."
    if not isinstance(signers, list) or not signers:
        return "Empty SigningPubKey." if signers is None else "Invalid Signers array size."
    if "TxnSignature" in tx_json:
        return "Cannot both single- and multi-sign."
    if len(signers) > 32:
        return "Invalid Signers array size."
    last = b""
    signed_fields = _signing_fields(parsed.blob)
    for wrapper in signers:
        signer = wrapper.get("Signer", {}) if isinstance(wrapper, dict) else {}
        address = str(signer.get("Account", ""))
        if not is_valid_classic_address(address):
            return "Invalid signature."
        signer_id = decode_account_id(address)
        if address == parsed.account:
            return "Invalid multisigner."
        if signer_id == last:
            return "Duplicate Signers not allowed."
        if signer_id < last:
            return "Unsorted Signers array."
        last = signer_id
        try:
            valid = is_public_key(str(signer.get("SigningPubKey", ""))) and (
                keypairs.is_valid_message(
                    _MULTI_SIGN_PREFIX + signed_fields + signer_id,
                    bytes.fromhex(str(signer.get("TxnSignature", ""))),
                    str(signer["SigningPubKey"]),
                )
            )
        except Exception:  # a malformed key or signature is simply an invalid signature
            valid = False
        if not valid:
            return f"Invalid signature on account {address}."
    return None


def local_check_failure(parsed: ParsedTx) -> str | None:
    """rippled ``passesLocalChecks``: memo rules and no pseudo-transactions."""
    memos = parsed.tx_json.get("Memos")
    if memos is not None:
        try:
            size = len(bytes.fromhex(encode({"Memos": memos}))) - 2
        except Exception:  # a memo array the codec cannot serialize is not a Memo array
            return "A memo array may contain only Memo objects."
        if size > MEMO_MAX_BYTES:
            return "The memo exceeds the maximum allowed size."
        for wrapper in memos:
            if not isinstance(wrapper, dict) or set(wrapper) != {"Memo"}:
                return "A memo array may contain only Memo objects."
            for name, value in wrapper["Memo"].items():
                if name not in ("MemoType", "MemoData", "MemoFormat"):
                    return "A memo may contain only MemoType, MemoData or MemoFormat fields."
                if not is_hex(value):
                    return (
                        "The MemoType, MemoData and MemoFormat fields may only contain "
                        "hex-encoded data."
                    )
                if name != "MemoData" and not all(
                    chr(b).isalnum() or chr(b) in "-._~:/?#[]@!$&'()*+,;=%"
                    for b in bytes.fromhex(value)
                ):
                    return (
                        "The MemoType and MemoFormat fields may only contain characters that "
                        "are allowed in URLs under RFC 3986."
                    )
    if parsed.transaction_type in PSEUDO_TRANSACTION_TYPES:
        return "Cannot submit pseudo transactions."
    return None
