"""An account's data as a whole: its export (a zip of mbox files and JSON, GDPR Art. 20)
and its erasure (GDPR Art. 17). docs/export.md."""
