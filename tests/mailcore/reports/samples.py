"""Reports as Google, Microsoft and others send them (shape of RFC 7489 Appendix C and
RFC 8460 §4.4), made small for the tests."""
import gzip
import io
import json
import zipfile
from email.message import EmailMessage
from email.policy import SMTP

DMARC_XML = """<?xml version="1.0" encoding="UTF-8" ?>
<feedback>
  <report_metadata>
    <org_name>google.com</org_name>
    <email>noreply-dmarc-support@google.com</email>
    <report_id>{report_id}</report_id>
    <date_range><begin>1765065600</begin><end>1765151999</end></date_range>
  </report_metadata>
  <policy_published><domain>example.test</domain><adkim>r</adkim><aspf>r</aspf><p>none</p></policy_published>
  <record>
    <row><source_ip>192.0.2.25</source_ip><count>42</count>
      <policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>pass</spf></policy_evaluated></row>
    <identifiers><header_from>example.test</header_from></identifiers>
  </record>
  <record>
    <row><source_ip>203.0.113.66</source_ip><count>7</count>
      <policy_evaluated><disposition>none</disposition><dkim>fail</dkim><spf>fail</spf></policy_evaluated></row>
    <identifiers><header_from>example.test</header_from></identifiers>
  </record>
</feedback>
"""

TLS_REPORT = {
    "organization-name": "Company-X",
    "date-range": {"start-datetime": "2026-12-07T00:00:00Z", "end-datetime": "2026-12-07T23:59:59Z"},
    "contact-info": "sts-reporting@company-x.example",
    "report-id": "5065427c-23d3-47ca-b6e0-946ea0e8c4be",
    "policies": [{
        "policy": {"policy-type": "sts", "policy-string": ["version: STSv1", "mode: testing",
                                                         "mx: mail.example.test", "max_age: 86400"],
                   "policy-domain": "example.test", "mx-host": ["mail.example.test"]},
        "summary": {"total-successful-session-count": 5326, "total-failure-session-count": 303},
        "failure-details": [{"result-type": "certificate-expired", "sending-mta-ip": "2001:db8:abcd:0012::1",
                             "receiving-mx-hostname": "mail.example.test", "failed-session-count": 100},
                            {"result-type": "starttls-not-supported", "sending-mta-ip": "2001:db8:abcd:0013::1",
                             "receiving-mx-hostname": "mail.example.test", "receiving-ip": "203.0.113.56",
                             "failed-session-count": 203}]}],
}


def dmarc_gzip(report_id="12598866915817748661") -> bytes:
    return gzip.compress(DMARC_XML.format(report_id=report_id).encode())


def dmarc_zip(report_id="12598866915817748661") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("google.com!example.test!1765065600!1765151999.xml", DMARC_XML.format(report_id=report_id))
    return buffer.getvalue()


def tls_gzip(report=None) -> bytes:
    return gzip.compress(json.dumps(report or TLS_REPORT).encode())


def dmarc_mail(payload: bytes, to="postmaster@example.test") -> bytes:
    mail = EmailMessage()
    mail["From"] = "noreply-dmarc-support@google.com"
    mail["To"] = to
    mail["Subject"] = "Report domain: example.test Submitter: google.com Report-ID: 12598866915817748661"
    mail.set_content("This is an aggregate report from google.com.\n")
    mail.add_attachment(payload, maintype="application", subtype="zip" if payload[:2] == b"PK" else "gzip",
                        filename="google.com!example.test!1765065600!1765151999.xml.gz")
    return mail.as_bytes(policy=SMTP)


def tls_mail(payload: bytes, to="postmaster@example.test") -> bytes:
    """RFC 8460 §5.3: multipart/report; report-type=tlsrpt with application/tlsrpt+gzip."""
    mail = EmailMessage()
    mail["From"] = "tlsrpt@company-x.example"
    mail["To"] = to
    mail["Subject"] = "Report Domain: example.test Submitter: company-x.example Report-ID: <5065427c@company-x>"
    mail["TLS-Report-Domain"] = "example.test"
    mail["TLS-Report-Submitter"] = "company-x.example"
    mail.set_content("This is an aggregate TLS report from company-x.example.\n")
    mail.add_attachment(payload, maintype="application", subtype="tlsrpt+gzip",
                        filename="company-x.example!example.test!1765065600!1765151999.json.gz")
    mail.set_type("multipart/report")
    mail.set_param("report-type", "tlsrpt")
    return mail.as_bytes(policy=SMTP)
