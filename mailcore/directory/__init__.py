"""Domains, domain aliases, accounts, aliases, forwards and app passwords."""
