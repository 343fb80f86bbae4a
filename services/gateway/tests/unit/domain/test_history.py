"""`/history [page]`: 1-based page numbers of ASCII digits, bounded; button pages bounded."""

from __future__ import annotations

import pytest

from xrpbot.gateway.domain.history import (
    MAX_HISTORY_PAGES,
    HistoryPageError,
    parse_history_page,
    valid_page,
)


@pytest.mark.parametrize(
    ("args", "page"), [(None, 0), ("", 0), ("  ", 0), ("1", 0), (" 3 ", 2), ("10000", 9999)]
)
def test_page_numbers_are_one_based(args: str | None, page: int) -> None:
    assert parse_history_page(args) == page


@pytest.mark.parametrize(
    "args", ["0", "10001", "-1", "+2", "1.0", "1e3", "²", "٢", "\uff12", "two", "1 2", "9" * 5000]
)
def test_anything_else_is_refused_with_the_words_typed(args: str) -> None:
    with pytest.raises(HistoryPageError) as refused:
        parse_history_page(args)
    assert refused.value.token == args.strip()


def test_button_pages_are_bounded() -> None:
    assert valid_page(0)
    assert valid_page(MAX_HISTORY_PAGES - 1)
    assert not valid_page(MAX_HISTORY_PAGES)
    assert not valid_page(-1)
    assert not valid_page(10**20)
