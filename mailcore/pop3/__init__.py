"""POP3 server (RFC 1939) over the message store."""
