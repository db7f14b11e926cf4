"""Migration jobs: create (secrets sealed), claim, run, resume after a dead worker, end
(secrets wiped), and the report.

A job is claimed with one conditional UPDATE (queued, or running under a lease that ran
out), so two workers never run it at once; the running worker renews the lease as it
copies. The database is the source of truth: beat's resume_stalled re-dispatches queued
jobs whose task was lost and running jobs whose worker died (DESIGN.md, Processes).
"""
import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from imapclient.exceptions import IMAPClientError

from mailcore.auth.sealing import UnsealError, seal, unseal

from . import source
from .copying import AccountFailed, Hooks, copy_account
from .models import MigrationAccount, MigrationFolder, MigrationJob

log = logging.getLogger(__name__)

SEAL_PURPOSE = "migration-password"
LEASE = timedelta(minutes=5)
REDISPATCH_AFTER = timedelta(minutes=2)  # a queued job not taken by then lost its task
MAX_ATTEMPTS = 5  # a job whose worker dies this often is ended, and its passwords wiped


def create_job(*, host: str, port: int, security: str, accounts, login_method=MigrationJob.OWN_PASSWORD,
               admin_login: str = "", admin_password: str = "", verify_certificate: bool = True,
               created_by=None, origin: str = "panel", dispatch: bool = True) -> MigrationJob:
    """A queued job; accounts: [(source login, password or "", target Account)].

    Passwords are sealed at rest (mailcore.auth.sealing) and wiped when the job ends.
    """
    _validate(host, port, security, login_method, admin_login, admin_password, accounts)
    with transaction.atomic():
        job = MigrationJob.objects.create(
            host=host.strip(), port=port, security=security, verify_certificate=verify_certificate,
            login_method=login_method, admin_login=admin_login.strip(),
            admin_secret=seal(admin_password, SEAL_PURPOSE) if admin_password else "",
            created_by=created_by, origin=origin)
        MigrationAccount.objects.bulk_create([
            MigrationAccount(job=job, source_login=login.strip(), target=target,
                             secret=seal(password, SEAL_PURPOSE) if password else "")
            for login, password, target in accounts])
        if dispatch:
            transaction.on_commit(lambda: _dispatch(job.pk))
    return job


LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")


def _validate(host, port, security, login_method, admin_login, admin_password, accounts) -> None:
    """Refuse a job that cannot work, with the field at fault (forms and the CLI show it)."""
    errors = {}
    if not host.strip() or any(c.isspace() or ord(c) < 0x20 for c in host.strip()):
        errors["host"] = _("A server name is required.")
    if not isinstance(port, int) or not 0 < port < 65536:
        errors["port"] = _("The port must be between 1 and 65535.")
    if security not in dict(MigrationJob.SECURITY):
        errors["security"] = _("Choose IMAPS, STARTTLS or none.")
    elif security == MigrationJob.PLAIN and host.strip().lower() not in LOOPBACK_HOSTS:
        # Passwords in clear over a network: only to this machine (tests, an SSH tunnel).
        errors["security"] = _("Without TLS, only a server on this machine (127.0.0.1) is allowed.")
    if login_method not in dict(MigrationJob.LOGINS):
        errors["login_method"] = _("Choose how the accounts log in.")
    elif login_method != MigrationJob.OWN_PASSWORD and not (admin_login.strip() and admin_password):
        errors["admin_login"] = _("An admin login and password are required for this login method.")
    if not accounts:
        errors["accounts"] = _("Name at least one source account.")
    for login, password, _target in accounts:
        if not login.strip():
            errors["accounts"] = _("Every source account needs a login.")
        elif login_method == MigrationJob.OWN_PASSWORD and not password:
            errors["accounts"] = _("The source account %(login)s has no password.") % {"login": login}
    if errors:
        raise ValidationError(errors)


def _dispatch(job_id: int) -> None:
    from .tasks import run_migration

    run_migration.delay(job_id)


def claim(job_id: int) -> bool:
    """Take the job for this worker: queued, or running under an expired lease."""
    now = timezone.now()
    claimable = MigrationJob.objects.filter(pk=job_id).filter(
        Q(state=MigrationJob.QUEUED) | Q(state=MigrationJob.RUNNING, lease_until__lt=now))
    if claimable.filter(attempts__gte=MAX_ATTEMPTS).exists():
        _give_up(job_id)
        return False
    return bool(claimable.update(state=MigrationJob.RUNNING, lease_until=now + LEASE, started=now,
                                 attempts=F("attempts") + 1))


