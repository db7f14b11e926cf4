"""RFC 8460 §4-§5: the daily TLS report about our outbound sessions, end to end.

Real sessions are counted (an MX with an untrusted certificate, then a backup MX with a
trusted one, under an MTA-STS policy in enforce mode); the domain's `_smtp._tls` record
in the stub DNS names a mailto: and an https: rua. The mailed report goes through the
outbound queue to an aiosmtpd sink and is read back with the receiving half's parser
(mailcore/reports/parse.py); the https: one is POSTed to a local HTTPS server.
"""
import datetime as dt
import email
import gzip
import http.server
import json
import threading

import dkim
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from mailcore.delivery.outbound import deliver
from mailcore.delivery.remote import deliver_due_remote
from mailcore.directory.services import create_domain
from mailcore.dkim.keys import create_key, dns_record
from mailcore.dns import txt_strings
from mailcore.reports import parse
from mailcore.reports.models import SentTlsReport, TlsSessionCount
from mailcore.reports.tasks import send_tls_reports
from mailcore.reports.tls_sending import build, rua_of, send_day
from mailcore.reports.tls_sessions import record
from mailcore.service.tls import generate_self_signed
from tests.mailcore.outbound import test_mta_sts
from tests.mailcore.outbound.messages import message
from tests.mailcore.outbound.test_mta_sts import context_for, publish_policy_id

pytestmark = pytest.mark.django_db

trusted, untrusted, policy_host = test_mta_sts.trusted, test_mta_sts.untrusted, test_mta_sts.policy_host


class ReportHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.posts.append((self.path, self.headers["Content-Type"], self.headers["Host"], body))
        self.send_response(self.server.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def report_host(tmp_path, trusted, settings, dns_server):
    """https://reports.example.org:<port>/ with a certificate the client trusts."""
    cert, key = tmp_path / "reports.pem", tmp_path / "reports.key"
    generate_self_signed(cert, key, ["reports.example.org"])
    bundle = tmp_path / "bundle.pem"
    bundle.write_bytes((tmp_path / "trusted.pem").read_bytes() + cert.read_bytes())
    settings.HOPTHU_OUTBOUND_CA_FILE = str(bundle)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), ReportHandler)
    server.socket = context_for(cert, key).wrap_socket(server.socket, server_side=True)
    server.posts, server.status = [], 201
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    dns_server.add("reports.example.org", "A", "127.0.0.1")
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def sessions(settings, sink, publish_mx, policy_host, dns_server, trusted, untrusted):
    """Two messages to example.net: each fails certificate validation at mx1 and is then
    delivered over verified TLS by mx2.backup; our own domain example.test signs with DKIM."""
    settings.HOPTHU_TLSRPT = True
    settings.HOPTHU_TLSRPT_ORGANIZATION = "HopThu Test"
    create_domain("example.test")
    create_key("example.test")
    dns_server.add_txt(*dns_record("example.test"))
    sink("127.0.0.1", tls_context=untrusted)
    backup = sink("127.0.0.3", tls_context=trusted)
    publish_mx("example.net", (10, "mx1.example.net", "127.0.0.1"), (20, "mx2.backup.example.net", "127.0.0.3"))
    publish_policy_id(dns_server)
    for subject in ("one", "two"):
        assert deliver("example.net", "alice@example.test", ["bob@example.net"], message(subject))[
            "bob@example.net"].delivered
    assert len(backup.messages) == 2
    return backup


def publish_rua(dns_server, rua):
    dns_server.add("_smtp._tls.example.net", "TXT", f'"v=TLSRPTv1; rua={rua}"')


def today():
    return timezone.now().astimezone(dt.UTC).date()


