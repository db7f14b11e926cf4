"""Checks of the tag=value TXT records: DKIM, DMARC, MTA-STS and TLS-RPT.

Each compares what DNS answers at the record's name with the expected record and says,
in plain words, what is missing or wrong and how to fix it. Several records of one kind
at one name are an error for each of these protocols: receivers then ignore them all
(RFC 7489 §6.6.3, RFC 8461 §3.1, RFC 8460 §3) or pick one at random (RFC 6376 §3.6.2.2).
"""
import re

from django.utils.translation import gettext as _

from mailcore import dns as mail_dns

from .records import Record
from .result import Result

_DMARC_VERSION = re.compile(r"v[ \t]*=[ \t]*DMARC1[ \t]*(;|$)")  # RFC 7489 §6.4: first, case-sensitive
_STS_ID = re.compile(r"[A-Za-z0-9]{1,32}")  # RFC 8461 §3.1
DMARC_POLICIES = ("none", "quarantine", "reject")


def tags(text: str) -> dict[str, str]:
    """The tag=value pairs of a DKIM/DMARC/MTA-STS/TLS-RPT record (first occurrence wins)."""
    found = {}
    for part in text.split(";"):
        name, eq, value = part.partition("=")
        if eq:
            found.setdefault(name.strip().lower(), value.strip())
    return found


def _publish(record: Record) -> str:
    return _("Publish a TXT record named %(name)s with the value shown above.") % {"name": record.name}


def _replace(record: Record) -> str:
    return _("Replace the TXT record named %(name)s with the value shown above.") % {"name": record.name}


def _several(record: Record, found: tuple[str, ...]) -> Result:
    return Result(record.key, "wrong", _("There are %(count)d such records; receivers then ignore them.")
                  % {"count": len(found)}, _("Keep only one.") + " " + _replace(record), found)


def check_dkim(record: Record, _context) -> Result:
    found = tuple(text for text in mail_dns.txt_strings(record.name) if "p=" in text.replace(" ", ""))
    if not found:
        return Result(record.key, "missing", _("Receivers cannot find this DKIM key, so HopThu's signatures "
                                               "fail."), _publish(record))
    if len(found) > 1:
        return _several(record, found)
    published = tags(found[0])
    key = re.sub(r"\s+", "", published.get("p", ""))
    if published.get("v", "DKIM1") != "DKIM1" or published.get("k", "rsa").lower() != "rsa":
        return Result(record.key, "wrong", _("The record is not an RSA DKIM key (v= or k= is wrong)."),
                      _replace(record), found)
    if not key:
        return Result(record.key, "wrong", _("The key is revoked (empty p=)."), _replace(record), found)
    if key != tags(record.value)["p"]:
        return Result(record.key, "wrong", _("The published public key differs from HopThu's key for this "
                                             "selector, so signatures fail."), _replace(record), found)
    return Result(record.key, "ok", _("Receivers can verify HopThu's signatures."), found=found)


def check_dmarc(record: Record, _context) -> Result:
    texts = mail_dns.txt_strings(record.name)
    found = tuple(text for text in texts if text.replace(" ", "").lower().startswith("v=dmarc1"))
    if not found:
        return Result(record.key, "missing", _("The domain has no DMARC policy: receivers get no instructions "
                                               "and the domain gets no reports."), _publish(record))
    if len(found) > 1:
        return _several(record, found)
    if not _DMARC_VERSION.match(found[0]):
        return Result(record.key, "wrong", _("The record must begin with \"v=DMARC1\" exactly (upper case, first)."),
                      _replace(record), found)
    published = tags(found[0])
    policy = published.get("p", "").lower()
    if policy not in DMARC_POLICIES:
        return Result(record.key, "wrong", _("The record has no valid policy: p= must be none, quarantine or "
                                             "reject."), _replace(record), found)
    reports = [uri.strip() for uri in published.get("rua", "").split(",") if uri.strip()]
    if any(not uri.lower().startswith("mailto:") for uri in reports):
        return Result(record.key, "wrong", _("Report addresses (rua=) must start with \"mailto:\"."),
                      _replace(record), found)
    if policy == "none":
        return Result(record.key, "ok", _("DMARC is published in monitoring mode (p=none): failing mail is "
                                          "still delivered. Move to p=quarantine once the reports look clean."),
                      found=found)
    return Result(record.key, "ok", _("DMARC is published with p=%(policy)s.") % {"policy": policy}, found=found)


def check_mta_sts(record: Record, _context) -> Result:
    texts = mail_dns.txt_strings(record.name)
    found = tuple(text for text in texts if text.lower().startswith("v=stsv1"))
    if not found:
        return Result(record.key, "missing", _("Senders do not know that this domain requires TLS."),
                      _publish(record))
    if len(found) > 1:
        return _several(record, found)
    published_id = tags(found[0]).get("id", "")
    if not found[0].startswith("v=STSv1") or not _STS_ID.fullmatch(published_id):
        return Result(record.key, "wrong", _("The record is malformed: it must be \"v=STSv1; id=\" followed by "
                                             "1 to 32 letters or digits."), _replace(record), found)
    if published_id != tags(record.value)["id"]:
        return Result(record.key, "wrong", _("The id is not the current policy's: senders keep an older "
                                             "policy until the id changes."), _replace(record), found)
    return Result(record.key, "ok", _("Senders find the current MTA-STS policy."), found=found)


def check_tlsrpt(record: Record, _context) -> Result:
    found = tuple(text for text in mail_dns.txt_strings(record.name) if text.lower().startswith("v=tlsrptv1"))
    if not found:
        return Result(record.key, "missing", _("Senders cannot report TLS problems with this domain."),
                      _publish(record))
    if len(found) > 1:
        return _several(record, found)
    reports = [uri.strip() for uri in tags(found[0]).get("rua", "").split(",") if uri.strip()]
    if not reports or not all(uri.lower().startswith(("mailto:", "https:")) for uri in reports):
        return Result(record.key, "wrong", _("The record needs rua= with a mailto: or https: address (RFC 8460 "
                                             "§3)."), _replace(record), found)
    return Result(record.key, "ok", _("Senders send TLS reports to %(where)s.") % {"where": ", ".join(reports)},
                  found=found)
