"""The one place that turns reply events and views into Telegram messages: text, keyboards, words."""
