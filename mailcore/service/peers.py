"""Whether a protocol session may send passwords: over TLS, or from loopback when
HOPTHU_LOOPBACK_IS_SECURE is on (as Dovecot treats 127.0.0.1). One rule for SMTP
submission, IMAP and POP3."""
import ipaddress

from django.conf import settings


def is_secure(tls: bool, client_ip: str | None) -> bool:
    if tls:
        return True
    if not getattr(settings, "HOPTHU_LOOPBACK_IS_SECURE", False) or not client_ip:
        return False
    try:
        return ipaddress.ip_address(client_ip).is_loopback
    except ValueError:
        return False
