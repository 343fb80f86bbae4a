"""rippled's JSON-RPC API over the ledger engine, with the faucet and closer beside it (``xrpl.faucet``, ``xrpl.closer``).

- ``create_rpc_app(engine)``: rippled's JSON-RPC API on ``POST /``
  (https://xrpl.org/docs/references/http-websocket-apis/api-conventions/request-formatting),
  answering like a stand-alone rippled whose every local client is an admin: ``server_info``,
  ``server_state``, ``fee``, ``ledger``, ``ledger_current``, ``ledger_closed``, ``account_info``,
  ``account_lines``, ``account_tx``, ``tx``, ``submit`` and ``ledger_accept``. Responses follow
  rippled's API v1 or v2 depending on the request's ``api_version`` (v1 when absent; xrpl-py 5.x
  sends 2). Errors use rippled's error format, with the request copied back
  (https://xrpl.org/docs/references/http-websocket-apis/api-conventions/error-formatting).
- ``create_faucet_app(engine)``: ``POST /accounts`` like the XRPL Testnet faucet
  (``xpring-eng/testnet-faucet``), paying from the genesis account with a real signed Payment.
- ``ledger_closer(engine, interval_seconds)``: closes a ledger every interval, like a network
  would; with 0 it returns at once and only ``ledger_accept`` closes ledgers.

Amounts are drops (int) everywhere; the few XRP-denominated fields of ``server_info`` are
converted only when rendered.

Modules: `context` (what every method shares), one module of methods per topic (`server`,
`ledgers`, `accounts`, `transactions`) and `app` (`handle_rpc`, `create_rpc_app`).
"""
