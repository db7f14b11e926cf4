"""An account's export as a zip, written while it is sent (docs/export.md).

    StreamingHttpResponse(export_stream(account))   # under ASGI (uvicorn)

The zip is produced as a stream: zipfile writes to a sink that never seeks (sizes go in
data descriptors, ZIP64 for large members), and the chunks are handed out after each
message, so memory holds one message at a time, whatever the mailbox's size. Layout:

    manifest.json           what is where: folders → files, counts, the export's time
    mail/<folder>.mbox      one mboxrd file per folder (mbox.py), messages in UID order
    mail/<folder>.flags.json   each message's UID, flags and INTERNALDATE, in file order
    settings.json  rules.json  rules.sieve  contacts.json
"""
import json
import zipfile
from collections.abc import AsyncIterator, Iterator

from asgiref.sync import sync_to_async
from django.utils import timezone

from mailcore.directory.models import Account
from mailcore.store.dump import account_folders, folder_messages

from . import sections
from .mbox import FileNames, mboxrd

FORMAT_VERSION = 1


class _Sink:
    """A write-only file for zipfile, emptied by the generator after each step."""

    def __init__(self):
        self.parts: list[bytes] = []
        self.offset = 0

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        self.offset += len(data)
        return len(data)

    def tell(self) -> int:
        return self.offset

    def flush(self):
        pass

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def _json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False).encode() + b"\n"


def export_chunks(account: Account) -> Iterator[bytes]:
    """The account's export as zip bytes, chunk by chunk."""
    sink = _Sink()
    names = FileNames()
    manifest = {"format": "hopthu-export", "version": FORMAT_VERSION, "account": account.address,
                "exported_at": timezone.now().isoformat(), "folders": []}
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for folder in account_folders(account.pk):
            mbox_name = names.name_for(folder.name)
            flags_name = mbox_name.removesuffix(".mbox") + ".flags.json"
            listed = []
            with archive.open(mbox_name, "w", force_zip64=True) as out:
                for message in folder_messages(folder.id):
                    out.write(mboxrd(message.raw, message.internal_date))
                    listed.append({"uid": message.uid, "flags": message.flags,
                                   "internal_date": message.internal_date.isoformat()})
                    yield sink.take()
            archive.writestr(flags_name, _json(listed))
            manifest["folders"].append({"name": folder.name, "special_use": folder.special_use,
                                        "uidvalidity": folder.uidvalidity, "file": mbox_name,
                                        "flags_file": flags_name, "messages": len(listed)})
            yield sink.take()
        archive.writestr("settings.json", _json(sections.settings_of(account)))
        archive.writestr("rules.json", _json(sections.rules_of(account)))
        archive.writestr("rules.sieve", sections.sieve_of(account).encode())
        archive.writestr("contacts.json", _json(sections.contacts_of(account)))
        archive.writestr("manifest.json", _json(manifest))
    yield sink.take()


async def export_stream(account: Account) -> AsyncIterator[bytes]:
    """export_chunks for an ASGI server: each step runs in the request's sync thread.

    Django serves a StreamingHttpResponse over ASGI from an async iterator only; given a
    sync one, it reads it whole into a list first, which for a mailbox means all of it
    in memory (django.http.StreamingHttpResponse.__aiter__).
    """
    chunks = export_chunks(account)
    step = sync_to_async(next, thread_sensitive=True)
    try:
        while (chunk := await step(chunks, None)) is not None:
            yield chunk
    finally:
        await sync_to_async(chunks.close, thread_sensitive=True)()


def export_filename(account: Account) -> str:
    """hopthu-alice@example.test-2026-12-08.zip (an ASCII name: the A-label address)."""
    return f"hopthu-{account.address}-{timezone.localdate():%Y-%m-%d}.zip"
