"""The BIND zone snippet parses as a zone file and holds exactly the expected records."""
import dns.name
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.zone

from mailcore.dkim.keys import create_key, rotate_key
from mailcore.dnsguide.records import expected_records
from mailcore.dnsguide.zone import presentation, zone_text


def parse(text, origin):
    return dns.zone.from_text(text, origin=origin + ".", relativize=False, check_origin=False)


def zone_records(zone):
    return {(name.to_text(omit_final_dot=True), dns.rdatatype.to_text(rdataset.rdtype), rdata)
            for name, rdataset in zone.iterate_rdatasets() for rdata in rdataset}


def expected(records):
    return {(record.name, record.rtype,
             dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.from_text(record.rtype), presentation(record)))
            for record in records if record.in_zone and record.value}


def test_the_snippet_parses_and_yields_the_same_records(domain):
    create_key(domain)
    rotate_key(domain)  # two selectors published
    records = expected_records(domain)
    zone = parse(zone_text(domain.name, records), domain.name)
    assert zone_records(zone) == expected(records)
    assert len(zone_records(zone)) == len([r for r in records if r.in_zone and r.value])


def test_dkim_values_are_quoted_strings_of_at_most_255_octets_that_join_back(domain):
    key = create_key(domain)
    zone = parse(zone_text(domain.name, expected_records(domain)), domain.name)
    rdataset = zone.find_rdataset(dns.name.from_text(key.dns_name), "TXT")
    (rdata,) = list(rdataset)
    assert len(rdata.strings) >= 2 and all(len(part) <= 255 for part in rdata.strings)
    assert b"".join(rdata.strings).decode() == key.dns_value
    assert rdataset.ttl == 3600


def test_records_of_another_zone_or_without_a_value_are_comments(domain, settings):
    settings.HOPTHU_HOSTNAME = "mx.hoster.test"
    settings.HOPTHU_PUBLIC_IPV6 = ""
    text = zone_text(domain.name, expected_records(domain))
    zone = parse(text, domain.name)
    names = {name for name, _type, _rdata in zone_records(zone)}
    assert "mx.hoster.test" not in names
    assert "; " in text and "mx.hoster.test.\t3600\tIN\tA\t192.0.2.25" in text
    assert all(name == "example.test" or name.endswith(".example.test") for name in names)


def test_an_idn_domains_snippet_parses(db):
    from mailcore.directory.services import create_domain

    domain = create_domain("hộpthư.vn")
    records = expected_records(domain)
    assert zone_records(parse(zone_text(domain.name, records), domain.name)) == expected(records)
