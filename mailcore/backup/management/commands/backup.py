"""`manage.py backup`: make, verify and restore archives (docs/backup.md).

    manage.py backup create [--domain D | --account A] [--to PATH]
    manage.py backup verify ARCHIVE
    manage.py backup restore ARCHIVE                          a whole installation (empty var dir)
    manage.py backup restore ARCHIVE --account A [--folder F] one account or folder, while running

Archives are encrypted with HOPTHU_BACKUP_KEY when it is set, and opened with it. Errors
are one line on stderr with exit status 1.
"""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mailcore.backup.archive import ArchiveDamaged
from mailcore.backup.encryption import EncryptionError
from mailcore.backup.models import BackupRun
from mailcore.backup.restore import RestoreError, restore_account, restore_installation
from mailcore.backup.runs import run_backup
from mailcore.backup.snapshot import SnapshotError
from mailcore.backup.verify import verify_archive
from mailcore.sizes import format_size

FAILURES = (ArchiveDamaged, EncryptionError, RestoreError, SnapshotError, OSError, ValueError)


class Command(BaseCommand):
    help = "Make, verify and restore backup archives."

    def add_arguments(self, parser):
        parser.description = _("Make, verify and restore backup archives.")
        commands = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = commands.add_parser("create", help=_("make an archive while HopThu runs"))
        scope = create.add_mutually_exclusive_group()
        scope.add_argument("--domain", help=_("only this domain's accounts and their mail"))
        scope.add_argument("--account", help=_("only this account and its mail"))
        create.add_argument("--to", type=Path, help=_("the archive's path or directory (default HOPTHU_BACKUP_DIR)"))
        verify = commands.add_parser("verify", help=_("check every checksum and the counts in a scratch database"))
        verify.add_argument("archive", type=Path)
        restore = commands.add_parser("restore", help=_("restore an installation, an account or a folder"))
        restore.add_argument("archive", type=Path)
        restore.add_argument("--account", help=_("restore this account's mail into the running installation"))
        restore.add_argument("--folder", help=_("only this folder of the account"))

    def handle(self, *args, action, **options):
        actions = {"create": self._create, "verify": self._verify, "restore": self._restore}
        try:
            actions[action](**options)
        except FAILURES as error:
            raise CommandError(str(error)) from None

    def _progress(self, verbosity):
        return (lambda step: self.stderr.write(f"... {step}")) if verbosity > 1 else (lambda step: None)

    def _create(self, domain=None, account=None, to=None, verbosity=1, **_options):
        run = run_backup(BackupRun.Trigger.COMMAND, to=to, domain=domain, account=account,
                         progress=self._progress(verbosity))
        counts = run.counts
        self.stdout.write(_("%(path)s: %(size)s, %(accounts)d accounts, %(folders)d folders, %(messages)d messages, "
                            "%(blobs)d bodies%(encrypted)s") % {
            "path": run.path, "size": format_size(run.size), **counts,
            "encrypted": _(", encrypted") if run.encrypted else ""})

    def _verify(self, archive, verbosity=1, **_options):
        verified = verify_archive(archive, progress=self._progress(verbosity))
        counts = verified.counts
        self.stdout.write(_("%(name)s: OK, %(files)d files checked; %(domains)d domains, %(accounts)d accounts, "
                            "%(folders)d folders, %(messages)d messages") % {
            "name": archive.name, "files": verified.files, **counts})

    def _restore(self, archive, account=None, folder=None, verbosity=1, **_options):
        if folder and not account:
            raise CommandError(_("--folder needs --account"))
        if account:
            restored = restore_account(archive, account, folder, progress=self._progress(verbosity))
            self.stdout.write(_("%(address)s: %(appended)d messages restored, %(already)d already there, "
                                "%(refused)d refused; folders made again: %(folders)s") % {
                "address": restored.address, "appended": restored.appended, "already": restored.already_there,
                "refused": len(restored.refused), "folders": ", ".join(restored.folders_created) or "-"})
            for folder_name, uid, reason in restored.refused:
                self.stderr.write(f"{folder_name} UID {uid}: {reason}")
            return
        manifest = restore_installation(archive, progress=self._progress(verbosity))
        self.stdout.write(_("Restored the installation of %(created)s (%(messages)d messages). "
                            "Start it as usual (make run).") % {
            "created": manifest["created"], "messages": manifest["counts"]["messages"]})
