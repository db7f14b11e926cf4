"""Credential checks, SASL and brute-force protection shared by every protocol."""