def test_rfc8460_5_3_a_mailto_report_is_delivered_signed_and_reads_back(sessions, sink, publish_mx, dns_server):
    collector = sink("127.0.0.2")
    publish_mx("reports.example.org", (10, "mx.reports.example.org", "127.0.0.2"))
    publish_rua(dns_server, "mailto:tls-reports@reports.example.org")
    [outcome] = send_day(today())
    assert outcome.domain == "example.net" and not outcome.skipped
    assert deliver_due_remote(domain="reports.example.org") == 1
    [received] = collector.messages
    assert received.rcpt_tos == ["tls-reports@reports.example.org"]
    assert received.mail_from == "postmaster@example.test"
    raw = received.content
    assert dkim.verify(raw, dnsfunc=lambda name, timeout=5: "".join(txt_strings(name.decode().rstrip("."))).encode())
    mail = email.message_from_bytes(raw)
    # §5.3: multipart/report with report-type tlsrpt, the two header fields, and the Subject.
    assert mail.get_content_type() == "multipart/report" and mail.get_param("report-type") == "tlsrpt"
    assert mail["TLS-Report-Domain"] == "example.net" and mail["TLS-Report-Submitter"] == "HopThu Test"
    subject = mail["Subject"].replace("\r\n", "").replace("\n", "")  # unfolded (RFC 5322 §2.2.3)
    assert subject == f"Report Domain: example.net Submitter: HopThu Test Report-ID: <{outcome.report_id}>"
    [attachment] = [part for part in mail.walk() if part.get_content_type() == "application/tlsrpt+gzip"]
    assert attachment.get_filename().startswith("HopThu Test!example.net!")
    assert attachment.get_filename().endswith(".json.gz")
    payload = attachment.get_payload(decode=True)
    # §4.4 fields as sent ...
    report = json.loads(gzip.decompress(payload))
    assert report["contact-info"] == "postmaster@example.test"
    assert report["date-range"] == {"start-datetime": f"{today():%Y-%m-%d}T00:00:00Z",
                                    "end-datetime": f"{today():%Y-%m-%d}T23:59:59Z"}
    assert report["policies"][0]["policy"]["mx-host"] == ["mx1.example.net", "*.backup.example.net"]
    # ... and as the receiving half reads them: a round trip.
    parsed = parse.tlsrpt(payload)
    assert (parsed["organization"], parsed["report_id"], parsed["domain"]) == ("HopThu Test", outcome.report_id,
                                                                              "example.net")
    assert (parsed["passed"], parsed["failed"]) == (2, 2)
    [row] = parsed["rows"]
    assert (row["policy_type"], row["successful"], row["failed"]) == ("sts", 2, 2)
    assert row["failures"] == [{"result_type": "certificate-not-trusted", "receiving_mx": "mx1.example.net",
                                "receiving_ip": "127.0.0.1", "count": 2}]


def test_rfc8460_5_4_an_https_report_is_posted_over_verified_tls(sessions, report_host, dns_server):
    port = report_host.server_address[1]
    publish_rua(dns_server, f"https://reports.example.org:{port}/v1/tlsrpt")
    [outcome] = send_day(today())
    assert outcome.destinations == [{"uri": f"https://reports.example.org:{port}/v1/tlsrpt", "outcome": "HTTP 201"}]
    [(path, content_type, host, body)] = report_host.posts
    assert (path, content_type, host) == ("/v1/tlsrpt", "application/tlsrpt+gzip", f"reports.example.org:{port}")
    assert parse.tlsrpt(body)["failed"] == 2


def test_rfc8460_5_4_an_https_host_with_an_untrusted_certificate_gets_nothing(sessions, report_host, dns_server,
                                                                             settings):
    settings.HOPTHU_OUTBOUND_CA_FILE = ""  # the system's CAs do not know the test certificate
    publish_rua(dns_server, f"https://reports.example.org:{report_host.server_address[1]}/")
    [outcome] = send_day(today())
    assert outcome.destinations[0]["outcome"].startswith("failed:") and report_host.posts == []


def test_a_day_already_sent_is_not_sent_again(sessions, report_host, dns_server):
    publish_rua(dns_server, f"https://reports.example.org:{report_host.server_address[1]}/")
    send_day(today())
    [again] = [outcome for outcome in send_day(today()) if outcome.domain == "example.net"]
    assert again.skipped == "already sent" and len(report_host.posts) == 1
    assert SentTlsReport.objects.get().destinations[0]["outcome"] == "HTTP 201"


def test_rfc8460_3_a_domain_without_an_smtp_tls_record_gets_no_report(sessions):
    [outcome] = send_day(today())
    assert outcome.skipped == "no _smtp._tls record" and not SentTlsReport.objects.exists()


def test_our_own_hosted_domains_get_no_report(db, settings, dns_server):
    settings.HOPTHU_TLSRPT = True
    create_domain("example.test")
    record("example.test", None, "mx.example.test", "127.0.0.1", "success")
    dns_server.add("_smtp._tls.example.test", "TXT", '"v=TLSRPTv1; rua=mailto:postmaster@example.test"')
    [outcome] = send_day(today())
    assert outcome.skipped == "hosted here"


