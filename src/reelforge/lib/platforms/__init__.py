"""Publishing platforms: one interface (base.py), the local outbox and the real platforms."""
