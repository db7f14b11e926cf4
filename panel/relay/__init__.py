"""Relay tokens and relay networks: the panel's side of `manage.py relay` (docs/relay.md)."""
