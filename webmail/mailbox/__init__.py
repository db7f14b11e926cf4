"""Webmail: the folder list, the message list, search and the actions on many messages."""
