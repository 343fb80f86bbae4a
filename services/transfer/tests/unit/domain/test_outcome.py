"""A signed payment's outcome is decided from validated ledgers only, and "expired" or
"sequence taken" only from a history that holds every ledger the payment could be in."""

from __future__ import annotations

import pytest

from xrpbot.transfer.domain.outcome import (
    LedgerHistory,
    LedgerTx,
    OutcomeKind,
    decide_outcome,
    parse_complete_ledgers,
    sequence_taken,
)

FULL = LedgerHistory(40, ((1, 40),))


def kind(tx: LedgerTx, validated: int, *histories: LedgerHistory) -> OutcomeKind:
    """The decision for a payment signed at ledger 10 with LastLedgerSequence 25."""
    return decide_outcome(
        tx,
        validated_index=validated,
        first_ledger=10,
        last_ledger_sequence=25,
        histories=histories,
    ).kind


def test_outcomes_come_only_from_validated_ledgers() -> None:
    assert kind(LedgerTx(True, True, "tesSUCCESS", 20, 5), 30) is OutcomeKind.SENT
    assert kind(LedgerTx(True, True, "tecNO_DST_INSUF_XRP", 20), 21) is OutcomeKind.REJECTED
    seen = LedgerTx(found=True)
    assert kind(seen, 25, FULL, FULL) is OutcomeKind.PENDING, "at LastLedgerSequence: wait"
    assert kind(seen, 26, FULL, FULL) is OutcomeKind.EXPIRED
    assert kind(LedgerTx(found=False, searched_all=True), 26, FULL, FULL) is OutcomeKind.EXPIRED


def test_expired_needs_every_ledger_from_signing_to_last_ledger_sequence() -> None:
    searched = LedgerTx(found=False, searched_all=True)
    assert kind(searched, 40) is OutcomeKind.PENDING, "no history read: no evidence"
    gap = LedgerHistory(40, ((1, 17), (19, 40)))  # ledger 18 missing
    assert kind(searched, 40, gap, gap) is OutcomeKind.PENDING
    assert kind(searched, 40, FULL, gap) is OutcomeKind.PENDING, "lost between the reads"
    assert kind(searched, 40, gap, FULL) is OutcomeKind.PENDING, "acquired between the reads"
    late_start = LedgerHistory(40, ((11, 40),))  # ledger 10 missing
    assert kind(searched, 40, late_start, late_start) is OutcomeKind.PENDING
    short = LedgerHistory(40, ((1, 24),))  # ledger 25 missing
    assert kind(searched, 40, short, short) is OutcomeKind.PENDING
    exact = LedgerHistory(40, ((10, 20), (21, 25)))
    assert kind(searched, 40, exact, exact) is OutcomeKind.EXPIRED
    unsearched = LedgerTx(found=False, searched_all=False)
    assert kind(unsearched, 40, FULL, FULL) is OutcomeKind.PENDING, "tx says it missed some"


def test_a_sequence_is_taken_only_with_the_whole_range_held() -> None:
    def taken(account_sequence: int | None, *histories: LedgerHistory) -> bool:
        return sequence_taken(
            LedgerTx(found=False, searched_all=True),
            account_sequence=account_sequence,
            sequence=7,
            first_ledger=10,
            last_ledger_sequence=25,
            histories=histories,
        )

    at_22 = LedgerHistory(22, ((1, 22),))
    assert taken(8, at_22, at_22), "only ledgers 10..22 can hold it so far"
    assert not taken(7, at_22, at_22), "the account has not used Sequence 7 yet"
    assert not taken(None, at_22, at_22)
    assert not taken(8), "no history read"
    gap = LedgerHistory(22, ((1, 15), (17, 22)))
    assert not taken(8, gap, at_22)
    assert not taken(8, at_22, gap)
    validated = LedgerTx(True, True, "tesSUCCESS", 12)
    assert not sequence_taken(
        validated,
        account_sequence=8,
        sequence=7,
        first_ledger=10,
        last_ledger_sequence=25,
        histories=(at_22, at_22),
    ), "ours took it"


def test_complete_ledgers_are_read_as_rippled_writes_them() -> None:
    assert parse_complete_ledgers("32570-32580,32582,32590-32600") == (
        (32570, 32580),
        (32582, 32582),
        (32590, 32600),
    )
    assert parse_complete_ledgers("empty") == ()
    assert not LedgerHistory(5, ()).covers(1, 2)
    assert LedgerHistory(5, ((3, 5), (1, 2))).covers(1, 5), "order does not matter"
    with pytest.raises(ValueError, match="backwards"):
        parse_complete_ledgers("9-3")
    with pytest.raises(ValueError, match="invalid literal"):
        parse_complete_ledgers("a-b")
