"""`manage.py mail migrate start|show|list`: IMAP migration jobs from the shell.

Wired into the `mail` command (mailcore/directory/management/commands/mail.py). The
accounts come from a file (or "-" for stdin), one per line, tab-separated:
`SOURCE_LOGIN<TAB>PASSWORD<TAB>TARGET_ADDRESS` (TARGET defaults to the source login; the
password is left empty with --master-user or --proxyauth, whose password is read from
--admin-password-file). docs/migration.md and docs/cli.md show examples.
"""
import json
import sys

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from mailcore.directory.addresses import parse_address
from mailcore.directory.lookup import find_account

from . import jobs
from .models import MigrationAccount, MigrationJob


def add_arguments(command, objects) -> None:
    verbs = command._verbs(objects, "migrate", _("Copy mailboxes from another IMAP server."))
    start = command._verb(verbs, "start", lambda options: start_job(command, options),
                          _("Start a migration job (queued for the worker, or run here with --wait)."))
    start.add_argument("--host", required=True, help=_("The old server's name or address."))
    start.add_argument("--port", type=int, default=993, help=_("Its IMAP port (993 by default)."))
    start.add_argument("--security", choices=[code for code, _label in MigrationJob.SECURITY], default="imaps",
                       help=_("imaps, starttls, or plain (only to 127.0.0.1)."))
    start.add_argument("--no-verify", action="store_true", help=_("Accept any certificate (self-signed)."))
    admin = start.add_mutually_exclusive_group()
    admin.add_argument("--master-user", metavar="LOGIN", help=_("Log in as user*LOGIN (Dovecot master user)."))
    admin.add_argument("--proxyauth", metavar="LOGIN", help=_("Log in as LOGIN, then PROXYAUTH each user."))
    start.add_argument("--admin-password-file", metavar="FILE", help=_("A file holding the admin password."))
    start.add_argument("--accounts", metavar="FILE", required=True,
                       help=_("SOURCE<TAB>PASSWORD<TAB>TARGET lines; - reads standard input."))
    start.add_argument("--wait", action="store_true", help=_("Run the job here and print its report."))
    command._add_json(start)
    show = command._verb(verbs, "show", lambda options: show_job(command, options), _("Show a job's report."))
    show.add_argument("job", type=int)
    command._add_json(show)
    command._verb(verbs, "list", lambda options: list_jobs(command, options), _("List migration jobs."))


def _read(path: str, stdin) -> str:
    if path == "-":
        return stdin.read()
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError as exc:
        raise ValidationError({"accounts": _("Cannot read %(path)s: %(error)s")
                               % {"path": path, "error": exc.strerror}}) from None


def parse_accounts(text: str) -> list:
    """[(source login, password, target Account)] from the tab-separated lines."""
    accounts = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split("\t")
        login, password = fields[0].strip(), fields[1] if len(fields) > 1 else ""
        target_text = fields[2].strip() if len(fields) > 2 and fields[2].strip() else login
        try:
            target = find_account(parse_address(target_text))
        except ValidationError:
            target = None
        if target is None:
            raise ValidationError({"accounts": _("Line %(number)d: %(address)s is not an account here.")
                                   % {"number": number, "address": target_text}})
        accounts.append((login, password, target))
    return accounts


def start_job(command, options) -> None:
    stdin = options.get("stdin") or sys.stdin
    accounts = parse_accounts(_read(options["accounts"], stdin))
    method, admin = MigrationJob.OWN_PASSWORD, ""
    if options["master_user"]:
        method, admin = MigrationJob.MASTER_USER, options["master_user"]
    elif options["proxyauth"]:
        method, admin = MigrationJob.PROXYAUTH, options["proxyauth"]
    admin_password = ""
    if options["admin_password_file"]:
        lines = _read(options["admin_password_file"], stdin).splitlines()
        admin_password = lines[0] if lines else ""
    job = jobs.create_job(host=options["host"], port=options["port"], security=options["security"],
                          verify_certificate=not options["no_verify"], login_method=method, admin_login=admin,
                          admin_password=admin_password, accounts=accounts, origin="cli",
                          dispatch=not options["wait"])
    if not options["wait"]:
        command._say(_("Queued migration job %(id)d; see: manage.py mail migrate show %(id)d") % {"id": job.pk})
        return
    jobs.run_job(job.pk)
    show_job(command, {**options, "job": job.pk})


def show_job(command, options) -> None:
    job = MigrationJob.objects.filter(pk=options["job"]).first()
    if job is None:
        raise ValidationError({"job": _("There is no migration job %(id)s.") % {"id": options["job"]}})
    rows = jobs.report(job)
    if options.get("json"):
        command.stdout.write(json.dumps({"id": job.pk, "state": job.state, "accounts": rows}, default=str))
        return
    command._say(_("Job %(id)d (%(host)s:%(port)d): %(state)s")
                 % {"id": job.pk, "host": job.host, "port": job.port, "state": job.get_state_display()})
    labels = dict(MigrationAccount.STATES)
    for row in rows:
        row = {**row, "state": labels.get(row["state"], row["state"])}
        command._say(_("%(source)s -> %(target)s: %(state)s; folders %(folders_done)d/%(folders)d, "
                       "messages %(messages)d: %(copied)d copied, %(skipped)d skipped, %(failed)d failed")
                     % row)
        if row["error"]:
            command._say("  " + row["error"])
        for problem in row["problems"]:
            command._say("  {folder} UID {uid}: {reason}".format(**problem))


def list_jobs(command, options) -> None:
    for job in MigrationJob.objects.all()[:100]:
        command._say(f"{job.pk}\t{job.created:%Y-%m-%d %H:%M}\t{job.host}:{job.port}\t{job.state}\t"
                     f"{job.accounts.count()}")
