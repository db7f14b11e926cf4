"""GETQUOTA, GETQUOTAROOT, SETQUOTA. State: authenticated or selected. RFC 9208.

Every folder of an account shares one quota root, "" (the account's quota from the
directory, counted in units of 1,024 octets, RFC 9208 §5.1). An unlimited account has
no quota root. Quotas are set by administrators, never over IMAP.
"""
from mailcore.store.messages import quota_usage

from ..errors import ImapNo
from ..parser import Cursor
from ..server import AUTHED, command
from .mailbox import mailbox_name, store_errors, wire_name

ROOT = '""'


def _usage(account_id: int) -> tuple[int, int]:
    used, quota, _count = quota_usage(account_id)
    return used, quota


async def _quota_line(session, used: int, limit: int):
    await session.untagged(f"QUOTA {ROOT} (STORAGE {(used + 1023) // 1024} {limit // 1024})")


@command("GETQUOTAROOT", AUTHED)
async def cmd_getquotaroot(session, tag: str, cursor: Cursor):
    """The quota roots of a folder and their usage. RFC 9208 §4.3.2."""
    cursor.sp()
    name = mailbox_name(session, cursor)
    cursor.end()
    from mailcore.store.folders import get_folder

    await session.host.run_blocking(store_errors, get_folder, session.account.pk, name)
    used, limit = await session.host.run_blocking(_usage, session.account.pk)
    if limit:
        await session.untagged(b"QUOTAROOT " + wire_name(session, name) + b" " + ROOT.encode())
        await _quota_line(session, used, limit)
    else:
        await session.untagged(b"QUOTAROOT " + wire_name(session, name))
    await session.ok(tag, "GETQUOTAROOT completed")


@command("GETQUOTA", AUTHED)
async def cmd_getquota(session, tag: str, cursor: Cursor):
    """Usage and limits of a quota root. RFC 9208 §4.3.1."""
    cursor.sp()
    root = cursor.astring()
    cursor.end()
    used, limit = await session.host.run_blocking(_usage, session.account.pk)
    if root != b"" or not limit:
        raise ImapNo("No such quota root", code="NONEXISTENT")
    await _quota_line(session, used, limit)
    await session.ok(tag, "GETQUOTA completed")


@command("SETQUOTA", AUTHED)
async def cmd_setquota(session, tag: str, cursor: Cursor):
    """Refused: quotas are set by the administrator. RFC 9208 §4.2.3."""
    raise ImapNo("Quotas are set by the administrator", code="NOPERM")
