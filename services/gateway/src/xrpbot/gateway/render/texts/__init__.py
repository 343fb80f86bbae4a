"""Every word the bot says to people: English msgids, translated by gettext, one module per feature.

Texts are HTML for Telegram's `parse_mode=HTML` (https://core.telegram.org/bots/api#html-style):
only <b>, <i>, <code>, <a href> are used, and every value that comes from outside (names,
addresses) is escaped in the text functions with `html.escape`. Each text is a function whose
message is one string literal marked with `_()` (`render.i18n.gettext`) or `ngettext` and then
filled with `str.format`, so the catalogs (`render/locales/`, `make i18n`) hold whole sentences
with named placeholders, and the language is the one of the current context (`render.i18n`):
the user's. Outside any context a text is English. Amounts arrive already formatted as XRP
text; `errors` words the error codes of every reply.

Translators: keep the ``{placeholders}``, HTML tags and emoji; ``/commands`` stay as they are.
"""