def _give_up(job_id: int) -> None:
    job = MigrationJob.objects.get(pk=job_id)
    reason = _("The copy stopped %(count)d times without finishing; start a new job to go on.") % {
        "count": MAX_ATTEMPTS}
    job.accounts.exclude(state__in=[MigrationAccount.DONE, MigrationAccount.FAILED]).update(
        state=MigrationAccount.FAILED, error=reason)
    _end(job)


def renew(job_id: int) -> None:
    MigrationJob.objects.filter(pk=job_id, state=MigrationJob.RUNNING).update(
        lease_until=timezone.now() + LEASE)


def run_job(job_id: int, stop_after: int | None = None) -> bool:
    """Run a job if it can be claimed; False if another worker has it or it has ended.

    stop_after: a test hook that raises copying.Interrupted after so many messages,
    leaving the job as a killed worker would.
    """
    if not claim(job_id):
        return False
    job = MigrationJob.objects.get(pk=job_id)
    hooks = Hooks(heartbeat=lambda: renew(job_id), stop_after=stop_after)
    for maccount in job.accounts.exclude(state__in=[MigrationAccount.DONE, MigrationAccount.FAILED]):
        _run_account(job, maccount, hooks)
    _end(job)
    return True


def _run_account(job: MigrationJob, maccount: MigrationAccount, hooks: Hooks) -> None:
    MigrationAccount.objects.filter(pk=maccount.pk).update(state=MigrationAccount.RUNNING)
    try:
        secret = job.admin_secret if job.login_method != MigrationJob.OWN_PASSWORD else maccount.secret
        password = unseal(secret, SEAL_PURPOSE)
        client = source.connect(job)
        try:
            source.login(client, job, maccount.source_login, password)
            copy_account(client, maccount, hooks)
        finally:
            source.logout(client)
    except source.SourceError as exc:
        _fail(maccount, str(exc))
    except UnsealError:
        _fail(maccount, _("The stored password cannot be read (was SECRET_KEY changed?)."))
    except AccountFailed as exc:
        _fail(maccount, str(exc))
    except (IMAPClientError, OSError) as exc:
        _fail(maccount, _("The old server failed: %(error)s") % {"error": str(exc)[:300]})
    else:
        MigrationAccount.objects.filter(pk=maccount.pk).update(state=MigrationAccount.DONE)


def _fail(maccount, reason: str) -> None:
    log.info("migration of %s failed: %s", maccount.source_login, reason)
    MigrationAccount.objects.filter(pk=maccount.pk).update(state=MigrationAccount.FAILED, error=reason)


def _end(job: MigrationJob) -> None:
    """Mark the job finished and wipe its passwords: nothing sealed outlives the job."""
    states = set(job.accounts.values_list("state", flat=True))
    with transaction.atomic():
        job.accounts.update(secret="")
        MigrationJob.objects.filter(pk=job.pk).update(
            state=MigrationJob.FAILED if states == {MigrationAccount.FAILED} else MigrationJob.DONE,
            finished=timezone.now(), lease_until=None, admin_secret="")


def resume_stalled() -> list[int]:
    """Dispatch again the jobs whose task was lost or whose worker died; their ids."""
    now = timezone.now()
    stalled = list(MigrationJob.objects.filter(
        Q(state=MigrationJob.QUEUED, created__lt=now - REDISPATCH_AFTER)
        | Q(state=MigrationJob.RUNNING, lease_until__lt=now)).values_list("pk", flat=True))
    for job_id in stalled:
        _dispatch(job_id)
    return stalled


def report(job: MigrationJob) -> list[dict]:
    """Per account: login, target, state, counts, the error and the failed messages."""
    rows, labels = [], dict(MigrationAccount.STATES)
    for maccount in job.accounts.select_related("target"):
        rows.append({
            "source": maccount.source_login, "target": maccount.target.address, "state": maccount.state,
            "state_label": str(labels.get(maccount.state, maccount.state)),
            "folders": maccount.folders_total, "folders_done": maccount.folders_done,
            "messages": maccount.messages_total, "copied": maccount.copied, "skipped": maccount.skipped,
            "failed": maccount.failed, "error": maccount.error, "problems": maccount.problems,
            "folder_progress": list(MigrationFolder.objects.filter(account=maccount).values(
                "source_name", "target_name", "messages_total", "copied", "skipped", "failed", "done")),
        })
    return rows
