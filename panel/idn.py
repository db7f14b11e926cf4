"""Names as people read them: every IDNA A-label in a text shown in Unicode
("an@xn--cng-ty-ixa.vn" → "an@công-ty.vn", "_dmarc.xn--…" → "_dmarc.công-ty.vn")."""
import re

from mailcore.directory.addresses import domain_to_unicode

# A dotted name with at least one A-label ("xn--"); "_" and "@" end it, so the owner names
# of DKIM and DMARC records and the local part of an address stay as they are.
_ALABEL_NAME = re.compile(r"[A-Za-z0-9-]*xn--[A-Za-z0-9.-]*", re.IGNORECASE)


def unicode_names(text) -> str:
    return _ALABEL_NAME.sub(lambda match: domain_to_unicode(match.group().lower()), str(text))
