"""Webmail: reading."""
