"""Mail addresses and domain names: parse, validate and put in canonical form.

Canonical form, used for every lookup and stored value: the local part lower-cased
(hosted mailboxes are case-insensitive, as in Postfix and Dovecot) and the domain as
its lower-case IDNA A-label. Display uses the U-label.
"""
import functools
import re
import unicodedata
from dataclasses import dataclass

import idna
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_LOCALPART_OCTETS = 64  # RFC 5321 §4.5.3.1.1
MAX_DOMAIN_OCTETS = 255  # RFC 5321 §4.5.3.1.2
MAX_PATH_OCTETS = 256  # RFC 5321 §4.5.3.1.3 (includes the angle brackets)
MAX_LABEL_OCTETS = 63  # RFC 1035 §2.3.4

# RFC 5322 §3.2.3 atext, extended by RFC 6531 §3.3 with any non-ASCII UTF-8 character.
_ATEXT = r"A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\U0010FFFF"
_DOT_STRING_RE = re.compile(rf"^[{_ATEXT}]+(?:\.[{_ATEXT}]+)*$")
# RFC 5321 §4.1.2 Quoted-string: qtextSMTP (printable ASCII minus " and \) or a
# quoted-pair of printable ASCII; RFC 6531 adds UTF-8 to qtextSMTP.
_QUOTED_RE = re.compile(r'^"(?:[\x20\x21\x23-\x5b\x5d-\x7e\u0080-\U0010FFFF]|\\[\x20-\x7e])*"$')
_LDH_LABEL_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
_SEPARATOR_CATEGORIES = {"Zs", "Zl", "Zp"}  # Unicode spaces, line and paragraph separators


def _invalid(field, message, **params):
    return ValidationError({field: message % params if params else message})


@dataclass(frozen=True)
class Address:
    """A canonical address; localpart is "" for a catch-all (`@domain`)."""

    localpart: str
    domain: str  # A-label

    def __str__(self):
        return f"{self.localpart}@{self.domain}"

    @property
    def is_catchall(self):
        return self.localpart == ""

    @property
    def display(self):
        return f"{self.localpart}@{domain_to_unicode(self.domain)}"


def normalize_domain(name: str, field: str = "domain") -> str:
    """Return the lower-case A-label of a domain name, or raise ValidationError.

    Accepts U-labels (IDN), A-labels and any case; refuses address literals, single
    labels, trailing dots and anything that is not a host name (RFC 1123 §2.1).
    """
    if not isinstance(name, str) or not name.strip():
        raise ValidationError({field: _("A domain name is required.")})
    raw = name.strip()
    if _CONTROL_RE.search(raw) or " " in raw:
        raise _invalid(field, _("The domain name %(name)s contains spaces or control characters."), name=repr(raw))
    if raw.startswith("["):
        raise _invalid(field, _("Address literals such as %(name)s cannot be hosted domains."), name=raw)
    if raw.endswith("."):
        raise _invalid(field, _("The domain name %(name)s must not end with a dot."), name=raw)
    try:
        alabel = _to_alabel(raw)
    except idna.IDNAError as exc:
        raise _invalid(field, _("%(name)s is not a valid domain name (%(reason)s)."), name=raw, reason=exc) from None
    except UnicodeError:
        raise _invalid(field, _("%(name)s is not a valid domain name."), name=raw) from None
    labels = alabel.split(".")
    if len(labels) < 2:
        raise _invalid(field, _("%(name)s needs at least two labels, like example.com."), name=raw)
    if len(alabel) > MAX_DOMAIN_OCTETS - 2:  # 253 in presentation form
        raise _invalid(field, _("The domain name %(name)s is longer than 253 characters."), name=raw)
    for label in labels:
        if len(label) > MAX_LABEL_OCTETS or not _LDH_LABEL_RE.match(label):
            raise _invalid(field, _("%(name)s is not a valid domain name (bad label %(label)s)."),
                           name=raw, label=repr(label))
    if labels[-1].isdigit():
        raise _invalid(field, _("%(name)s looks like an IP address, not a domain name."), name=raw)
    return alabel


@functools.lru_cache(maxsize=4096)
def _to_alabel(name: str) -> str:
    # UTS 46 mapping is slow in pure Python, and every MAIL, RCPT and queued recipient
    # names one of a few domains again and again. Errors are raised, never cached.
    return idna.encode(name, uts46=True).decode("ascii").lower()


