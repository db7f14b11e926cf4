"""Reports other mail servers send about our domains: DMARC aggregate reports (RFC 7489
§7.2) and TLS reports (RFC 8460), received at the address the DNS guidance publishes
(postmaster@<domain>), parsed and kept per domain for the panel. And the TLS reports
HopThu sends about its own outbound sessions (tls_sessions.py counts, tls_sending.py sends)."""
