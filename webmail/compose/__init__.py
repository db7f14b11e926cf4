"""Webmail: compose."""
