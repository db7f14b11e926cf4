"""The records a hosted domain is told to publish (mailcore/dnsguide/records.py)."""
import idna

from mailcore.dkim.keys import create_key, rotate_key
from mailcore.dnsguide import mtasts
from mailcore.dnsguide.records import expected_records


def by_key(domain):
    return {record.key: record for record in expected_records(domain)}


def test_mx_spf_dmarc_and_tls_reporting_point_at_the_mail_host(domain):
    records = by_key(domain)
    assert (records["mx"].name, records["mx"].rtype, records["mx"].value) == ("example.test", "MX",
                                                                           "10 mail.example.test.")
    assert (records["spf"].name, records["spf"].value) == ("example.test", "v=spf1 mx -all")
    assert records["dmarc"].name == "_dmarc.example.test"
    assert records["dmarc"].value == "v=DMARC1; p=none; rua=mailto:postmaster@example.test"
    assert records["tlsrpt"].name == "_smtp._tls.example.test"
    assert records["tlsrpt"].value == "v=TLSRPTv1; rua=mailto:postmaster@example.test"
    for key in ("autoconfig", "autodiscover", "mta-sts-host"):
        assert records[key].rtype == "CNAME" and records[key].value == "mail.example.test."
    assert all(str(record.why) for record in records.values())


def test_the_mta_sts_id_follows_the_policy_text(domain, settings):
    first = by_key(domain)["mta-sts"]
    assert first.name == "_mta-sts.example.test"
    assert first.value == f"v=STSv1; id={mtasts.policy_id('mail.example.test')}"
    settings.HOPTHU_MTA_STS_MODE = "enforce"
    second = by_key(domain)["mta-sts"]
    assert second.value != first.value and second.value.startswith("v=STSv1; id=")
    assert len(second.value.split("id=")[1]) <= 32 and second.value.split("id=")[1].isalnum()


def test_srv_records_carry_the_configured_ports(domain, settings):
    settings.HOPTHU_PORTS = {**settings.HOPTHU_PORTS, "imaps": 1993, "submissions": 2465}
    records = by_key(domain)
    assert records["srv:imaps"].name == "_imaps._tcp.example.test"
    assert records["srv:imaps"].value == "0 1 1993 mail.example.test."
    assert records["srv:submissions"].value == "0 1 2465 mail.example.test."
    assert records["srv:submission"].value == "10 1 587 mail.example.test."
    assert {key for key in records if key.startswith("srv:")} == {
        "srv:submissions", "srv:submission", "srv:imaps", "srv:imap", "srv:pop3s", "srv:pop3"}


def test_every_published_dkim_selector_gets_a_record(domain):
    old = create_key(domain)  # made after the commit in production; tests never commit
    new = rotate_key(domain)
    records = by_key(domain)
    assert records[f"dkim:{new.selector}"].name == f"{new.selector}._domainkey.example.test"
    assert records[f"dkim:{old.selector}"].value == f"v=DKIM1; k=rsa; p={old.public_key}"


def test_a_2048_bit_dkim_key_is_split_into_strings_of_at_most_255_octets(domain):
    key = create_key(domain)
    record = by_key(domain)[f"dkim:{key.selector}"]
    assert len(record.value) > 255
    strings = record.txt_strings
    assert len(strings) >= 2 and all(len(part.encode()) <= 255 for part in strings)
    assert "".join(strings) == record.value


def test_an_idn_domain_is_written_with_a_labels(db):
    from mailcore.directory.services import create_domain

    domain = create_domain("hộpthư.vn")
    records = by_key(domain)
    alabel = idna.encode("hộpthư.vn", uts46=True).decode()
    assert alabel.startswith("xn--") and records["mx"].name == alabel == domain.name
    assert records["dmarc"].name == f"_dmarc.{alabel}"
    assert records["dmarc"].value.endswith(f"postmaster@{alabel}")
    assert records["mx"].relative_name(domain.name) == "@"
    assert records["dmarc"].relative_name(domain.name) == "_dmarc"


def test_the_mail_hosts_addresses_come_from_the_settings(domain, settings):
    settings.HOPTHU_PUBLIC_IPV4 = "192.0.2.25, not-an-address"
    settings.HOPTHU_PUBLIC_IPV6 = "2001:DB8::25"
    records = by_key(domain)
    assert records["host:A:192.0.2.25"].name == "mail.example.test" and records["host:A:192.0.2.25"].in_zone
    assert records["host:AAAA:2001:db8::25"].value == "2001:db8::25"
    assert not any(key.startswith("host:A:not") for key in records)


def test_unknown_addresses_are_explained_instead_of_guessed(domain, settings):
    settings.HOPTHU_PUBLIC_IPV4 = ""
    records = by_key(domain)
    assert records["host:A"].value == "" and not records["host:A"].in_zone
    assert "HOPTHU_PUBLIC_IPV4" in str(records["host:A"].why)
    assert "HOPTHU_PUBLIC_IPV6" in str(records["host:AAAA"].why)


def test_a_mail_host_outside_the_domain_is_not_in_its_zone(domain, settings):
    settings.HOPTHU_HOSTNAME = "mx.hoster.test"
    records = by_key(domain)
    assert not records["host:A:192.0.2.25"].in_zone
    assert "mx.hoster.test" in str(records["host:A:192.0.2.25"].why)
    assert records["mx"].value == "10 mx.hoster.test."
    assert records["host:A:192.0.2.25"].relative_name("example.test") == "mx.hoster.test."
