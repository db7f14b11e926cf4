"""`manage.py mail migrate`: start a job from the shell, run it with --wait, show its report."""
import io
import json
from datetime import datetime

import pytest
from django.core.management import CommandError, call_command

from mailcore.migration.models import MigrationJob

from .conftest import ICT, seed

pytestmark = pytest.mark.slow


def mail(*args, stdin=""):
    out = io.StringIO()
    call_command("mail", *args, stdout=out, stdin=io.StringIO(stdin))
    return out.getvalue()


def test_it_migrates_with_wait_and_reports_each_account(dovecot, transactional_db, alice, bob):
    first, second = list(dovecot.users)[2:4]
    when = datetime(2020, 1, 1, tzinfo=ICT)
    seed(dovecot, first, {"INBOX": [("From the shell", "shell@old.test", ["\\Seen"], when)]})
    lines = f"{first}\t{dovecot.users[first]}\t{alice.address}\n{second}\twrong\t{bob.address}\n"
    out = mail("migrate", "start", "--host", dovecot.host, "--port", str(dovecot.port), "--security", "plain",
               "--accounts", "-", "--wait", stdin=lines)
    assert f"{first} -> {alice.address}: Finished; folders 1/1, messages 1: 1 copied, 0 skipped, 0 failed" in out
    assert f"{second} -> {bob.address}: Failed" in out
    assert "refused the login of " + second in out
    job = MigrationJob.objects.get()
    shown = json.loads(mail("migrate", "show", str(job.pk), "--json"))
    assert [row["copied"] for row in shown["accounts"]] == [1, 0]
    assert [row["state"] for row in shown["accounts"]] == ["done", "failed"]


def test_it_queues_a_job_with_a_master_user(dovecot, transactional_db, alice, tmp_path):
    secret = tmp_path / "admin"
    secret.write_text(dovecot.master[1] + "\n")
    out = mail("migrate", "start", "--host", dovecot.host, "--port", str(dovecot.port), "--security", "plain",
               "--master-user", dovecot.master[0], "--admin-password-file", str(secret), "--accounts", "-",
               stdin=f"someone@old.test\t\t{alice.address}\n")
    job = MigrationJob.objects.get()
    assert f"Queued migration job {job.pk}" in out
    assert (job.state, job.login_method, job.admin_login) == ("queued", "master", dovecot.master[0])
    assert job.admin_secret.startswith("sealed:") and dovecot.master[1] not in job.admin_secret


def test_it_refuses_plain_imap_to_another_machine_and_unknown_targets(db, alice):
    with pytest.raises(CommandError, match="only a server on this machine"):
        mail("migrate", "start", "--host", "imap.example.net", "--security", "plain", "--accounts", "-",
             stdin=f"a@example.net\tpw\t{alice.address}\n")
    with pytest.raises(CommandError, match=r"nobody@example\.test is not an account here"):
        mail("migrate", "start", "--host", "imap.example.net", "--accounts", "-",
             stdin="a@example.net\tpw\tnobody@example.test\n")
    assert not MigrationJob.objects.exists()
