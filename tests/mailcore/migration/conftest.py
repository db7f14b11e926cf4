"""The old server (a real Dovecot), HopThu's IMAP listener to check the result, and the
seeding and reading helpers the migration tests share."""
import contextlib
import imaplib
import re
from datetime import datetime, timedelta, timezone

import pytest

from config.celery import app as celery_app
from mailcore.imap.listeners import FACTORIES
from tests.conftest import PASSWORD
from tests.support.dovecot import dovecot  # noqa: F401
from tests.support.hosts import running_host

ICT = timezone(timedelta(hours=7))


@pytest.fixture
def imap_host(settings, tmp_path, transactional_db):
    with running_host(settings, tmp_path, FACTORIES, ("imap",)) as host:
        yield host


@pytest.fixture
def eager_tasks():
    """Celery tasks run in the caller, as the worker would run them."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def message(subject: str, message_id: str | None = None, body: str = "Hello") -> bytes:
    lines = ["From: Old Server <old@old.test>", "To: someone@old.test", f"Subject: {subject}",
             "Date: Thu, 02 Jan 2020 10:00:00 +0700"]
    if message_id:
        lines.append(f"Message-ID: <{message_id}>")
    return ("\r\n".join(lines) + "\r\n\r\n" + body + "\r\n").encode()


def seed(dovecot, login: str, folders: dict) -> None:  # noqa: F811
    """folders: {name: [(subject, message_id or None, flags, internal date)]}; created as needed."""
    dovecot.reset(login)
    with dovecot.client(login) as client:
        for name, messages in folders.items():
            if name != "INBOX":
                client.create_folder(name)
            for subject, message_id, flags, when in messages:
                client.append(name, message(subject, message_id), flags=flags, msg_time=when)


def hopthu_mailbox(port: int, address: str) -> dict:
    """{folder: (special-use attributes, {subject: (flags, internal date)})} over HopThu's IMAP."""
    imap = imaplib.IMAP4("127.0.0.1", port, timeout=10)
    try:
        imap.login(address, PASSWORD)
        _typ, lines = imap.list()
        folders = {}
        for line in lines:
            match = re.match(rb'\(([^)]*)\) "(.)" (.*)$', line)
            attributes = set(match.group(1).decode().split())
            name = match.group(3).decode().strip('"')
            folders[name] = (attributes & {"\\Sent", "\\Drafts", "\\Trash", "\\Junk", "\\Archive"}, {})
        for name, (_uses, messages) in folders.items():
            _typ, data = imap.select(f'"{name}"', readonly=True)
            if int(data[0]) == 0:
                continue
            _typ, fetched = imap.fetch("1:*", "(FLAGS INTERNALDATE BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
            for item in fetched:
                if not isinstance(item, tuple):
                    continue
                flags = set(re.search(rb"FLAGS \(([^)]*)\)", item[0]).group(1).decode().split()) - {"\\Recent"}
                when = datetime.strptime(re.search(rb'INTERNALDATE "([^"]+)"', item[0]).group(1).decode(),
                                         "%d-%b-%Y %H:%M:%S %z")
                subject = item[1].decode().split(":", 1)[1].strip()
                assert subject not in messages, f"{subject} twice in {name}"
                messages[subject] = (flags, when)
        return folders
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            imap.logout()
