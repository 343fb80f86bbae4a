"""The one parser of what users type: amounts, currencies, destinations, destination tags.

Pure (no I/O): the gateway reads /send, its step-by-step flow, fiat amounts and /receive with
it, and the transfer service reads RequestTransfer with it again, with authority; both get the
same answer for the same text. Nothing raises for any string: each function returns a value or
a `Refused` with a stable `ErrorCode`, which the gateway puts in words.

The rules:
- numbers: ASCII digits 0-9 only (any other digit — Arabic-Indic (U+0660-0669), full-width (U+FF10-FF19),
  superscript "²" — is refused: digits_not_ascii), a dot for decimals, no exponent ("1e3":
  amount_has_exponent), no comma ("1,000", "0,5": amount_has_comma);
- XRP: more than 0, at most 6 decimals (one drop), at most 100,000,000,000 XRP (all there is:
  amount_too_large); the result is exact int drops;
- fiat: a code of `xrpbot.schemas.FIAT_CURRENCIES`, at most 2 decimals, an exact Decimal;
  `drops_for_fiat` converts it at a price, rounding down to a drop;
- currency codes in any case ("XRP", "xrp", "usd");
- destinations: @username, classic address or X-address (xrpl-py's codec, checksum
  included), black holes refused; an X-address's network flag is returned to the caller;
- destination tags: 0 to 4,294,967,295 in ASCII digits.
The grammar is in `amounts` and `destinations` and in shared/parsing/README.md; never float.
"""

from .amounts import (
    DROPS_PER_XRP,
    FIAT_DECIMALS,
    MAX_DROPS,
    MAX_FIAT_DIGITS,
    XRP_DECIMALS,
    FiatValue,
    XrpAmount,
    drops_for_fiat,
    format_drops,
    has_other_digits,
    is_currency_word,
    parse_amount,
    parse_xrp_amount,
)
from .destinations import (
    BLACK_HOLES,
    UINT32_MAX,
    AddressDestination,
    UsernameDestination,
    parse_destination,
    parse_tag,
)
from .refused import Refused

__all__ = [
    "BLACK_HOLES",
    "DROPS_PER_XRP",
    "FIAT_DECIMALS",
    "MAX_DROPS",
    "MAX_FIAT_DIGITS",
    "UINT32_MAX",
    "XRP_DECIMALS",
    "AddressDestination",
    "FiatValue",
    "Refused",
    "UsernameDestination",
    "XrpAmount",
    "drops_for_fiat",
    "format_drops",
    "has_other_digits",
    "is_currency_word",
    "parse_amount",
    "parse_destination",
    "parse_tag",
    "parse_xrp_amount",
]
