"""Webmail: preferences."""
