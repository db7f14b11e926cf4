"""An account's export (docs/export.md): a zip of mboxrd files per folder that Python's
mailbox module reads back as the stored messages, with flags, settings, rules and contacts."""
import base64
import io
import json
import mailbox
import os
import re
import tracemalloc
import zipfile
from datetime import UTC, datetime

from mailcore.accountdata.archive import export_chunks
from mailcore.accountdata.mbox import FileNames, mboxrd, safe_level
from mailcore.contacts.services import remember
from mailcore.delivery.models import MailRule
from mailcore.directory.services import set_forward
from mailcore.store.append import Target, append, append_many
from mailcore.store.folders import create_folder

TRICKY = (b"From: Bob <bob@example.test>\r\nSubject: quoting\r\n\r\nFrom the start of a line\r\n"
          b">From already quoted\r\n>>From twice\r\nnot From here\r\n")


def unquote_mboxrd(body: bytes) -> bytes:
    """What an mboxrd reader does: take one ">" off every line matching ^>+From ."""
    return re.sub(rb"(?m)^>(>*From )", rb"\1", body)


def export(account) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(export_chunks(account))))


def read_mbox(archive, name, tmp_path) -> list[bytes]:
    path = tmp_path / "read.mbox"
    path.write_bytes(archive.read(name))
    box = mailbox.mbox(str(path), create=False)
    try:
        return [unquote_mboxrd(box.get_bytes(key)) for key in box.iterkeys()]
    finally:
        box.close()


def lf(raw: bytes) -> bytes:
    return raw.replace(b"\r\n", b"\n")


def test_every_folder_reads_back_with_pythons_mailbox_as_the_stored_messages(alice, tmp_path):
    create_folder(alice.pk, "Projects/2026")
    first = b"From: a@example.net\r\nSubject: one\r\n\r\nfirst\r\n"
    when = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
    append(alice.pk, "INBOX", first, flags=["\\Seen", "$Work"], internal_date=when)
    append(alice.pk, "INBOX", TRICKY)
    append(alice.pk, "Projects/2026", b"Subject: nested\r\n\r\nplan\r\n")
    archive = export(alice)
    assert read_mbox(archive, "mail/INBOX.mbox", tmp_path) == [lf(first), lf(TRICKY)]
    assert read_mbox(archive, "mail/Projects/2026.mbox", tmp_path) == [b"Subject: nested\n\nplan\n"]
    assert read_mbox(archive, "mail/Trash.mbox", tmp_path) == []
    flags = json.loads(archive.read("mail/INBOX.flags.json"))
    assert flags[0] == {"uid": 1, "flags": ["\\Seen", "$Work"], "internal_date": "2026-03-01T08:30:00+00:00"}
    manifest = json.loads(archive.read("manifest.json"))
    assert {f["name"]: f["messages"] for f in manifest["folders"]}["INBOX"] == 2
    assert manifest["account"] == "alice@example.test"


def test_the_from_line_names_the_return_path_and_the_internal_date():
    raw = b"Return-Path: <bounce@example.net>\r\nSubject: x\r\n\r\nFrom me\r\n"
    entry = mboxrd(raw, datetime(2026, 12, 8, 1, 2, 3, tzinfo=UTC))
    assert entry.startswith(b"From bounce@example.net Tue Dec 08 01:02:03 2026\n")
    assert b"\n>From me\n" in entry and entry.endswith(b"\n\n")
    assert mboxrd(b"Subject: x\r\n\r\n", datetime(2026, 1, 1, tzinfo=UTC)).startswith(b"From MAILER-DAEMON ")


def test_trace_fields_of_the_copy_are_exported_with_it(alice, tmp_path):
    append_many(b"Subject: t\r\n\r\nbody\r\n", [Target(alice.pk, trace=b"Return-Path: <s@example.net>\r\n")])
    archive = export(alice)
    assert archive.read("mail/INBOX.mbox").startswith(b"From s@example.net ")
    assert read_mbox(archive, "mail/INBOX.mbox", tmp_path) == [b"Return-Path: <s@example.net>\nSubject: t\n\nbody\n"]


