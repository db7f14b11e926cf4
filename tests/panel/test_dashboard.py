"""The panel's overview is a dashboard: counts, queue, today's mail, disk, mail-core nodes,
the certificate, and what needs an administrator, each scoped to the admin's domains."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mailcore.delivery.models import QueueRecipient
from mailcore.directory.services import create_account, create_alias, create_domain
from mailcore.dnsguide.models import DnsCheck
from mailcore.service.models import Heartbeat
from mailcore.service.tls import generate_self_signed
from mailcore.stats.counts import count
from mailcore.store.append import append
from tests.conftest import PASSWORD
from tests.panel.activity_rows import queued
from tests.test_translations import compiled_messages  # noqa: F401 (a fixture)

URL = reverse("panel:home")


@pytest.fixture(autouse=True)
def certificate(settings, tmp_path):
    """A CA-looking situation is not needed: a fresh self-signed certificate, 400 days."""
    settings.HOPTHU_TLS_CERT = tmp_path / "cert.pem"
    generate_self_signed(tmp_path / "cert.pem", tmp_path / "key.pem", ["mail.example.test"], days=400)


def heartbeat(node, seconds_ago=1, listeners=2):
    now = timezone.now()
    return Heartbeat.objects.create(node=node, hostname=node.split(":")[0], pid=1, started=now - timedelta(hours=1),
                                    last_seen=now - timedelta(seconds=seconds_ago),
                                    listeners=[{"name": "smtp", "port": 25}] * listeners)


def context(client):
    response = client.get(URL)
    assert response.status_code == 200
    return response.context


def notices(client) -> list[str]:
    return [notice.title for notice in context(client)["notices"]]


def test_it_counts_domains_accounts_and_aliases(super_client, alice, bob, charlie):
    create_alias("sales@example.test", ["alice@example.test"])
    directory = context(super_client)["directory"]
    assert (directory.domains, directory.accounts, directory.aliases) == (2, 3, 1)


def test_a_domain_admin_sees_only_their_domains_figures(owner_client, alice, charlie):
    create_alias("sales@example.org", ["charlie@example.org"])
    queued("charlie@example.org")
    count("example.org", "received", 5)
    count("example.test", "received", 2)
    page = context(owner_client)
    assert (page["directory"].domains, page["directory"].accounts, page["directory"].aliases) == (1, 1, 0)
    assert page["queue"] == {"waiting": 0, "deferred": 0}
    assert page["today"]["received"] == 2


def test_the_queue_shows_waiting_and_deferred_recipients(super_client, alice):
    queued("alice@example.test", message_id="1@example.net")
    deferred = queued("bob@example.net", message_id="2@example.net")
    QueueRecipient.objects.filter(pk=deferred.pk).update(status=QueueRecipient.Status.DEFERRED)
    delivered = queued("alice@example.test", message_id="3@example.net")
    QueueRecipient.objects.filter(pk=delivered.pk).update(status=QueueRecipient.Status.DELIVERED)
    assert context(super_client)["queue"] == {"waiting": 2, "deferred": 1}


def test_mail_today_counts_today_only(super_client, domain):
    count("example.test", "received", 7)
    count("example.test", "sent", 3)
    count("example.test", "received", 100, day=timezone.now().date() - timedelta(days=1))
    today = context(super_client)["today"]
    assert (today["received"], today["sent"], today["bounced"]) == (7, 3, 0)


def test_disk_shows_message_bodies_to_superadmins_and_mailbox_use_to_all(super_client, owner_client, alice):
    raw = b"Subject: hi\r\n\r\n" + b"x" * 5000 + b"\r\n"
    append(alice.pk, "INBOX", raw)
    assert context(super_client)["disk"]["blobs"] == len(raw)
    page = context(owner_client)
    assert page["disk"] is None and page["directory"].used_bytes >= len(raw)
    assert "Message bodies" not in owner_client.get(URL).content.decode()


def test_a_silent_node_needs_attention_and_a_live_one_does_not(super_client, db):
    heartbeat("mx1:100")
    heartbeat("mx2:200", seconds_ago=3600)
    assert notices(super_client) == ["The mail-core node mx2:200 is silent.", "Virus scanning is off.",
                                     "The TLS certificate is self-signed."]
    page = super_client.get(URL).content.decode()
    assert "mx1:100" in page and "2 listeners, last heartbeat" in page


def test_no_node_at_all_needs_attention(super_client, db):
    assert notices(super_client)[0] == "No mail-core node is running."


def test_a_domain_admin_learns_whether_mail_flows_but_not_the_nodes(owner_client, db):
    heartbeat("mx1:100", seconds_ago=3600)
    page = owner_client.get(URL).content.decode()
    assert "mx1:100" not in page
    assert "The mail service is not running." in page
    Heartbeat.objects.update(last_seen=timezone.now())
    assert "The mail service is not running." not in notices(owner_client)


def test_virus_scanning_off_says_how_to_turn_it_on(super_client, owner_client, settings, db):
    heartbeat("mx1:100")
    settings.HOPTHU_CLAMD = ""
    notice = next(n for n in context(super_client)["notices"] if n.title == "Virus scanning is off.")
    assert "HOPTHU_CLAMD turns it off" in notice.text and "auto" in notice.text
    owner_notice = next(n for n in context(owner_client)["notices"] if n.title == "Virus scanning is off.")
    assert "HOPTHU_CLAMD" not in owner_notice.text
    settings.HOPTHU_CLAMD = "127.0.0.1:3310"
    assert "Virus scanning is off." not in notices(super_client)


def test_no_clamd_found_says_installing_it_is_enough(super_client, settings, tmp_path, db):
    heartbeat("mx1:100")
    settings.HOPTHU_CLAMD = "auto"
    settings.HOPTHU_CLAMD_SEARCH = [str(tmp_path / "clamd.ctl"), str(tmp_path / "clamd.conf")]  # neither exists
    notice = next(n for n in context(super_client)["notices"] if n.title == "Virus scanning is off.")
    assert "no ClamAV daemon was found" in notice.text and "apt install clamav-daemon" in notice.text


@pytest.mark.parametrize("days, title", [
    (10, "The TLS certificate expires in 9 days."),
    (400, "The TLS certificate is self-signed."),
])
def test_the_certificate_expiry_is_shown_and_warned_about(super_client, settings, tmp_path, days, title):
    generate_self_signed(tmp_path / "cert.pem", tmp_path / "key.pem", ["mail.example.test"], days=days)
    assert title in notices(super_client)
    certificate = context(super_client)["certificate"]
    assert certificate.days_left() in (days - 1, days)


def test_a_missing_certificate_is_a_problem_for_superadmins_only(super_client, owner_client, settings, tmp_path):
    settings.HOPTHU_TLS_CERT = tmp_path / "gone.pem"
    assert "The TLS certificate cannot be read." in notices(super_client)
    assert "The TLS certificate cannot be read." not in notices(owner_client)
    assert context(owner_client)["certificate"] is None


def test_dns_problems_come_from_the_last_check_with_unicode_names(owner_client, db):
    mine = create_domain("công-ty.vn")
    from mailcore.directory.models import DomainAdmin

    DomainAdmin.objects.create(user=context(owner_client)["request"].user, domain=mine)
    DnsCheck.objects.create(domain=mine, checked=timezone.now(), problems=[
        {"key": "mx", "status": "missing", "rtype": "MX", "name": mine.name},
        {"key": "dmarc", "status": "wrong", "rtype": "TXT", "name": f"_dmarc.{mine.name}"},
        {"key": "srv:pop3", "status": "warn", "rtype": "SRV", "name": f"_pop3._tcp.{mine.name}"}])
    other = create_domain("elsewhere.test")
    DnsCheck.objects.create(domain=other, checked=timezone.now(), problems=[
        {"key": "mx", "status": "missing", "rtype": "MX", "name": other.name}])
    notice = next(n for n in context(owner_client)["notices"] if "DNS records are missing" in n.title)
    assert notice.title == "công-ty.vn: 2 DNS records are missing or wrong."
    assert notice.text == "Mail to or from it may fail or be taken for spam: MX công-ty.vn, TXT _dmarc.công-ty.vn."
    assert notice.link == reverse("panel:dns_records", args=["công-ty.vn"])
    assert not any("elsewhere.test" in title for title in notices(owner_client))


def test_domains_never_checked_are_named(super_client, domain):
    DnsCheck.objects.create(domain=create_domain("checked.test"), checked=timezone.now(), problems=[])
    assert "The DNS records of 1 domain have not been checked yet." in notices(super_client)


def test_the_dashboard_does_not_ask_dns(super_client, domain, quiet_dns):
    asked = len(quiet_dns.queries)
    super_client.get(URL)
    assert len(quiet_dns.queries) == asked


@pytest.mark.usefixtures("compiled_messages")
def test_the_dashboard_in_vietnamese(super_client, db):
    html = super_client.get(URL, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    for text in ("Cần chú ý", "Hàng đợi", "Thư hôm nay", "Chưa bật quét virus."):
        assert text in html
    assert "Needs attention" not in html


def test_a_mail_user_is_refused(client, alice):
    client.login(username="alice@example.test", password=PASSWORD)
    assert client.get(URL).status_code == 403


def test_an_account_created_later_is_counted(super_client, domain):
    create_account("late@example.test", PASSWORD)
    assert context(super_client)["directory"].accounts == 1
