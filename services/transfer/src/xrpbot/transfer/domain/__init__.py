"""Transfer domain, pure (no I/O): a /send's rules, the payment's state machine, incoming
payments; amounts are integer drops (1 XRP = 1,000,000 drops)."""
