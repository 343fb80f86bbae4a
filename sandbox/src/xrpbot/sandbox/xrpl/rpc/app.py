"""rippled's JSON-RPC API over HTTP: the method table, error answers and the aiohttp app."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any, Final

from aiohttp import web

from ..constants import JsonDict
from ..engine import LedgerEngine
from ..errors import RpcError
from . import accounts, ledgers, server, transactions
from .context import Context, Handler

_API_VERSION_UNSPECIFIED: Final = 1
_API_VERSION_MAX: Final = 2


_SECRET_FIELDS: Final = ("passphrase", "secret", "seed", "seed_hex")


def _dumps(value: Any) -> str:
    # rippled's JSON objects are std::maps: keys come out sorted; its writer is compact.
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


_METHODS: Final[dict[str, Handler]] = {
    **server.METHODS,
    **ledgers.METHODS,
    **accounts.METHODS,
    **transactions.METHODS,
}
#: JSON-RPC methods the stand-in answers; anything else is ``unknownCmd``.
SUPPORTED_METHODS: Final = frozenset(_METHODS)


def handle_rpc(
    engine: LedgerEngine,
    method: str,
    params: JsonDict,
    *,
    api_version: int = _API_VERSION_UNSPECIFIED,
    port: int | None = None,
) -> JsonDict:
    """Answer one rippled API call; returns the ``result`` object, with ``status``.

    Errors come back in rippled's JSON-RPC error format: ``error``, ``error_code``,
    ``error_message`` (when rippled sends them), ``status: "error"`` and the request copied into
    ``request`` with ``command`` and secrets masked
    (https://xrpl.org/docs/references/http-websocket-apis/api-conventions/error-formatting).
    """
    handler = _METHODS.get(method)
    try:
        if handler is None:
            raise RpcError("unknownCmd")
        result = handler(Context(engine, params, api_version, port))
    except RpcError as error:
        result = dict(error.payload)
    if "error" in result:
        request = dict(params)
        for name in _SECRET_FIELDS:
            if name in request:
                request[name] = "<masked>"
        request["command"] = method
        result["request"] = request
        result["status"] = "error"
    else:
        result["status"] = "success"
    return result


def _api_version(params: Any) -> int | None:
    """rippled ``getAPIVersionNumber``: None means an invalid version."""
    if not isinstance(params, dict) or "api_version" not in params:
        return _API_VERSION_UNSPECIFIED
    value = params["api_version"]
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    if not 1 <= value <= _API_VERSION_MAX:
        return None
    return value


@dataclass
class OverloadFaults:
    """Scripted overload of the JSON-RPC endpoint (`POST /sandbox/faults`).

    Attributes:
        refuse: the next this many calls are answered HTTP 503 ``Server is overloaded``, as
            rippled's ServerHandler answers a client over its resource limit.
        hold_seconds: the next `hold` calls wait this long before they are answered (a server
            too loaded to answer in time; the client's own timeout decides).
        hold: how many calls are still to be held.
    """

    refuse: int = 0
    hold_seconds: float = 0.0
    hold: int = 0

    def update(self, body: Any) -> None:
        """Apply a control request {refuse?: int, hold_seconds?: float, hold?: int}.

        Raises:
            ValueError: a field is not a non-negative number.
        """
        if not isinstance(body, dict):
            raise ValueError("the body must be a JSON object")
        refuse, hold, seconds = (
            body.get("refuse", 0),
            body.get("hold", 0),
            body.get("hold_seconds", 0),
        )
        if not all(
            isinstance(v, int | float) and not isinstance(v, bool) and v >= 0
            for v in (refuse, hold, seconds)
        ):
            raise ValueError("refuse, hold and hold_seconds must be non-negative numbers")
        self.refuse = int(refuse)
        self.hold = int(hold)
        self.hold_seconds = float(seconds)


def create_rpc_app(engine: LedgerEngine) -> web.Application:
    """An aiohttp app serving rippled's JSON-RPC API for ``engine`` on ``POST /``.

    HTTP-level failures answer as rippled's ServerHandler does (400 with a plain-text reason:
    ``Unable to parse request``, ``Null method``, ``method is not string``, ``params unparsable``,
    ``invalid_API_version``); everything else is HTTP 200 with a JSON body.

    Control (not rippled's): ``POST /sandbox/faults`` {refuse?, hold_seconds?, hold?} scripts an
    overload (`OverloadFaults`); ``GET /sandbox/faults`` shows what is left of it.
    """
    app = web.Application()
    faults = OverloadFaults()

    async def control(request: web.Request) -> web.Response:
        if request.method == "POST":
            try:
                faults.update(await request.json())
            except ValueError as err:
                return web.json_response({"ok": False, "description": str(err)}, status=400)
        return web.json_response(
            {
                "ok": True,
                "refuse": faults.refuse,
                "hold": faults.hold,
                "hold_seconds": faults.hold_seconds,
            }
        )

    async def handle(request: web.Request) -> web.Response:
        if faults.refuse > 0:
            faults.refuse -= 1
            return web.Response(status=503, text="Server is overloaded\r\n")
        if faults.hold > 0:
            faults.hold -= 1
            await asyncio.sleep(faults.hold_seconds)
        raw = await request.read()
        try:
            body = json.loads(raw)
        except ValueError as exc:
            return web.Response(status=400, text=f"Unable to parse request: {exc}")
        if not isinstance(body, dict) or not body:
            return web.Response(status=400, text="Unable to parse request: not an object")
        params_list = body.get("params")
        first = params_list[0] if isinstance(params_list, list) and params_list else None
        api_version = _api_version(first)
        if api_version is None:
            return web.Response(status=400, text="invalid_API_version")
        method = body.get("method")
        if method is None:
            return web.Response(status=400, text="Null method")
        if not isinstance(method, str):
            return web.Response(status=400, text="method is not string")
        if not method:
            return web.Response(status=400, text="method is empty")
        if params_list is None:
            params: JsonDict = {}
        elif (
            not isinstance(params_list, list)
            or len(params_list) != 1
            or not isinstance(params_list[0], dict | None)
        ):
            return web.Response(status=400, text="params unparsable")
        else:
            params = dict(params_list[0] or {})
        port = request.url.port
        result = handle_rpc(engine, method, params, api_version=api_version, port=port)
        reply: JsonDict = {"result": result}
        for name in ("jsonrpc", "ripplerpc", "id"):
            if name in params:
                reply[name] = params[name]
        return web.json_response(reply, dumps=_dumps)

    app.router.add_post("/", handle)
    app.router.add_route("*", "/sandbox/faults", control)
    return app
