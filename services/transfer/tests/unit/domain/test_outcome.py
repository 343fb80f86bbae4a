"""A signed payment's outcome is decided from validated ledgers only."""

from __future__ import annotations

from xrpbot.transfer.domain.outcome import LedgerTx, OutcomeKind, decide_outcome


def test_outcomes_come_only_from_validated_ledgers() -> None:
    sent = LedgerTx(True, True, "tesSUCCESS", 20, 5)
    assert (
        decide_outcome(sent, validated_index=30, last_ledger_sequence=25).kind is OutcomeKind.SENT
    )
    tec = LedgerTx(True, True, "tecNO_DST_INSUF_XRP", 20)
    assert (
        decide_outcome(tec, validated_index=21, last_ledger_sequence=25).kind
        is OutcomeKind.REJECTED
    )
    seen = LedgerTx(found=True)
    assert (
        decide_outcome(seen, validated_index=25, last_ledger_sequence=25).kind
        is OutcomeKind.PENDING
    )
    assert (
        decide_outcome(seen, validated_index=26, last_ledger_sequence=25).kind
        is OutcomeKind.EXPIRED
    )
    unknown_gap = LedgerTx(found=False, searched_all=False)
    assert (
        decide_outcome(unknown_gap, validated_index=40, last_ledger_sequence=25).kind
        is OutcomeKind.PENDING
    ), "with a gap in the server's history nothing is decided"
    searched = LedgerTx(found=False, searched_all=True)
    assert (
        decide_outcome(searched, validated_index=26, last_ledger_sequence=25).kind
        is OutcomeKind.EXPIRED
    )
