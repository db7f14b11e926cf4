"""IMAP command handlers, registered in server.COMMANDS by importing these modules."""
from . import any, append, auth, esearch, fetch, idle, listing, mailbox, messages, notify, quota, search, sort, thread  # noqa: F401  (registration)

BASE_CAPABILITIES = ["IMAP4rev1", "LITERAL+", "SASL-IR", "ID", "UNSELECT", "CHILDREN", "SPECIAL-USE", "UIDPLUS", "MOVE",
                     "IDLE", "NAMESPACE", "ENABLE", "UTF8=ACCEPT", "QUOTA", "QUOTA=RES-STORAGE", "CONDSTORE", "QRESYNC",
                     "LIST-EXTENDED", "LIST-STATUS", "SORT", "THREAD=ORDEREDSUBJECT", "THREAD=REFERENCES",
                     "MULTIAPPEND", "CATENATE", "URL-PARTIAL", "BINARY", "SORT=DISPLAY", "NOTIFY"]
# Search results (commands/esearch.py, imap/searchcontext.py): RFC 4731, RFC 5182, RFC 5267, RFC 9394.
BASE_CAPABILITIES += ["ESEARCH", "SEARCHRES", "ESORT", "PARTIAL", "CONTEXT=SEARCH", "CONTEXT=SORT"]


def capabilities(session) -> list[str]:
    """RFC 9051 §6.1.1: what this session may use now; AUTH only once it is secure."""
    caps = list(BASE_CAPABILITIES)
    if session.state == "not authenticated":
        if not session.tls:
            caps.append("STARTTLS")
        if session.is_secure:
            caps.append("AUTH=PLAIN")
        else:
            caps.append("LOGINDISABLED")  # RFC 9051 §6.2.3: no plaintext passwords
    return caps
