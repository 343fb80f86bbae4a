"""The audit's rules over hand-made chats and ledgers: a clean run passes, each violation is found."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from xrpbot.chaos.audit import (
    AuditInput,
    ConfirmedQuote,
    LedgerPayment,
    audit,
    message_outcome,
)
from xrpbot.chaos.evidence import load_evidence, save_evidence
from xrpbot.sandbox.tools.telegram_control import BotMessage

ALICE, BOB = 1001, 1002
A_ADDR, B_ADDR, OUTSIDE = "rAlice", "rBob", "rOutside"
H1, H2, H3 = "A" * 64, "B" * 64, "C" * 64
EXPLORER = "https://testnet.xrpl.org/transactions/"
QUOTE_TEXT = "📤 Please check your payment\n\nTo: @bob\nAmount: 10 XRP"


def msg(
    mid: int, text: str, url_hash: str | None = None, edits: list[str] | None = None
) -> BotMessage:
    buttons = [[("View transaction", EXPLORER + url_hash)]] if url_hash else []
    return BotMessage(mid, text, buttons, False, edits or [])


def clean() -> AuditInput:
    """Alice paid Bob 10 XRP (Sent); an outsider paid Bob 5 XRP; Bob was alerted of both."""
    return AuditInput(
        chats={
            ALICE: [
                msg(5, f"✅ Sent 10 XRP to @bob · fee 0.000012 XRP · {H1[:8]}…", H1, [QUOTE_TEXT])
            ],
            BOB: [
                msg(7, f"📥 You received 10 XRP from @alice · {H1[:8]}…", H1),
                msg(8, f"📥 You received 5 XRP from rOuts…ide · {H2[:8]}…", H2),
            ],
        },
        addresses={ALICE: A_ADDR, BOB: B_ADDR},
        confirmed=[ConfirmedQuote(ALICE, 5, A_ADDR, B_ADDR, 10_000_000)],
        ledger=[
            LedgerPayment(H1, A_ADDR, B_ADDR, 10_000_000, "tesSUCCESS"),
            LedgerPayment(H1, A_ADDR, B_ADDR, 10_000_000, "tesSUCCESS"),  # seen from both sides
            LedgerPayment(H2, OUTSIDE, B_ADDR, 5_000_000, "tesSUCCESS"),
        ],
        outside_senders=frozenset({OUTSIDE}),
        dead_letters={"transfer.dead-letter": 0},
        readiness={"gateway-1": 200},
    )


def kinds(data: AuditInput) -> list[str]:
    return [v.kind for v in audit(data)]


def test_a_true_run_has_no_violation() -> None:
    assert audit(clean()) == []


def test_a_quote_showing_its_confirm_button_again_is_stale() -> None:
    data = clean()
    quote = BotMessage(5, QUOTE_TEXT, [[("✅ Confirm", "confirm:x")]], False, [])
    data = replace(data, chats={**data.chats, ALICE: [quote]})
    # the ledger holds the payment and no version of the message named it
    assert kinds(data) == ["stale_outcome", "payment_not_shown_sent"]


def test_sent_overwritten_by_sending_is_one_stale_outcome_naming_the_payment() -> None:
    data = clean()
    sent = f"✅ Sent 10 XRP to @bob · fee 0.000012 XRP · {H1[:8]}…"
    stale = msg(5, "⏳ Sending…", edits=[QUOTE_TEXT, sent])
    data = replace(data, chats={**data.chats, ALICE: [stale]})
    [violation] = audit(data)
    assert violation.kind == "stale_outcome"
    assert violation.evidence["ledger_tx"] == H1
    assert violation.evidence["was_shown_sent"] is True


def test_the_double_press_notice_over_the_payment_is_stale() -> None:
    data = clean()
    notice = msg(
        5,
        "You already confirmed this payment — it is being sent only once; its message shows the progress.",
    )
    data = replace(data, chats={**data.chats, ALICE: [notice]})
    [stale] = [v for v in audit(data) if v.kind == "stale_outcome"]
    assert stale.evidence["shows"] == "already_confirmed"
    assert message_outcome(notice) == "already_confirmed"


def test_sent_without_a_ledger_payment_is_found() -> None:
    data = replace(clean(), ledger=[LedgerPayment(H2, OUTSIDE, B_ADDR, 5_000_000, "tesSUCCESS")])
    assert kinds(data)[0] == "sent_not_on_ledger"


def test_a_failed_ledger_result_does_not_count_as_sent() -> None:
    data = replace(
        clean(),
        ledger=[
            LedgerPayment(H1, A_ADDR, B_ADDR, 0, "tecUNFUNDED_PAYMENT"),
            LedgerPayment(H2, OUTSIDE, B_ADDR, 5_000_000, "tesSUCCESS"),
        ],
    )
    assert "sent_not_on_ledger" in kinds(data)


def test_a_doubled_payment_is_found() -> None:
    data = clean()
    data = replace(
        data, ledger=[*data.ledger, LedgerPayment(H3, A_ADDR, B_ADDR, 10_000_000, "tesSUCCESS")]
    )
    found = kinds(data)
    assert "doubled_payment" in found
    assert "alert_missing" in found  # Bob was not told of the second one either


def test_not_sent_while_the_ledger_holds_it_is_false_not_sent() -> None:
    data = clean()
    failed = msg(5, "❌ 10 XRP to @bob — not sent: the network did not include it in time.")
    data = replace(data, chats={**data.chats, ALICE: [failed]})
    assert kinds(data) == ["false_not_sent"]


def test_a_true_not_sent_passes() -> None:
    data = clean()
    failed = msg(5, "❌ 10 XRP to @bob — not sent: the network did not include it in time.")
    data = replace(
        data,
        chats={ALICE: [failed], BOB: data.chats[BOB][1:]},
        ledger=[p for p in data.ledger if p.tx_hash != H1],
    )
    assert audit(data) == []


def test_an_alert_sent_twice_is_found() -> None:
    data = clean()
    bob = [*data.chats[BOB], msg(9, f"📥 You received 5 XRP from rOuts…ide · {H2[:8]}…")]
    data = replace(data, chats={**data.chats, BOB: bob})
    assert kinds(data) == ["alert_doubled"]


def test_a_missing_alert_is_found() -> None:
    data = clean()
    data = replace(data, chats={**data.chats, BOB: data.chats[BOB][:1]})
    assert kinds(data) == ["alert_missing"]


def test_an_alert_of_no_payment_is_found() -> None:
    data = clean()
    bob = [*data.chats[BOB], msg(9, f"📥 You received 1 XRP from rX · {H3[:8]}…", H3)]
    data = replace(data, chats={**data.chats, BOB: bob})
    assert kinds(data) == ["alert_without_payment"]


def test_a_placeholder_left_is_found() -> None:
    data = clean()
    bob = [*data.chats[BOB], msg(10, "Checking your payment…")]
    data = replace(data, chats={**data.chats, BOB: bob})
    assert kinds(data) == ["placeholder_left"]


def test_dead_letters_and_unready_services_are_found() -> None:
    data = replace(clean(), dead_letters={"gateway.dead-letter": 2}, readiness={"transfer-2": 503})
    assert kinds(data) == ["dead_letter", "not_ready"]


def test_two_equal_quotes_with_two_payments_are_not_a_double() -> None:
    data = clean()
    second = msg(6, f"✅ Sent 10 XRP to @bob · fee 0.000012 XRP · {H3[:8]}…", H3)
    bob = [*data.chats[BOB], msg(9, f"📥 You received 10 XRP from @alice · {H3[:8]}…", H3)]
    data = replace(
        data,
        chats={ALICE: [*data.chats[ALICE], second], BOB: bob},
        confirmed=[*data.confirmed, ConfirmedQuote(ALICE, 6, A_ADDR, B_ADDR, 10_000_000)],
        ledger=[*data.ledger, LedgerPayment(H3, A_ADDR, B_ADDR, 10_000_000, "tesSUCCESS")],
    )
    assert audit(data) == []


def test_saved_evidence_is_judged_the_same_again(tmp_path: Path) -> None:
    data = clean()
    bob = [*data.chats[BOB], msg(10, "Checking your payment…")]
    data = replace(data, chats={**data.chats, BOB: bob}, dead_letter_samples={"q": [{"a": "b"}]})
    save_evidence(data, tmp_path / "evidence.json")
    again = load_evidence(tmp_path / "evidence.json")
    assert again == data
    assert audit(again) == audit(data)


def test_an_expired_quote_after_confirm_is_a_true_not_sent_when_nothing_was_paid() -> None:
    data = clean()
    expired = msg(5, "This quote has expired — nothing was sent. Send /send for a new one.")
    data = replace(
        data,
        chats={ALICE: [expired], BOB: data.chats[BOB][1:]},
        ledger=[p for p in data.ledger if p.tx_hash != H1],
    )
    assert message_outcome(expired) == "not_sent"
    assert audit(data) == []
