"""Settings → Import mail: a user copies their own old mailbox into their own account."""
from datetime import datetime

import pytest
from django.urls import reverse

from mailcore.migration.jobs import create_job, report, run_job
from mailcore.migration.models import MigrationJob
from tests.mailcore.migration.conftest import ICT, hopthu_mailbox, imap_host, seed  # noqa: F401
from tests.support.dovecot import dovecot  # noqa: F401

URL = reverse("webmail:settings_import")


@pytest.fixture(autouse=True)
def old_server_on_this_machine(settings):
    # The tests' old servers are on loopback, which a user's import may not reach by default.
    settings.HOPTHU_IMPORT_PRIVATE_HOSTS = True


def form(**extra):
    return {"host": "127.0.0.1", "port": "1143", "security": "plain", "login": "me@old.test",
            "password": "old secret", **extra}


def test_it_imports_into_the_users_own_account_only(alice_client, alice, bob):
    response = alice_client.post(URL, form(target=bob.address))  # an extra field changes nothing
    assert response.status_code == 302
    job = MigrationJob.objects.get()
    [account] = job.accounts.all()
    assert (account.target, account.source_login, job.origin) == (alice, "me@old.test", "webmail")
    assert account.secret.startswith("sealed:") and "old secret" not in account.secret


def test_one_import_at_a_time(alice_client, alice):
    alice_client.post(URL, form())
    response = alice_client.post(URL, form())
    assert response.status_code == 400
    assert "An import is already running" in response.content.decode()
    assert MigrationJob.objects.count() == 1


def test_plain_imap_only_to_this_machine(alice_client, alice):
    response = alice_client.post(URL, form(host="imap.example.net"))
    assert response.status_code == 400
    assert "only a server on this machine" in response.content.decode()


def test_another_users_import_is_not_shown(alice_client, bob_client, alice, bob):
    bob_client.post(URL, form(login="bob@old.test"))
    page = alice_client.get(URL).content.decode()
    assert "bob@old.test" not in page and 'name="host"' in page


@pytest.mark.slow
def test_the_import_copies_and_the_page_reports_it(dovecot, transactional_db, client, alice, imap_host):  # noqa: F811
    client.force_login(alice.user)
    login = list(dovecot.users)[3]
    seed(dovecot, login, {"INBOX": [("Mine", "mine@old.test", ["\\Seen"], datetime(2020, 1, 1, tzinfo=ICT))],
                          "Sent Messages": [("Said", "said@old.test", ["\\Seen"], datetime(2020, 1, 1, tzinfo=ICT))]})
    client.post(URL, form(host=dovecot.host, port=str(dovecot.port), login=login, password=dovecot.users[login]))
    job = MigrationJob.objects.get()
    run_job(job.pk)
    page = client.get(URL).content.decode()
    assert '<td class="num">2</td><td class="num">0</td><td class="num">0</td>' in page  # copied, skipped, failed
    mailbox = hopthu_mailbox(imap_host.ports["imap"], alice.address)
    assert set(mailbox["Sent"][1]) == {"Said"} and set(mailbox["INBOX"][1]) == {"Mine"}


def test_a_users_import_may_not_reach_this_machine_or_its_network(alice_client, alice, settings, dovecot):  # noqa: F811
    settings.HOPTHU_IMPORT_PRIVATE_HOSTS = False
    for host in ("127.0.0.1", "10.1.2.3", "169.254.169.254", "localhost"):
        response = alice_client.post(URL, form(host=host, security="imaps"))
        assert response.status_code == 400
        assert "is not a public address" in response.content.decode()
    assert not MigrationJob.objects.exists()
    # Checked again when the job runs: the name may resolve elsewhere by then.
    job = create_job(host=dovecot.host, port=dovecot.port, security="plain", origin="webmail", dispatch=False,
                     accounts=[("me@old.test", "pw", alice)])
    run_job(job.pk)
    [row] = report(job)
    assert row["state"] == "failed" and "127.0.0.1 is not a public address" in row["error"]