def test_hostile_folder_names_become_safe_distinct_file_names(alice):
    for name in ("../../etc", "a:b*c?", "CON", "Báo cáo", "Case", "case", " .hidden"[1:]):
        create_folder(alice.pk, name)
    names = export(alice).namelist()
    assert all(not n.startswith("/") and ".." not in n.split("/") for n in names)
    assert "mail/Báo cáo.mbox" in names
    assert "mail/a_b_c_.mbox" in names and "mail/_CON.mbox" in names
    assert {"mail/Case.mbox", "mail/case (2).mbox"} <= set(names)
    assert "mail/_.hidden.mbox" in names


def test_safe_level_refuses_what_file_systems_refuse():
    assert safe_level("..") == "_"
    assert safe_level("nul.txt") == "_nul.txt"
    assert safe_level("tab\there") == "tab_here"
    names = FileNames()
    assert names.name_for("A/B") == "mail/A/B.mbox"
    assert names.name_for("a/b") == "mail/a/b (2).mbox"


def test_settings_rules_sieve_and_contacts_come_as_json(alice):
    alice.display_name = "Alice Nguyễn"
    alice.save(update_fields=["display_name"])
    set_forward(alice.address, ["boss@example.net"], keep_copy=True)
    MailRule.objects.create(account=alice, name="Invoices", conditions=[
        {"field": "subject", "op": "contains", "value": "invoice"}], actions=[{"action": "flag"}])
    remember(alice.pk, [("Chi", "chi@example.net")], sent=True)
    archive = export(alice)
    settings = json.loads(archive.read("settings.json"))
    assert settings["account"]["display_name"] == "Alice Nguyễn"
    assert settings["forward"]["targets"] == ["boss@example.net"]
    assert "password" not in json.dumps(settings).replace("app_passwords", "")
    assert json.loads(archive.read("rules.json"))[0]["name"] == "Invoices"
    assert 'header :contains "subject" "invoice"' in archive.read("rules.sieve").decode()
    assert json.loads(archive.read("contacts.json"))[0]["address"] == "chi@example.net"


def _peak_memory(account) -> tuple[int, int]:
    """(peak bytes traced, non-empty chunks) while the whole export is read."""
    tracemalloc.start()
    try:
        chunks = 0
        for chunk in export_chunks(account):
            chunks += bool(chunk)
            del chunk
        return tracemalloc.get_traced_memory()[1], chunks
    finally:
        tracemalloc.stop()


def test_the_export_is_streamed_one_message_at_a_time(alice, bob):
    """Eight 1 MB messages take about the memory of one: nothing is built whole."""
    def big(n):
        # Incompressible: base64 of random bytes, in lines, as an attachment is.
        lines = base64.encodebytes(os.urandom(750_000)).replace(b"\n", b"\r\n")
        return b"Subject: big %d\r\n\r\n" % n + lines

    append(bob.pk, "INBOX", big(0))
    for n in range(8):
        append(alice.pk, "INBOX", big(n))
    one, _chunks = _peak_memory(bob)
    eight, chunks = _peak_memory(alice)
    assert chunks >= 8  # handed out message by message
    assert eight < 2 * one, (one, eight)


def test_the_asgi_stream_hands_out_the_same_zip_step_by_step(alice):
    """Under uvicorn Django reads a sync iterator whole before sending (StreamingHttpResponse
    .__aiter__); export_stream is async, so each message goes out as it is read."""
    from asgiref.sync import async_to_sync

    from mailcore.accountdata.archive import export_stream

    for n in range(3):
        append(alice.pk, "INBOX", b"Subject: s%d\r\n\r\nbody\r\n" % n)

    async def read_all():
        return [chunk async for chunk in export_stream(alice)]

    chunks = async_to_sync(read_all)()
    assert sum(1 for chunk in chunks if chunk) >= 4
    archive = zipfile.ZipFile(io.BytesIO(b"".join(chunks)))
    assert archive.read("mail/INBOX.mbox").count(b"\nSubject: s") == 3
