"""Transaction result texts and rippled's RPC errors (rippled ``TER.cpp``, ``ErrorCodes.cpp``)."""

from __future__ import annotations

from typing import Any, Final

from .constants import JsonDict

#: Human text of every result code the engine produces (rippled ``TER.cpp``).
_RESULT_MESSAGES: Final[dict[str, str]] = {
    "tesSUCCESS": "The transaction was applied. Only final in a validated ledger.",
    "tecDST_TAG_NEEDED": "A destination tag is required.",
    "tecINSUFF_FEE": "Insufficient balance to pay fee.",
    "tecNEED_MASTER_KEY": "The operation requires the use of the Master Key.",
    "tecNO_ALTERNATIVE_KEY": "The operation would remove the ability to sign transactions with the account.",
    "tecNO_DST": "Destination does not exist. Send XRP to create it.",
    "tecNO_DST_INSUF_XRP": "Destination does not exist. Too little XRP sent to create it.",
    "tecNO_PERMISSION": "No permission to perform requested operation.",
    "tecOWNERS": "Non-zero owner count.",
    "tecPATH_DRY": "Path could not send partial amount.",
    "tecUNFUNDED_PAYMENT": "Insufficient XRP balance to send.",
    "tefALREADY": "The exact transaction was already in this ledger.",
    "tefBAD_AUTH": "Transaction's public key is not authorized.",
    "tefINTERNAL": "Internal error.",
    "tefMASTER_DISABLED": "Master key is disabled.",
    "tefMAX_LEDGER": "Ledger sequence too high.",
    "tefNOT_MULTI_SIGNING": "Account has no appropriate list of multi-signers.",
    "tefNO_TICKET": "Ticket is not in ledger.",
    "tefPAST_SEQ": "This sequence number has already passed.",
    "tefWRONG_PRIOR": "This previous transaction does not match.",
    "telBAD_DOMAIN": "Domain too long.",
    "telBAD_PUBLIC_KEY": "Public key is not valid.",
    "telINSUF_FEE_P": "Fee insufficient.",
    "telNETWORK_ID_MAKES_TX_NON_CANONICAL": "Transactions submitted to this node/network must NOT include a NetworkID field.",
    "telNO_DST_PARTIAL": "Partial payment to create account not allowed.",
    "telREQUIRES_NETWORK_ID": "Transactions submitted to this node/network must include a correct NetworkID field.",
    "telWRONG_NETWORK": "Transaction specifies a Network ID that differs from that of the local node.",
    "temBAD_AMOUNT": "Malformed: Bad amount.",
    "temBAD_CURRENCY": "Malformed: Bad currency.",
    "temBAD_FEE": "Invalid fee, negative or not XRP.",
    "temBAD_REGKEY": "Malformed: Regular key cannot be same as master key.",
    "temBAD_SEND_XRP_LIMIT": "Malformed: Limit quality is not allowed for XRP to XRP.",
    "temBAD_SEND_XRP_MAX": "Malformed: Send max is not allowed for XRP to XRP.",
    "temBAD_SEND_XRP_NO_DIRECT": "Malformed: No Ripple direct is not allowed for XRP to XRP.",
    "temBAD_SEND_XRP_PARTIAL": "Malformed: Partial payment is not allowed for XRP to XRP.",
    "temBAD_SEND_XRP_PATHS": "Malformed: Paths are not allowed for XRP to XRP.",
    "temBAD_SIGNATURE": "Malformed: Bad signature.",
    "temBAD_SRC_ACCOUNT": "Malformed: Bad source account.",
    "temBAD_TICK_SIZE": "Malformed: Tick size out of range.",
    "temBAD_TRANSFER_RATE": "Malformed: Transfer rate must be >= 1.0 and <= 2.0",
    "temDISABLED": "The transaction requires logic that is currently disabled.",
    "temDST_NEEDED": "Destination not specified.",
    "temINVALID": "The transaction is ill-formed.",
    "temINVALID_FLAG": "The transaction has an invalid flag.",
    "temMALFORMED": "Malformed transaction.",
    "temREDUNDANT": "The transaction is redundant.",
    "temSEQ_AND_TICKET": "Transaction contains a TicketSequence and a non-zero Sequence.",
    "terINSUF_FEE_B": "Account balance can't pay fee.",
    "terNO_ACCOUNT": "The source account does not exist.",
    "terOWNERS": "Non-zero owner count.",
    "terPRE_SEQ": "Missing/inapplicable prior transaction.",
    "terPRE_TICKET": "Ticket is not yet in ledger.",
}

#: rippled RPC errors: token -> (error_code, default error_message) (rippled ``ErrorCodes.cpp``).
_RPC_ERRORS: Final[dict[str, tuple[int, str]]] = {
    "actMalformed": (35, "Account malformed."),
    "actNotFound": (19, "Account not found."),
    "dstActNotFound": (50, "Destination account not found."),
    "excessiveLgrRange": (78, "Ledger range exceeds 1000."),
    "internal": (73, "Internal error."),
    "invalidLgrRange": (79, "Ledger range is invalid."),
    "invalidParams": (31, "Invalid parameters."),
    "lgrIdxMalformed": (58, "Ledger index malformed."),
    "lgrIdxsInvalid": (57, "Ledger indexes invalid."),
    "lgrNotFound": (21, "Ledger not found."),
    "lgrNotValidated": (22, "Ledger not validated."),
    "notImpl": (74, "Not implemented."),
    "notSupported": (75, "Operation not supported."),
    "srcActNotFound": (67, "Source account not found."),
    "txnNotFound": (29, "Transaction not found."),
    "unknownCmd": (32, "Unknown method."),
    "wrongNetwork": (4, "Wrong network."),
}


def transaction_result_message(code: str) -> str:
    """Return rippled's human-readable text for a transaction result code such as ``tefPAST_SEQ``.

    Source: rippled ``TER.cpp``, listed on https://xrpl.org/docs/references/protocol/transactions/transaction-results.
    """
    return _RESULT_MESSAGES.get(code, "-")


class RpcError(Exception):
    """A rippled API error: ``payload`` is the error part of a JSON-RPC ``result`` object.

    ``RpcError("actNotFound")`` gives ``{"error": "actNotFound", "error_code": 19,
    "error_message": "Account not found."}`` (https://xrpl.org/docs/references/http-websocket-apis/api-conventions/error-formatting).
    """

    def __init__(self, token: str, message: str | None = None, **extra: Any) -> None:
        code, default_message = _RPC_ERRORS[token]
        self.payload: JsonDict = {
            "error": token,
            "error_code": code,
            "error_message": message if message is not None else default_message,
            **extra,
        }
        super().__init__(f"{token}: {self.payload['error_message']}")

    @classmethod
    def bare(cls, token: str, **extra: Any) -> RpcError:
        """An error rippled reports without ``error_code``/``error_message`` (e.g. ``invalidTransaction``)."""
        error = cls.__new__(cls)
        error.payload = {"error": token, **extra}
        Exception.__init__(error, token)
        return error