def test_rfc8460_3_the_rua_record_is_read_as_the_rfc_says():
    assert rua_of(["v=TLSRPTv1; rua=mailto:a@example.org,https://r.example.org/x"]) == [
        "mailto:a@example.org", "https://r.example.org/x"]
    assert rua_of(["v=spf1 -all", "v=TLSRPTv1;rua=mailto:a@example.org"]) == ["mailto:a@example.org"]
    assert rua_of(["v=TLSRPTv1; rua=mailto:a@example.org", "v=TLSRPTv1; rua=mailto:b@example.org"]) == []
    assert rua_of(["rua=mailto:a@example.org"]) == [] and rua_of([]) == []
    assert rua_of(["v=TLSRPTv1; rua=ftp://x.example.org/,javascript:alert(1)"]) == []


def test_the_command_dry_run_sends_nothing(sessions, report_host, dns_server, capsys):
    publish_rua(dns_server, f"https://reports.example.org:{report_host.server_address[1]}/")
    call_command("mail", "tlsrpt", "send", "--day", f"{today():%Y-%m-%d}", "--dry-run")
    printed = capsys.readouterr().out
    assert f"example.net: report {today():%Y-%m-%d}-" in printed and printed.rstrip().endswith(": dry run")
    assert report_host.posts == [] and not SentTlsReport.objects.exists()
    call_command("mail", "tlsrpt", "send", "--day", f"{today():%Y-%m-%d}")
    assert len(report_host.posts) == 1


def test_the_command_refuses_a_bad_day(db):
    with pytest.raises(CommandError, match="not a day"):
        call_command("mail", "tlsrpt", "send", "--day", "yesterday")


def test_the_beat_task_sends_yesterday_and_prunes_old_counts(db, settings, report_host, dns_server):
    yesterday = today() - dt.timedelta(days=1)
    for day in (yesterday, today() - dt.timedelta(days=60)):
        TlsSessionCount.objects.create(day=day, policy_domain="example.net", policy_type="no-policy-found",
                                       receiving_mx="mx1.example.net", receiving_ip="127.0.0.1",
                                       result_type="starttls-not-supported", count=3)
    publish_rua(dns_server, f"https://reports.example.org:{report_host.server_address[1]}/")
    assert send_tls_reports() == 1
    report = json.loads(gzip.decompress(report_host.posts[0][3]))
    assert report["date-range"]["start-datetime"] == f"{yesterday:%Y-%m-%d}T00:00:00Z"
    assert report["policies"] == [{"policy": {"policy-type": "no-policy-found", "policy-domain": "example.net"},
                                   "summary": {"total-successful-session-count": 0,
                                               "total-failure-session-count": 3},
                                   "failure-details": [{"result-type": "starttls-not-supported",
                                                        "receiving-mx-hostname": "mx1.example.net",
                                                        "receiving-ip": "127.0.0.1", "failed-session-count": 3}]}]
    assert list(TlsSessionCount.objects.values_list("day", flat=True)) == [yesterday]
    assert send_tls_reports() == 0


def test_rfc8460_4_4_a_policy_fetch_failure_is_reported_without_an_mx(db, settings):
    settings.HOPTHU_TLSRPT = True
    record("example.net", None, "", "", "sts-policy-fetch-error", published=True)
    record("example.net", None, "mx1.example.net", "127.0.0.1", "success")
    report = build("example.net", today(), list(TlsSessionCount.objects.order_by("id")), "r1")
    assert [entry["policy"]["policy-type"] for entry in report["policies"]] == ["sts", "no-policy-found"]
    assert report["policies"][0]["failure-details"] == [{"result-type": "sts-policy-fetch-error",
                                                         "failed-session-count": 1}]
    parsed = parse.tlsrpt(gzip.compress(json.dumps(report).encode()))
    assert (parsed["passed"], parsed["failed"]) == (1, 1)


def test_hostile_rua_uris_are_refused_and_the_good_one_still_gets_its_report(sessions, report_host, dns_server):
    good = f"https://reports.example.org:{report_host.server_address[1]}/"
    publish_rua(dns_server, f"mailto:not an address,https://reports.example.org:99999999/,"
                            f"https://{'x' * 70}.example/,mailto:,{good}")  # a label over 63 octets
    [outcome] = send_day(today())
    outcomes = [destination["outcome"] for destination in outcome.destinations]
    assert all(text.startswith(("refused", "failed")) for text in outcomes[:-1]), outcomes
    assert outcomes[-1] == "HTTP 201" and len(report_host.posts) == 1
