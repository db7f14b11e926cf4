"""The expected records as a BIND zone-file snippet (RFC 1035 §5), to paste into a zone.

Owner names and targets are fully qualified (final dot), so the snippet means the same
wherever it is pasted, whatever $ORIGIN the zone has. TXT values are written as several
quoted character-strings of at most 255 octets (RFC 1035 §3.3.14; RFC 7208 §3.3 and
RFC 6376 §3.6.2.2 say the receiver joins them without spaces). Records that belong in
another zone, or whose value is unknown, are written as comments.
"""
from django.utils import timezone
from django.utils.translation import gettext as _

from .records import Record


def zone_text(domain: str, records: list[Record]) -> str:
    made = f"{timezone.now():%Y-%m-%d %H:%M} UTC"
    lines = ["; " + _("DNS records for %(domain)s, made by HopThu on %(date)s.") % {"domain": domain, "date": made},
             "; " + _("Paste them into the zone of %(domain)s.") % {"domain": domain}, ""]
    for record in records:
        line = f"{record.name}.\t{record.ttl}\tIN\t{record.rtype}\t{presentation(record)}"
        if record.in_zone and record.value:
            lines.append(line)
        elif record.value:
            lines.append("; " + _("In the zone of %(name)s:") % {"name": record.name} + " " + line)
        else:
            lines.append("; " + _("%(name)s %(type)s: the value is not configured here (see the panel).")
                         % {"name": record.name, "type": record.rtype})
    return "\n".join(lines) + "\n"


def presentation(record: Record) -> str:
    """The record's data as a zone file writes it."""
    if record.rtype == "TXT":
        return " ".join(_quoted(chunk) for chunk in record.txt_strings)
    return record.value


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
