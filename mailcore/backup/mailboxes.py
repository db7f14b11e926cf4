"""The portable form of one account's mail: `mailboxes/<address>.jsonl` in every archive.

One JSON object a line, in this order: the account, its subscriptions, its folders, its
messages (by folder, then UID). A message names its body by SHA-256 (the archive's
`blobs/<2 hex>/<digest>`), and carries its flags, keywords, INTERNALDATE and the trace
fields of its copy. The form is the same from SQLite and PostgreSQL, so one account (or
one folder) is restored into a running installation of either engine by appending the
messages again through the store, never by replacing database rows.
"""
import base64
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .snapshot import Reader

DIGEST = re.compile(r"[0-9a-f]{64}")
SYSTEM_FLAGS = (("seen", "\\Seen"), ("answered", "\\Answered"), ("flagged", "\\Flagged"),
                ("deleted", "\\Deleted"), ("draft", "\\Draft"))


def canonical_address(address: str) -> str:
    """An address as the directory stores it: lower-case, the domain as its A-label."""
    from django.core.exceptions import ValidationError

    from mailcore.directory.addresses import normalize_domain

    localpart, _at, domain = address.strip().rpartition("@")
    try:
        return f"{localpart.lower()}@{normalize_domain(domain)}"
    except ValidationError:
        return address.strip().lower()


def member_name(address: str) -> str:
    return f"mailboxes/{canonical_address(address)}.jsonl"


def accounts(reader: Reader, domain: str | None = None, address: str | None = None) -> list[dict]:
    """The accounts in scope, as account records (the whole snapshot when both are None)."""
    sql = ("SELECT a.id, a.localpart, d.name, a.display_name, a.quota, a.active, u.password "
           "FROM directory_account a JOIN directory_domain d ON d.id = a.domain_id "
           "JOIN directory_user u ON u.id = a.user_id")
    params = []
    if domain is not None:
        sql += " WHERE d.name = %s"
        params.append(domain)
    elif address is not None:
        localpart, _at, domain_name = address.rpartition("@")
        sql += " WHERE a.localpart = %s AND d.name = %s"
        params += [localpart, domain_name]
    return [{"type": "account", "id": row[0], "address": f"{row[1]}@{row[2]}", "localpart": row[1], "domain": row[2],
             "display_name": row[3], "quota": row[4], "active": bool(row[5]), "password": row[6]}
            for row in reader.rows(sql + " ORDER BY d.name, a.localpart", params)]


def _utc_iso(value) -> str:
    if isinstance(value, str):  # SQLite: Django stores UTC as "YYYY-MM-DD HH:MM:SS[.ffffff]"
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def records(reader: Reader, account: dict) -> Iterator[dict]:
    """Every record of one account: the account, subscriptions, folders, messages."""
    yield {key: value for key, value in account.items() if key != "id"}
    for (name,) in list(reader.rows("SELECT name FROM store_subscription WHERE account_id = %s ORDER BY name",
                                    [account["id"]])):
        yield {"type": "subscription", "name": name}
    folders = {}
    for folder_pk, name, special_use, uidvalidity, uidnext in list(reader.rows(
            "SELECT id, name, special_use, uidvalidity, uidnext FROM store_folder WHERE account_id = %s "
            "ORDER BY name", [account["id"]])):
        folders[folder_pk] = name
        yield {"type": "folder", "name": name, "special_use": special_use, "uidvalidity": uidvalidity,
               "uidnext": uidnext}
    flag_columns = ", ".join(f"m.{column}" for column, _flag in SYSTEM_FLAGS)
    for row in reader.rows(
            f"SELECT m.folder_id, m.uid, m.keywords, m.internal_date, m.trace, m.size, b.digest, {flag_columns} "  # noqa: S608
            "FROM store_message m JOIN store_blob b ON b.id = m.blob_id WHERE m.account_id = %s "
            "ORDER BY m.folder_id, m.uid", [account["id"]]):
        folder_pk, uid, keywords, internal_date, trace, size, digest, *system = row
        if isinstance(keywords, str):
            keywords = json.loads(keywords)
        flags = [flag for (_column, flag), on in zip(SYSTEM_FLAGS, system, strict=True) if on]
        yield {"type": "message", "folder": folders[folder_pk], "uid": uid, "flags": flags + list(keywords),
               "internal_date": _utc_iso(internal_date), "size": size, "blob": digest,
               "trace": base64.b64encode(bytes(trace or b"")).decode("ascii")}


@dataclass
class Mailbox:
    """One account's records read back from an archive."""

    account: dict
    subscriptions: list = field(default_factory=list)
    folders: list = field(default_factory=list)
    messages: list = field(default_factory=list)

    @property
    def digests(self) -> set[str]:
        return {message["blob"] for message in self.messages}


def parse(lines) -> Mailbox:
    """Read a mailboxes/*.jsonl member (an iterable of byte lines)."""
    mailbox = None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            kind = record["type"]
        except (ValueError, KeyError, TypeError):
            raise ValueError(f"line {number} is not a mailbox record") from None
        if kind == "account":
            mailbox = Mailbox(record)
        elif mailbox is None:
            raise ValueError("a mailbox file must start with its account")
        elif kind == "subscription":
            mailbox.subscriptions.append(record["name"])
        elif kind == "folder":
            mailbox.folders.append(record)
        elif kind == "message":
            if not isinstance(record.get("blob"), str) or not DIGEST.fullmatch(record["blob"]):
                raise ValueError(f"line {number}: a message's body is named by its SHA-256")
            mailbox.messages.append(record)
    if mailbox is None:
        raise ValueError("the mailbox file is empty")
    return mailbox
