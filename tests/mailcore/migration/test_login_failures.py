"""A source account whose login is refused fails alone: the report says why, the other
accounts of the job are copied."""
from datetime import datetime

import pytest

from mailcore.migration.jobs import create_job, report, run_job
from mailcore.migration.models import MigrationJob

from .conftest import ICT, seed

pytestmark = pytest.mark.slow

WHEN = datetime(2023, 1, 1, tzinfo=ICT)


def test_wrong_password_fails_that_account_and_the_others_continue(dovecot, transactional_db, alice, bob):
    wrong, right = list(dovecot.users)[2:4]
    seed(dovecot, right, {"INBOX": [("Kept", "kept@old.test", [], WHEN)]})
    job = create_job(host=dovecot.host, port=dovecot.port, security=MigrationJob.PLAIN,
                     accounts=[(wrong, "not the password", alice), (right, dovecot.users[right], bob)],
                     dispatch=False)
    run_job(job.pk)
    job.refresh_from_db()
    first, second = report(job)
    assert first["state"] == "failed"
    assert "refused the login of " + wrong in first["error"]
    assert (second["state"], second["copied"]) == ("done", 1)
    assert job.state == MigrationJob.DONE  # one account got through


def test_unreachable_server_fails_every_account_with_the_reason(dovecot, transactional_db, alice):
    from tests.support.services_filters import free_port

    job = create_job(host="127.0.0.1", port=free_port(), security=MigrationJob.PLAIN,
                     accounts=[("someone@old.test", "x", alice)], dispatch=False)
    run_job(job.pk)
    job.refresh_from_db()
    [row] = report(job)
    assert job.state == MigrationJob.FAILED
    assert row["state"] == "failed" and "Cannot connect to 127.0.0.1" in row["error"]


def test_rfc9051_imaps_and_starttls_verify_the_certificate(dovecot, transactional_db, alice, bob, charlie):
    login = list(dovecot.users)[3]
    seed(dovecot, login, {"INBOX": [("Over TLS", "tls@old.test", [], WHEN)]})
    accounts = [(login, dovecot.users[login], alice)]
    # The test server's certificate is self-signed: refused unless the job says not to verify.
    refused = create_job(host=dovecot.host, port=dovecot.ssl_port, security=MigrationJob.IMAPS,
                         accounts=accounts, dispatch=False)
    run_job(refused.pk)
    [row] = report(refused)
    assert row["state"] == "failed" and "TLS with 127.0.0.1 failed" in row["error"]

    for port, security, target in ((dovecot.ssl_port, MigrationJob.IMAPS, bob),
                                   (dovecot.port, MigrationJob.STARTTLS, charlie)):
        job = create_job(host=dovecot.host, port=port, security=security, verify_certificate=False,
                         accounts=[(login, dovecot.users[login], target)], dispatch=False)
        run_job(job.pk)
        [row] = report(job)
        assert (row["state"], row["copied"]) == ("done", 1), security
