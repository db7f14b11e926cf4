"""Commands valid in any state: CAPABILITY, NOOP, LOGOUT, ID. RFC 9051 §6.1, RFC 2971."""
from ..errors import ImapBad
from ..parser import Cursor
from ..server import ANY, AUTHED, AUTHENTICATED, LOGOUT, command


@command("CAPABILITY", ANY)
async def cmd_capability(session, tag: str, cursor: Cursor):
    """List capabilities. State: any. RFC 9051 §6.1.1."""
    from . import capabilities

    cursor.end()
    await session.untagged("CAPABILITY " + " ".join(capabilities(session)))
    await session.ok(tag, "CAPABILITY completed")


@command("NOOP", ANY)
async def cmd_noop(session, tag: str, cursor: Cursor):
    """Do nothing; a chance for untagged updates. State: any. RFC 9051 §6.1.2."""
    cursor.end()
    from .notify import poll_updates

    await poll_updates(session)  # updates.sync, or what NOTIFY asked for
    await session.ok(tag, "NOOP completed")


@command("LOGOUT", ANY)
async def cmd_logout(session, tag: str, cursor: Cursor):
    """End the session. State: any. RFC 9051 §6.1.3."""
    cursor.end()
    await session.untagged("BYE HopThu logging out")
    await session.ok(tag, "LOGOUT completed")
    session.state = LOGOUT


@command("ID", ANY)
async def cmd_id(session, tag: str, cursor: Cursor):
    """Exchange implementation names. State: any. RFC 2971 §3.1."""
    cursor.sp()
    if not cursor.take(b"NIL"):
        fields = cursor.paren_list(cursor.nstring)
        if len(fields) % 2 or len(fields) > 60:
            raise ImapBad("ID takes field/value pairs, at most 30")
    cursor.end()
    await session.untagged('ID ("name" "HopThu")')
    await session.ok(tag, "ID completed")


@command("NAMESPACE", AUTHED)
async def cmd_namespace(session, tag: str, cursor: Cursor):
    """One personal namespace, "/" delimited. State: authenticated or selected. RFC 2342."""
    cursor.end()
    await session.untagged('NAMESPACE (("" "/")) NIL NIL')
    await session.ok(tag, "NAMESPACE completed")


ENABLEABLE = {"UTF8=ACCEPT", "CONDSTORE", "QRESYNC"}


@command("ENABLE", {AUTHENTICATED})
async def cmd_enable(session, tag: str, cursor: Cursor):
    """Turn on extensions. State: authenticated (RFC 9051 §6.3.1, RFC 5161)."""
    names = []
    while not cursor.at_end():
        cursor.sp()
        names.append(cursor.atom("a capability").upper())
    if not names:
        raise ImapBad("ENABLE needs at least one capability")
    newly = [name for name in names if name in ENABLEABLE and name not in session.enabled]
    session.enabled.update(newly)
    if "QRESYNC" in session.enabled:
        session.enabled.add("CONDSTORE")  # RFC 7162 §3.2.3: QRESYNC implies CONDSTORE
    await session.untagged("ENABLED" + "".join(f" {name}" for name in newly))
    await session.ok(tag, "ENABLE completed")
