"""Reports mailed to postmaster@<domain> (the rua= the DNS guidance publishes) arrive over
SMTP, are delivered as usual, and show on the domain's reports page in the panel."""
import gzip

from django.urls import reverse

from mailcore.reports.models import ReceivedReport
from mailcore.store.models import Message
from tests.mailcore.smtp.conftest import mail_host, mx, wait_for  # noqa: F401 (fixtures)

from .samples import DMARC_XML, dmarc_gzip, dmarc_mail, dmarc_zip, tls_gzip, tls_mail


def send(smtp, raw: bytes, sender="<noreply@reporter.example>"):
    smtp.ehlo("mail.reporter.example")
    assert smtp.mail(sender)[0] == 250
    assert smtp.rcpt("<postmaster@example.test>")[0] == 250
    code, reply = smtp.data(raw)
    assert code == 250, reply


def test_rfc7489_7_2_a_dmarc_report_is_kept_and_the_mail_delivered(alice, mx):  # noqa: F811
    send(mx, dmarc_mail(dmarc_zip()))
    report = wait_for(lambda: ReceivedReport.objects.filter(kind="dmarc").first(), what="the report")
    assert (report.domain.name, report.organization, report.passed, report.failed) == ("example.test", "google.com",
                                                                                     42, 7)
    assert Message.objects.filter(account=alice).count() == 1  # the postmaster still gets the mail


def test_the_same_report_twice_is_kept_once(alice, mx):  # noqa: F811
    send(mx, dmarc_mail(dmarc_gzip()))
    send(mx, dmarc_mail(dmarc_gzip()))
    wait_for(lambda: Message.objects.filter(account=alice).count() == 2, what="both deliveries")
    assert ReceivedReport.objects.count() == 1


def test_rfc8460_5_3_a_tls_report_is_kept(alice, mx):  # noqa: F811
    send(mx, tls_mail(tls_gzip()))
    report = wait_for(lambda: ReceivedReport.objects.filter(kind="tlsrpt").first(), what="the report")
    assert (report.organization, report.passed, report.failed) == ("Company-X", 5326, 303)


def test_a_report_about_another_domain_is_not_kept(alice, mx):  # noqa: F811
    other = DMARC_XML.format(report_id="9").replace("<domain>example.test</domain>", "<domain>victim.example</domain>")
    send(mx, dmarc_mail(gzip.compress(other.encode())))
    wait_for(lambda: Message.objects.filter(account=alice).exists(), what="delivery")
    assert not ReceivedReport.objects.exists()


def test_the_panel_shows_who_sends_as_the_domain_and_how_tls_went(client, alice, mx, django_user_model):  # noqa: F811
    send(mx, dmarc_mail(dmarc_zip()))
    send(mx, tls_mail(tls_gzip()))
    wait_for(lambda: ReceivedReport.objects.count() == 2, what="both reports")
    django_user_model.objects.create_superuser("root", password="pw-for-the-test-1")
    client.login(username="root", password="pw-for-the-test-1")
    page = client.get(reverse("panel:dns_reports", args=["example.test"]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "203.0.113.66" in text and "192.0.2.25" in text and "google.com" in text
    assert "Company-X" in text and "certificate-expired" in text and "starttls-not-supported" in text
