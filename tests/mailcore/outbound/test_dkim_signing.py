"""DKIM signatures made by mime.dkim.sign verify with dkimpy against the key published in (stub) DNS."""
import email

import dkim
import pytest

from mailcore import dns as mail_dns
from mailcore.dkim import keys
from mailcore.mime.dkim import sign
from tests.mailcore.outbound.messages import message


def verify(raw: bytes) -> bool:
    """dkimpy's verifier, asking the stub DNS server through mailcore.dns."""

    def txt(name: bytes, timeout=5):
        records = mail_dns.txt_strings(name.decode("ascii").rstrip("."))
        return records[0].encode() if records else None

    return dkim.verify(raw, dnsfunc=txt)


@pytest.fixture
def published(domain, dns_server):
    """Publish the domain's key in the stub DNS; calling it again publishes keys made since."""
    names = set()

    def publish():
        for key in keys.published_keys(domain):
            if key.dns_name not in names:
                names.add(key.dns_name)
                dns_server.add_txt(key.dns_name, key.dns_value)
        return keys.current_key(domain)

    keys.create_key(domain)
    publish()
    return publish


def signature_tags(raw: bytes) -> dict[str, str]:
    value = email.message_from_bytes(raw)["DKIM-Signature"]
    return {k.strip(): "".join(v.split()) for k, _eq, v in (tag.partition("=") for tag in value.split(";"))
            if k.strip()}


def test_a_signed_message_verifies(published):
    signed = sign(message(), "example.test")
    assert signed.startswith(b"DKIM-Signature: ")
    assert signed.endswith(message())
    assert verify(signed)


def test_the_signature_is_rsa_sha256_relaxed_and_covers_the_usual_fields(published):
    tags = signature_tags(sign(message(headers="Cc: carol@example.net\r\n"), "example.test"))
    assert (tags["a"], tags["c"], tags["d"], tags["s"]) == ("rsa-sha256", "relaxed/relaxed", "example.test",
                                                             published().selector)
    signed = tags["h"].split(":")
    for name in ("from", "to", "cc", "subject", "date", "message-id", "mime-version", "content-type"):
        assert signed.count(name) == 2, name  # present once, signed twice: a second one breaks it
    assert signed.count("reply-to") == 1  # absent, signed once: adding one breaks it


@pytest.mark.parametrize("tamper", [
    lambda raw: raw.replace(b"Subject: Hello", b"Subject: Hellp"),
    lambda raw: raw.replace(b"Hi there.", b"Hi thare."),
    # Over-signing (RFC 6376 §8.15): a field added above the signed ones, or one the
    # author never wrote, must break the signature too.
    lambda raw: b"From: mallory@example.net\r\n" + raw,
    lambda raw: b"Subject: Urgent: pay now\r\n" + raw,
    lambda raw: b"Reply-To: mallory@example.net\r\n" + raw,
    lambda raw: raw.replace(b"\r\n\r\n", b"\r\nCc: mallory@example.net\r\n\r\n", 1),
], ids=["subject changed", "body changed", "from added on top", "subject added on top", "reply-to added",
        "cc added"])
def test_a_changed_message_no_longer_verifies(published, tamper):
    assert not verify(tamper(sign(message(), "example.test")))


def test_relaxed_canonicalization_survives_what_relays_do(published):
    signed = sign(message(), "example.test")
    relayed = signed.replace(b"Subject: Hello", b"subject:   Hello").replace(b"Hi there.\r\n", b"Hi there.  \r\n")
    assert verify(relayed)


def test_a_message_signed_before_a_rotation_still_verifies(published, domain):
    before = sign(message("Before"), "example.test")
    keys.rotate_key(domain)
    new = published()
    after = sign(message("After"), "example.test")
    assert signature_tags(after)["s"] == new.selector != signature_tags(before)["s"]
    assert verify(before) and verify(after)


def test_mail_from_a_domain_without_key_goes_unsigned(db, domain):
    assert sign(message(), "example.test") == message()  # no key yet (autocreate runs after commit)
    assert sign(message(), "example.net") == message()  # not hosted here


def test_an_idn_domain_signs_with_its_a_label(db, dns_server):
    from mailcore.directory.services import create_domain

    domain = create_domain("bücher.example")
    key = keys.create_key(domain)
    dns_server.add_txt(key.dns_name, key.dns_value)
    signed = sign(message(sender="alice@xn--bcher-kva.example"), "Bücher.example")
    assert signature_tags(signed)["d"] == "xn--bcher-kva.example"
    assert verify(signed)
