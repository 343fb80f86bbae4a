"""What every transactor needs: the ledger's fee and reserve rules, the signing account, the fee due."""

from __future__ import annotations

from typing import Protocol

from xrpl.core import keypairs

from ..codec import is_public_key
from ..constants import LSF_PASSWORD_SPENT
from ..objects import AccountRoot, ParsedTx


class LedgerRules(Protocol):
    """The ledger settings transactors read (``LedgerEngine`` provides them; amounts in drops)."""

    network_id: int | None
    base_fee_drops: int
    reserve_base_drops: int

    def reserve_drops(self, owner_count: int) -> int:
        """Account reserve for ``owner_count`` owned objects."""
        ...


def signer_address(parsed: ParsedTx) -> str | None:
    """The classic address of the key that signed, or None for a malformed key."""
    if not is_public_key(parsed.signing_pub_key):
        return None
    return str(keypairs.derive_classic_address(parsed.signing_pub_key))


def fee_due(rules: LedgerRules, parsed: ParsedTx, root: AccountRoot) -> int:
    """Minimum fee in drops: the reference fee per signature (https://xrpl.org/docs/concepts/transactions/transaction-cost)."""
    if (
        parsed.transaction_type == "SetRegularKey"
        and parsed.signing_pub_key
        and signer_address(parsed) == parsed.account
        and not root.flags & LSF_PASSWORD_SPENT
    ):
        return 0  # the one free SetRegularKey ("key reset transaction")
    return rules.base_fee_drops * (1 + parsed.signer_count)
