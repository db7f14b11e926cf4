"""An account's rules as a Sieve script (RFC 5228), out and back in.

export.py writes the rules as a script; grammar.py reads a script into commands and
tests (the RFC 5228 §8 grammar, by hand, with line numbers); reading.py turns those
into rules, or says at which line what cannot be a HopThu rule. See docs/webmail.md.
"""
