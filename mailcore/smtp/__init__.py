"""SMTP listeners and their policy: MX in, submission, relay for applications."""
