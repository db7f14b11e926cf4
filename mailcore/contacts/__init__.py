"""Addresses an account has written to or received from: the webmail's autocomplete."""
