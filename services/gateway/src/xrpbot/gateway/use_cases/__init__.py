"""What the gateway does, one function each; handlers and consumers call only these."""
