"""Transfer use cases: quotes (request, confirm, cancel), queries (history, stats), sending
(prepare, sign, submit, settle) and incoming payments (wallet.opened, the ledger watcher)."""