def domain_to_unicode(alabel: str) -> str:
    """Return the U-label form for display; fall back to the A-label if it won't decode."""
    try:
        return idna.decode(alabel)
    except (idna.IDNAError, UnicodeError):
        return alabel


_DOMAIN_AFTER_AT = re.compile(r"(?<=@)[A-Za-z0-9.-]*xn--[A-Za-z0-9.-]*", re.IGNORECASE)


def address_to_unicode(text: str) -> str:
    """Addresses (or a domain name) as people read them: each domain's A-labels as U-labels
    (RFC 5890 §2.3.2.1), local parts as written. Works on one address, a domain, or a
    text holding several ("a@xn--…, B <b@xn--…>"); anything else comes back unchanged,
    so templates can pass any stored value through it."""
    if not isinstance(text, str) or "xn--" not in text.lower():
        return text
    if "@" not in text:
        return domain_to_unicode(text.strip().lower())
    return _DOMAIN_AFTER_AT.sub(lambda match: domain_to_unicode(match.group(0).lower()), text)


def _refused_char(char: str) -> bool:
    category = unicodedata.category(char)
    return category == "Cc" or (category in _SEPARATOR_CATEGORIES and char != " ")


def validate_localpart(localpart: str, field: str = "address", allow_quoted: bool = False) -> str:
    """Return the canonical local part, or raise ValidationError naming the problem."""
    if localpart == "":
        raise ValidationError({field: _("The part before @ is empty.")})
    # C0 and C1 controls, and Unicode spaces and line separators other than the ASCII
    # space (which only a quoted string may hold): the non-ASCII range of _ATEXT would
    # let them through, and they make look-alike addresses.
    if any(_refused_char(c) for c in localpart):
        raise ValidationError({field: _("The address contains control characters or spaces.")})
    # RFC 5198 §2: network Unicode is NFC, so "ễ" typed precomposed or decomposed is
    # one mailbox. Lower-casing may lengthen it ("İ"), so measure the canonical form.
    localpart = unicodedata.normalize("NFC", localpart)
    is_dot_string = bool(_DOT_STRING_RE.match(localpart))
    if is_dot_string:
        localpart = localpart.lower()
    if len(localpart.encode("utf-8")) > MAX_LOCALPART_OCTETS:
        raise ValidationError({field: _("The part before @ is longer than 64 bytes.")})
    if is_dot_string:
        return localpart
    if allow_quoted and _QUOTED_RE.match(localpart):
        return localpart
    if localpart.startswith('"'):
        raise _invalid(field, _("Quoted local parts (%(part)s) are not allowed for hosted addresses."), part=localpart)
    if ".." in localpart or localpart.startswith(".") or localpart.endswith("."):
        raise _invalid(field, _("The part before @ may not start or end with a dot or hold two dots in a row."))
    raise _invalid(field, _("The part before @ (%(part)s) holds characters not allowed in a mail address."),
                   part=localpart)


def parse_address(text: str, field: str = "address", allow_catchall: bool = False,
                  allow_quoted: bool = False) -> Address:
    """Parse `local@domain` (or `@domain` when allow_catchall) into a canonical Address.

    Source routes (`@a:b@c`), bang paths and percent hacks are not split here: their
    characters are simply not valid in a hosted dot-string, or stay inside the local part.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValidationError({field: _("An address is required.")})
    raw = text.strip()
    if raw.startswith("<") and raw.endswith(">"):
        raw = raw[1:-1]
    if len(raw.encode("utf-8")) > MAX_PATH_OCTETS - 2:
        raise ValidationError({field: _("The address is longer than 254 bytes.")})
    if "@" not in raw:
        raise _invalid(field, _("%(address)s is not a mail address: it has no @."), address=raw)
    localpart, _sep, domain = raw.rpartition("@")
    if allow_catchall and localpart == "":
        return Address("", normalize_domain(domain, field))
    if raw.startswith("@") and ":" in raw:
        raise _invalid(field, _("Source routes (%(address)s) are not accepted."), address=raw)
    localpart = validate_localpart(localpart, field, allow_quoted=allow_quoted)
    return Address(localpart, normalize_domain(domain, field))
