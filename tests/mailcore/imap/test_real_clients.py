"""IMAP clients written by others: curl and mbsync (isync), Debian packages installed by
scripts/test-services. A missing client fails the test, never skips it."""
import shutil
import subprocess

import pytest

from mailcore.store.append import append
from mailcore.store.models import Folder, Message

PASSWORD = "correct horse battery staple"


def tool(name):
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed; scripts/test-services installs it")
    return path


def run(*args):
    return subprocess.run(args, capture_output=True, text=True, timeout=60)


@pytest.fixture
def mail(alice):
    append(alice.pk, "INBOX", b"From: bob@example.net\r\nSubject: one\r\n\r\nfirst body\r\n")
    append(alice.pk, "INBOX", b"From: bob@example.net\r\nSubject: two\r\n\r\nsecond body\r\n")
    return alice


def test_curl_lists_folders_and_fetches_a_message(mail, imap_host):
    base = f"imap://127.0.0.1:{imap_host.ports['imap']}"
    user = ["--user", f"alice@example.test:{PASSWORD}"]
    listing = run(tool("curl"), "--silent", "--show-error", *user, base + "/")
    assert listing.returncode == 0, listing.stderr
    assert '"/" INBOX' in listing.stdout and "\\Sent" in listing.stdout
    message = run(tool("curl"), "--silent", "--show-error", *user, base + "/INBOX;UID=2")
    assert message.returncode == 0, message.stderr
    assert "Subject: two" in message.stdout and "second body" in message.stdout
    wrong = run(tool("curl"), "--silent", "--show-error", "--user", "alice@example.test:wrong", base + "/")
    assert wrong.returncode != 0


def test_curl_with_starttls(mail, imap_host):
    result = run(tool("curl"), "--silent", "--show-error", "--ssl-reqd", "--insecure", "--user",
                 f"alice@example.test:{PASSWORD}", f"imap://127.0.0.1:{imap_host.ports['imap']}/INBOX;UID=1")
    assert result.returncode == 0, result.stderr
    assert "first body" in result.stdout


def test_mbsync_syncs_both_ways(mail, imap_host, tmp_path):
    maildir = tmp_path / "Mail"
    maildir.mkdir()
    config = tmp_path / "mbsyncrc"
    config.write_text(f"""
IMAPAccount hopthu
Host 127.0.0.1
Port {imap_host.ports['imap']}
User alice@example.test
Pass "{PASSWORD}"
SSLType None
AuthMechs LOGIN

IMAPStore remote
Account hopthu

MaildirStore local
Path {maildir}/
Inbox {maildir}/INBOX
SubFolders Verbatim

Channel sync
Master :remote:
Slave :local:
Patterns INBOX Archive
Create Both
Expunge Both
SyncState *
""")
    first = run(tool("mbsync"), "-c", str(config), "-a")
    assert first.returncode == 0, first.stdout + first.stderr
    fetched = sorted((maildir / "INBOX" / "cur").iterdir()) + sorted((maildir / "INBOX" / "new").iterdir())
    assert len(fetched) == 2
    assert any(b"second body" in path.read_bytes() for path in fetched)

    # Local changes go up: a new message in Archive, a message marked seen.
    archive_new = maildir / "Archive" / "new"
    archive_new.mkdir(parents=True, exist_ok=True)
    (maildir / "Archive" / "cur").mkdir(exist_ok=True)
    (maildir / "Archive" / "tmp").mkdir(exist_ok=True)
    (archive_new / "1700000000.1.local").write_bytes(b"From: alice@example.test\r\nSubject: from mbsync\r\n\r\nup\r\n")
    one = next(path for path in fetched if b"first body" in path.read_bytes())
    one.rename(maildir / "INBOX" / "cur" / (one.name.split(":")[0] + ":2,S"))
    second = run(tool("mbsync"), "-c", str(config), "-a")
    assert second.returncode == 0, second.stdout + second.stderr
    archive = Folder.objects.get(account=mail, name="Archive")
    assert list(Message.objects.filter(folder=archive).values_list("subject", flat=True)) == ["from mbsync"]
    assert Message.objects.get(account=mail, folder__name="INBOX", subject="one").seen
