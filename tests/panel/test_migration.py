"""The panel's migration pages: an admin starts a job for accounts they manage, follows it
and reads its report; another domain's accounts and jobs stay out of reach."""
from datetime import datetime

import pytest
from django.urls import reverse

from mailcore.migration.jobs import create_job, run_job
from mailcore.migration.models import MigrationJob
from tests.mailcore.migration.conftest import ICT, seed
from tests.support.dovecot import dovecot  # noqa: F401


def form(accounts, **extra):
    return {"host": "127.0.0.1", "port": "1143", "security": "plain", "verify_certificate": "on",
            "login_method": "password", "admin_login": "", "admin_password": "", "accounts": accounts, **extra}


def test_it_starts_a_job_with_sealed_passwords(owner_client, alice, bob):
    response = owner_client.post(reverse("panel:migration_create"), form(
        f"an@old.test {alice.address} pass word with spaces\nbinh@old.test {bob.address} secret"))
    job = MigrationJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("panel:migration_detail", args=[job.pk])
    first, second = job.accounts.order_by("pk")
    assert (first.source_login, first.target, second.target) == ("an@old.test", alice, bob)
    assert first.secret.startswith("sealed:") and "spaces" not in first.secret
    assert (job.state, job.origin, job.created_by.username) == ("queued", "panel", "owner")


def test_it_refuses_accounts_of_domains_the_admin_does_not_manage(owner_client, alice, charlie):
    response = owner_client.post(reverse("panel:migration_create"),
                                 form(f"x@old.test {charlie.address} pw"))
    assert response.status_code == 400
    assert "charlie@example.org is not an account you manage" in response.content.decode()
    assert not MigrationJob.objects.exists()


def test_it_refuses_plain_imap_to_another_machine(owner_client, alice):
    response = owner_client.post(reverse("panel:migration_create"),
                                 form(f"x@old.test {alice.address} pw", host="imap.example.net"))
    assert response.status_code == 400
    assert "only a server on this machine" in response.content.decode()


def test_another_domains_job_is_a_404(owner_client, charlie):
    job = create_job(host="127.0.0.1", port=1143, security="plain", accounts=[("x", "pw", charlie)],
                     dispatch=False)
    assert owner_client.get(reverse("panel:migration_detail", args=[job.pk])).status_code == 404
    assert f"/panel/migration/{job.pk}/" not in owner_client.get(reverse("panel:migration_list")).content.decode()


@pytest.mark.slow
def test_the_report_shows_each_accounts_counts_and_errors(dovecot, transactional_db, super_client, alice, bob):  # noqa: F811
    good = list(dovecot.users)[3]
    seed(dovecot, good, {"INBOX": [("Panel", "panel@old.test", [], datetime(2020, 1, 1, tzinfo=ICT))]})
    job = create_job(host=dovecot.host, port=dovecot.port, security="plain", dispatch=False,
                     accounts=[(good, dovecot.users[good], alice), ("nobody@old.test", "wrong", bob)])
    page = super_client.get(reverse("panel:migration_detail", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' in page  # queued: the page follows the job
    run_job(job.pk)
    page = super_client.get(reverse("panel:migration_detail", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert '<td class="num">1</td><td class="num">0</td><td class="num">0</td>' in page  # copied, skipped, failed
    assert "refused the login of nobody@old.test" in page
