"""TLS material for the listeners: a self-signed certificate on first run, server contexts.

A real deployment points HOPTHU_TLS_CERT / HOPTHU_TLS_KEY at a certificate from a CA
(e.g. Let's Encrypt); `manage.py make_tls_cert` only fills the gap so STARTTLS and the
implicit-TLS ports work out of the box. The key never leaves var/ and is mode 0600.
"""
from __future__ import annotations

import datetime
import ipaddress
import os
import ssl
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DEFAULT_DAYS = 825


def default_names() -> list[str]:
    from django.conf import settings

    names = [settings.HOPTHU_HOSTNAME, "localhost", "127.0.0.1"]
    return list(dict.fromkeys(n for n in names if n))


def _san(name: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(name))
    except ValueError:
        return x509.DNSName(name)


def _write_atomic(path: Path, data: bytes, mode: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)  # os.open's mode is filtered by the umask
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def generate_self_signed(cert_path: Path, key_path: Path, names: list[str],
                         days: int = DEFAULT_DAYS) -> x509.Certificate:
    """Write a new RSA-2048 key (0600) and a self-signed server certificate for names.

    The first name is the subject CN; every name is a subjectAltName (IP addresses as
    iPAddress entries). RSA rather than ECDSA: old mail clients still meet it.
    """
    if not names:
        raise ValueError("a certificate needs at least one name")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, names[0]),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "HopThu self-signed"),
    ])
    now = datetime.datetime.now(datetime.UTC)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName([_san(n) for n in names]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(digital_signature=True, key_encipherment=True, content_commitment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=False,
                          crl_sign=False, encipher_only=False, decipher_only=False),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(ski, critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    # Key first: a certificate on disk must never point at a key that is not there yet.
    _write_atomic(Path(key_path), key_pem, 0o600)
    _write_atomic(Path(cert_path), cert.public_bytes(serialization.Encoding.PEM), 0o644)
    return cert


def ensure_certificate(cert_path: Path | None = None, key_path: Path | None = None,
                       names: list[str] | None = None, *, force: bool = False) -> bool:
    """Create the self-signed certificate unless both files exist; return True if created."""
    from django.conf import settings

    cert_path = Path(cert_path or settings.HOPTHU_TLS_CERT)
    key_path = Path(key_path or settings.HOPTHU_TLS_KEY)
    if not force and cert_path.exists() and key_path.exists():
        return False
    generate_self_signed(cert_path, key_path, names or default_names())
    return True


def server_context(cert_path: Path | None = None, key_path: Path | None = None) -> ssl.SSLContext:
    """An SSLContext for a listener (TLS 1.2+), loaded from the configured files."""
    from django.conf import settings

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(str(cert_path or settings.HOPTHU_TLS_CERT), str(key_path or settings.HOPTHU_TLS_KEY))
    return context


@dataclass(frozen=True)
class CertificateStatus:
    """What the panel shows of the listeners' certificate; `problem` is set when it cannot be read."""

    path: str
    not_after: datetime.datetime | None = None
    self_signed: bool = False
    names: tuple[str, ...] = ()
    problem: str = ""  # "missing" | "unreadable"

    def days_left(self, now: datetime.datetime | None = None) -> int | None:
        if self.not_after is None:
            return None
        return (self.not_after - (now or datetime.datetime.now(datetime.UTC))).days


def certificate_status(cert_path: Path | None = None) -> CertificateStatus:
    """Read the configured certificate (the first in the file: the server's own, RFC 5246
    §7.4.2 order) for its expiry, names and whether it signed itself."""
    from django.conf import settings

    path = Path(cert_path or settings.HOPTHU_TLS_CERT)
    try:
        cert = x509.load_pem_x509_certificate(path.read_bytes())
    except FileNotFoundError:
        return CertificateStatus(str(path), problem="missing")
    except (OSError, ValueError):
        return CertificateStatus(str(path), problem="unreadable")
    try:
        names = tuple(str(name) for name in cert.extensions.get_extension_for_class(
            x509.SubjectAlternativeName).value.get_values_for_type(x509.DNSName))
    except x509.ExtensionNotFound:
        names = ()
    return CertificateStatus(str(path), not_after=cert.not_valid_after_utc, self_signed=cert.issuer == cert.subject,
                             names=names)
