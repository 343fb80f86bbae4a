"""Bot API error answers: `{"ok": false, "error_code": ..., "description": ...}`."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A Bot API error answer: `{"ok": false, "error_code": code, "description": ...}`."""

    def __init__(self, code: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        """The JSON body Telegram sends ("Making requests": ok, error_code, description, parameters)."""
        result: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.retry_after is not None:
            result["parameters"] = {"retry_after": self.retry_after}
        return result


def bad_request(description: str) -> ApiError:
    """A 400 answer: "Bad Request: <description>"."""
    return ApiError(400, f"Bad Request: {description}")


def td_error(message: str) -> ApiError:
    """A tdlib error turned into a Bot API 400 (Client::fail_query_with_error).

    The first letter is lowered unless the message is an UPPER_CASE server code.
    """
    if len(message) >= 2 and (message[1] == "_" or message[1].isupper()):
        return bad_request(message)
    return bad_request(message[:1].lower() + message[1:])
