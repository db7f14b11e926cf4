"""Sealing small secrets at rest (TOTP seeds, recovery-code seeds) under a key derived
from SECRET_KEY, so a copy of the database alone does not hand over second factors.

Fernet (AES-128-CBC + HMAC-SHA256, from cryptography) with a key from HKDF-SHA256 over
SECRET_KEY and a fixed purpose label: a new purpose never reuses another's key. Changing
SECRET_KEY makes sealed values unreadable, as it already logs everyone out; the
deployment docs say to keep it (docs/security.md).
"""
import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PREFIX = "sealed:"  # marks a sealed value, so values stored before sealing still read


class UnsealError(ValueError):
    pass


def _fernet(purpose: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
               info=f"hopthu:{purpose}".encode()).derive(settings.SECRET_KEY.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def seal(text: str, purpose: str) -> str:
    return PREFIX + _fernet(purpose).encrypt(text.encode()).decode("ascii")


def unseal(value: str, purpose: str) -> str:
    """The clear text of a sealed value; a value stored before sealing is returned as is."""
    if not value.startswith(PREFIX):
        return value
    try:
        return _fernet(purpose).decrypt(value[len(PREFIX):].encode("ascii")).decode()
    except InvalidToken:
        raise UnsealError("a sealed secret does not open with this SECRET_KEY") from None


def is_sealed(value: str) -> bool:
    return value.startswith(PREFIX)
