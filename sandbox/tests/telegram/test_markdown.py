"""Telegram's Markdown and MarkdownV2 parse modes, pinned to what api.telegram.org answers."""

from __future__ import annotations

from typing import Any

import pytest

from xrpbot.sandbox.telegram.markdown import parse_markdown, parse_markdown_v2
from xrpbot.sandbox.telegram.text import EntityParseError


@pytest.mark.parametrize(
    ("source", "text", "entities"),
    [
        (
            "*b* _i_ __u__ ~s~ ||p||",
            "b i u s p",
            [
                {"offset": 0, "length": 1, "type": "bold"},
                {"offset": 2, "length": 1, "type": "italic"},
                {"offset": 4, "length": 1, "type": "underline"},
                {"offset": 6, "length": 1, "type": "strikethrough"},
                {"offset": 8, "length": 1, "type": "spoiler"},
            ],
        ),
        (
            "[XRPL](https://xrpl.org) `rAddr`",
            "XRPL rAddr",
            [
                {"offset": 0, "length": 4, "type": "text_link", "url": "https://xrpl.org/"},
                {"offset": 5, "length": 5, "type": "code"},
            ],
        ),
        ("Fee: 0\\.000012 XRP\\!", "Fee: 0.000012 XRP!", []),
        (
            ">quoted\n>lines\nafter",
            "quoted\nlines\nafter",
            [{"offset": 0, "length": 13, "type": "blockquote"}],
        ),
    ],
)
def test_markdown_v2_parse_mode(source: str, text: str, entities: list[dict[str, Any]]) -> None:
    assert parse_markdown_v2(source) == (text, entities)


def test_markdown_v2_refuses_unescaped_reserved_characters() -> None:
    with pytest.raises(EntityParseError, match=r"Character '\.' is reserved"):
        parse_markdown_v2("1.5 XRP")
    with pytest.raises(EntityParseError, match="Can't find end of Bold entity at byte offset 0"):
        parse_markdown_v2("*open")


def test_legacy_markdown_parse_mode() -> None:
    assert parse_markdown("*b* _i_ `c`") == (
        "b i c",
        [
            {"offset": 0, "length": 1, "type": "bold"},
            {"offset": 2, "length": 1, "type": "italic"},
            {"offset": 4, "length": 1, "type": "code"},
        ],
    )
    with pytest.raises(EntityParseError, match="Can't find end of the entity starting at byte"):
        parse_markdown("*open")
