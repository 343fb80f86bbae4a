"""Telegram's HTML parse mode, pinned to what api.telegram.org answers."""

from __future__ import annotations

from typing import Any

import pytest

from xrpbot.sandbox.telegram.html import parse_html


@pytest.mark.parametrize(
    ("html", "text", "entities"),
    [
        ("<b>bold</b> plain", "bold plain", [{"offset": 0, "length": 4, "type": "bold"}]),
        (
            "<b>a<i>b</i></b><u>c</u><s>d</s>",
            "abcd",
            [
                {"offset": 0, "length": 2, "type": "bold"},
                {"offset": 1, "length": 1, "type": "italic"},
                {"offset": 2, "length": 1, "type": "underline"},
                {"offset": 3, "length": 1, "type": "strikethrough"},
            ],
        ),
        (
            "<strong>x</strong><em>y</em><ins>z</ins><strike>w</strike><del>v</del>",
            "xyzwv",
            [
                {"offset": 0, "length": 1, "type": "bold"},
                {"offset": 1, "length": 1, "type": "italic"},
                {"offset": 2, "length": 1, "type": "underline"},
                {"offset": 3, "length": 1, "type": "strikethrough"},
                {"offset": 4, "length": 1, "type": "strikethrough"},
            ],
        ),
        (
            '<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>',
            "st",
            [
                {"offset": 0, "length": 1, "type": "spoiler"},
                {"offset": 1, "length": 1, "type": "spoiler"},
            ],
        ),
        (
            '<a href="https://xrpl.org">XRPL</a>',
            "XRPL",
            [{"offset": 0, "length": 4, "type": "text_link", "url": "https://xrpl.org/"}],
        ),
        ("<code>rAddr</code>", "rAddr", [{"offset": 0, "length": 5, "type": "code"}]),
        (
            '<pre><code class="language-python">x = 1</code></pre>',
            "x = 1",
            [{"offset": 0, "length": 5, "type": "pre", "language": "python"}],
        ),
        ("<pre>raw</pre>", "raw", [{"offset": 0, "length": 3, "type": "pre"}]),
        ("<blockquote>q</blockquote>", "q", [{"offset": 0, "length": 1, "type": "blockquote"}]),
        (
            "<blockquote expandable>q</blockquote>",
            "q",
            [{"offset": 0, "length": 1, "type": "expandable_blockquote"}],
        ),
        (
            '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
            "👍",
            [
                {
                    "offset": 0,
                    "length": 2,
                    "type": "custom_emoji",
                    "custom_emoji_id": "5368324170671202286",
                }
            ],
        ),
        ("&lt;b&gt; &amp; &quot; &#65; &nbsp;", '<b> & " A &nbsp;', []),
        ("😀<b>x</b>", "😀x", [{"offset": 2, "length": 1, "type": "bold"}]),  # UTF-16 offsets
        ("<B>upper</B>", "upper", [{"offset": 0, "length": 5, "type": "bold"}]),
    ],
)
def test_html_parse_mode(html: str, text: str, entities: list[dict[str, Any]]) -> None:
    assert parse_html(html) == (text, entities)
