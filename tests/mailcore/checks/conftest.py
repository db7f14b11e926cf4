"""Fixtures for the inbound-check tests: a DKIM key and a signer that publishes it.

Every DNS answer comes from the stub server (`dns_server`, tests/conftest.py); the
signatures are made with dkimpy, the library the verifier uses, with a key made here.
"""
import base64

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


@pytest.fixture(scope="session")
def rsa_key():
    """(PEM private key, base64 public key for p=); made once, 2048 bits as RFC 8301 advises."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    public = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return private, base64.b64encode(public).decode()


@pytest.fixture
def publish_key(dns_server, rsa_key):
    """publish_key(domain, selector): the public key at <selector>._domainkey.<domain>."""
    published = set()

    def publish(domain, selector="sel"):
        if (domain, selector) not in published:
            published.add((domain, selector))
            dns_server.add_txt(f"{selector}._domainkey.{domain}", f"v=DKIM1; k=rsa; p={rsa_key[1]}")

    return publish


@pytest.fixture
def sign(rsa_key, publish_key):
    """sign(raw, domain, selector="sel", publish=True): raw with a DKIM-Signature prepended."""

    def sign_message(raw, domain, selector="sel", publish=True, include_headers=(b"from", b"to", b"subject")):
        if publish:
            publish_key(domain, selector)
        signature = dkim.sign(
            raw, selector.encode(), domain.encode(), rsa_key[0], include_headers=list(include_headers)
        )
        return signature + raw

    return sign_message
