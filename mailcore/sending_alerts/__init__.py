"""Alerts on suspicious sending: hold an account's outbound mail when it looks taken over."""
