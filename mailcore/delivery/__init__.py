"""Local delivery (aliases, forwards, rules), the outbound queue and DSNs."""
