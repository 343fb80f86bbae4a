"""The sandbox's XRP Ledger: a pure in-memory stand-alone rippled, its JSON-RPC API, a faucet, a closer.

The engine behaves like ``rippled -a --start`` (stand-alone mode with a new genesis ledger) as
xrpl.org and rippled's source describe it. Every amount is an ``int`` of drops
(1 XRP = 1,000,000 drops); times are whole seconds since the Ripple Epoch (2000-01-01 UTC).

Rules and where they come from:

- Genesis: ``rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh`` (secret ``snoPBrXtMeMyMHUVTgbuqAfg1SUTb``,
  "masterpassphrase") holds all 100,000,000,000 XRP; reserves are 1 XRP base and 0.2 XRP per
  owned object; the reference fee is 10 drops
  (https://xrpl.org/docs/infrastructure/testing-and-auditing/start-a-new-genesis-ledger-in-stand-alone-mode).
  Ledger 1 is the genesis ledger, ledger 2 is the first closed one and ledger 3 is open
  (rippled ``Application::startGenesisLedger``).
- Closed and validated are the same thing in stand-alone mode; ledgers close only when asked
  (https://xrpl.org/docs/infrastructure/testing-and-auditing/advance-the-ledger-in-stand-alone-mode).
- Transaction processing follows rippled's transactor pipeline: preflight, preclaim
  (sequence, LastLedgerSequence, fee, signature, type checks) and doApply, with ``tec`` codes
  claiming the fee and consuming the sequence
  (https://xrpl.org/docs/references/protocol/transactions/transaction-results).
- Payment: https://xrpl.org/docs/references/protocol/transactions/types/payment (rippled
  ``Payment.cpp``); AccountSet: https://xrpl.org/docs/references/protocol/transactions/types/accountset
  (``SetAccount.cpp``); SetRegularKey: https://xrpl.org/docs/references/protocol/transactions/types/setregularkey.
- A new account's ``Sequence`` is the index of the ledger that created it (DeletableAccounts;
  https://xrpl.org/docs/references/protocol/ledger-data/ledger-entry-types/accountroot).
- ``asfDisallowXRP`` is advisory and is *not* enforced on payments
  (https://xrpl.org/docs/references/protocol/transactions/types/accountset#accountset-flags).
- ``asfDepositAuth`` (9) sets lsfDepositAuth (0x01000000): XRP payments to the account fail
  with ``tecNO_PERMISSION`` (fee claimed), except one of at most the base reserve to an account
  holding at most the base reserve; the account itself may still pay others
  (https://xrpl.org/docs/concepts/accounts/depositauth). DepositPreauth entries are not
  modelled, so no sender is preauthorized and ``deposit_authorized`` answers from the flag.
- Locally submitted transactions are kept and re-applied to each new open ledger until they
  are in a ledger, their sequence has passed, or ``min(submitted + 5, LastLedgerSequence + 1)``
  has passed (rippled ``LocalTxs.cpp``); ledger closes replay the open ledger's transactions in
  canonical order with retry passes (rippled ``BuildLedger.cpp``).

What is deliberately *not* modelled: trust lines, offers, tickets, signer lists, escrows and
every other ledger object (transaction types that would need them answer ``temDISABLED``, as
a server with those amendments disabled would), the transaction queue and open-ledger fee
escalation, and real SHAMap root hashes (``account_hash``/``transaction_hash`` are stand-in
digests; ledger hashes are computed from them exactly as rippled hashes a ledger header).

Modules: `constants`, `errors`, `codec` (ids, hashes, times, amounts), `objects` (ledger objects
and versions), `hashing`, `validity` (signature and local checks), `transactors/` (the pipeline;
Payment, AccountSet, SetRegularKey), `engine` (`LedgerEngine`: open ledger, closes, history),
`rpc/` (`create_rpc_app`, `handle_rpc`; methods by topic), `faucet` (`create_faucet_app`) and
`closer` (`ledger_closer`).
"""
