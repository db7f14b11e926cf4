"""Reading DMARC aggregate reports (RFC 7489 Appendix C) and TLS reports (RFC 8460 §4.4),
and refusing hostile ones cleanly: zip bombs, entity bombs, junk."""
import contextlib
import gzip
import io
import json
import zipfile
from email import message_from_bytes

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mailcore.reports import parse
from mailcore.reports.intake import reports_in

from .samples import DMARC_XML, TLS_REPORT, dmarc_gzip, dmarc_mail, dmarc_zip, tls_gzip, tls_mail


@pytest.mark.parametrize("payload", [dmarc_gzip(), dmarc_zip(), DMARC_XML.format(report_id="1").encode()])
def test_rfc7489_7_2_an_aggregate_report_gzip_zip_or_plain(payload):
    report = parse.dmarc(payload)
    assert report["organization"] == "google.com" and report["domain"] == "example.test"
    assert (report["passed"], report["failed"]) == (42, 7)
    assert [row["source_ip"] for row in report["rows"]] == ["192.0.2.25", "203.0.113.66"]
    assert report["begin"].isoformat() == "2025-12-07T00:00:00+00:00"


def test_rfc8460_4_4_a_tls_report():
    report = parse.tlsrpt(tls_gzip())
    assert (report["organization"], report["domain"], report["passed"], report["failed"]) == (
        "Company-X", "example.test", 5326, 303)
    [policy] = report["rows"]
    assert [f["result_type"] for f in policy["failures"]] == ["certificate-expired", "starttls-not-supported"]


def test_the_reports_are_found_in_the_mail_that_carries_them():
    def kinds(raw):
        return [kind for kind, _payload in reports_in(message_from_bytes(raw))]

    assert kinds(dmarc_mail(dmarc_zip())) == ["dmarc"]
    assert kinds(tls_mail(tls_gzip())) == ["tlsrpt"]


def test_a_zip_bomb_stops_at_the_limit():
    bomb = gzip.compress(b"<feedback>" + b" " * (parse.MAX_BYTES + 10))
    with pytest.raises(parse.ReportError, match="too big"):
        parse.dmarc(bomb)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("r.xml", b"\0" * (parse.MAX_BYTES + 10))
    with pytest.raises(parse.ReportError, match="too big"):
        parse.dmarc(buffer.getvalue())


def test_an_entity_bomb_is_refused():
    bomb = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<feedback><report_metadata><report_id>&lol2;</report_id></report_metadata></feedback>"""
    with pytest.raises(parse.ReportError):
        parse.dmarc(bomb)


@pytest.mark.parametrize("payload", [b"", b"junk", b"\x1f\x8bjunk", b"PK\x03\x04junk", b"<other/>",
                                     b"<feedback/>", b"<feedback><report_metadata/></feedback>"])
def test_junk_is_not_a_dmarc_report(payload):
    with pytest.raises(parse.ReportError):
        parse.dmarc(payload)


@pytest.mark.parametrize("change", [lambda r: r.pop("policies"), lambda r: r.update({"policies": "x"}),
                                    lambda r: r["date-range"].update({"start-datetime": "yesterday"}),
                                    lambda r: r["policies"][0]["summary"].update(
                                        {"total-failure-session-count": -1})])
def test_a_broken_tls_report_is_refused(change):
    report = json.loads(json.dumps(TLS_REPORT))
    change(report)
    with pytest.raises(parse.ReportError):
        parse.tlsrpt(tls_gzip(report))


@given(st.binary(max_size=400))
def test_any_bytes_are_a_report_or_a_clean_refusal(data):
    for reader in (parse.dmarc, parse.tlsrpt):
        with contextlib.suppress(parse.ReportError):  # anything else fails the test
            reader(data)
