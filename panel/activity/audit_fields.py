"""The fields an audit entry records, in words: a translated name for each key and each
value shown the way a person reads it (sizes as "2 GB", 0 as "unlimited", yes/no, choice
labels, addresses with Unicode domain names). The stored entry stays structured
(mailcore.audit keeps plain JSON); only rendering turns it into text.
"""
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from mailcore.delivery.models import MailRule, QueueRecipient
from mailcore.directory.models import AppPasswordsOnly
from mailcore.filters.models import FilterPolicy, QuarantinedMessage

from ..idn import unicode_names
from ..rules.describe import action_text, condition_text


def quoted(text) -> str:
    return _("“%(text)s”") % {"text": unicode_names(text)} if text != "" else _("(empty)")


def yes_no(value) -> str:
    return _("yes") if value else _("no")


def number(value) -> str:
    return number_format(value, force_grouping=True) if isinstance(value, int | float) else str(value)


def size(value) -> str:
    """Bytes as "2 GB"; 0 is "unlimited" (every size limit HopThu keeps reads 0 that way)."""
    if not isinstance(value, int):
        return plain(value)
    if value == 0:
        return _("unlimited")
    # filesizeformat writes "2.0 GB" ("2,0 GB" in Vietnamese); a whole number reads better.
    return re.sub(r"[.,]0(?=\s)", "", filesizeformat(value))


def limit(value) -> str:
    return _("unlimited") if value == 0 else number(value)


def rate(value) -> str:
    if value == 0:
        return _("unlimited")
    return ngettext("%(count)s message an hour", "%(count)s messages an hour", value) % {"count": number(value)}


def addresses(value) -> str:
    if not value:
        return _("nobody")
    items = value if isinstance(value, list | tuple) else [value]
    return ", ".join(unicode_names(item) for item in items)


def choice(choices) -> Callable:
    labels = dict(choices)

    def label(value):
        return str(labels[value]) if value in labels else plain(value)
    return label


def app_passwords_only(value) -> str:
    # A domain stores a yes/no, an account one of three choices (mailcore.auth.policy).
    return yes_no(value) if isinstance(value, bool) else choice(AppPasswordsOnly.choices)(value)


def conditions(value) -> str:
    return "; ".join(condition_text(item) for item in value) if value else _("none")


def actions(value) -> str:
    return "; ".join(action_text(item) for item in value) if value else _("none")


def expiry(value) -> str:
    """An ISO time recorded as text, in the reader's date format."""
    from django.utils.dateparse import parse_datetime
    from django.utils.formats import date_format

    moment = parse_datetime(str(value)) if value else None
    return date_format(moment, "SHORT_DATETIME_FORMAT") if moment else plain(value)


def plain(value) -> str:
    """Any stored value without a known field: never a Python repr (True, None, {…})."""
    if value is None:
        return _("none")
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, int | float):
        return number(value)
    if isinstance(value, list | tuple):
        return ", ".join(plain(item) for item in value) if value else _("none")
    if isinstance(value, dict):
        return "; ".join(f"{label_of(key)}: {plain(item)}" for key, item in value.items())
    return quoted(value)


@dataclass(frozen=True)
class Field:
    label: str  # lazy: translated when shown
    show: Callable = plain


FIELDS = {
    # Accounts and domains (mailcore/directory)
    "display_name": Field(gettext_lazy("display name"), quoted),
    "quota": Field(gettext_lazy("quota"), size),
    "active": Field(gettext_lazy("active"), yes_no),
    "app_passwords_only": Field(gettext_lazy("mail programs only with app passwords"), app_passwords_only),
    "name": Field(gettext_lazy("name"), quoted),
    "max_accounts": Field(gettext_lazy("maximum accounts"), limit),
    "max_aliases": Field(gettext_lazy("maximum aliases"), limit),
    "total_quota": Field(gettext_lazy("total quota"), size),
    "default_quota": Field(gettext_lazy("default mailbox quota"), size),
    "dmarc_reject": Field(gettext_lazy("refusing mail that fails DMARC"), yes_no),
    "domain": Field(gettext_lazy("domain"), unicode_names),
    # Sending alerts (mailcore/sending_alerts)
    "send_alert_floor": Field(gettext_lazy("hourly messages always allowed"), number),
    "send_alert_factor": Field(gettext_lazy("times the usual hourly volume"), number),
    "send_alert_new_recipients": Field(gettext_lazy("new recipients per hour"), number),
    "send_alert_new_network": Field(gettext_lazy("hold after a sign-in from a new network"), yes_no),
    "detail": Field(gettext_lazy("detail"), quoted),
    "trusted_messages": Field(gettext_lazy("trusted hourly volume"), number),
    "trusted_new_recipients": Field(gettext_lazy("trusted new recipients per hour"), number),
    "target": Field(gettext_lazy("alias of"), unicode_names),
    "targets": Field(gettext_lazy("delivery addresses"), addresses),
    "keep_copy": Field(gettext_lazy("keeping a copy"), yes_no),
    "accounts": Field(gettext_lazy("accounts"), addresses),
    "accounts_disabled": Field(gettext_lazy("accounts disabled"), number),
    "username": Field(gettext_lazy("user name"), unicode_names),
    "app_password": Field(gettext_lazy("app password"), quoted),
    "app_passwords_revoked": Field(gettext_lazy("app passwords revoked"), number),
    "sessions_ended": Field(gettext_lazy("browser sessions signed out"), number),
    "messages_recovered": Field(gettext_lazy("messages recovered"), number),
    "import": Field(gettext_lazy("imported from"), quoted),
    # DKIM keys
    "selector": Field(gettext_lazy("key"), str),
    # Mail rules
    "position": Field(gettext_lazy("position"), number),
    "match": Field(gettext_lazy("match"), choice(MailRule.Match.choices)),
    "conditions": Field(gettext_lazy("conditions"), conditions),
    "actions": Field(gettext_lazy("actions"), actions),
    # Queue and quarantine
    "status": Field(gettext_lazy("status"), choice(QueueRecipient.Status.choices)),
    "last_result": Field(gettext_lazy("last result"), quoted),
    "recipients": Field(gettext_lazy("recipients"), addresses),
    "kind": Field(gettext_lazy("kind"), choice(QuarantinedMessage.Kind.choices)),
    "reason": Field(gettext_lazy("reason"), quoted),
    # Filter policy (mailcore/filters)
    "engine": Field(gettext_lazy("spam engine"), choice(FilterPolicy.Engine.choices)),
    "header_score": Field(gettext_lazy("score for X-Spam headers"), number),
    "junk_score": Field(gettext_lazy("score for the Junk folder"), number),
    "reject_score": Field(gettext_lazy("score for refusing at SMTP time"), number),
    "greylisting": Field(gettext_lazy("greylisting"), yes_no),
    "virus_action": Field(gettext_lazy("infected mail"), choice(FilterPolicy.Hold.choices)),
    "scanner_down": Field(gettext_lazy("when the virus scanner is down"), choice(FilterPolicy.ScannerDown.choices)),
    "blocked_extensions": Field(gettext_lazy("blocked file extensions"), quoted),
    "blocked_types": Field(gettext_lazy("blocked content types"), quoted),
    "attachment_action": Field(gettext_lazy("blocked attachments"), choice(FilterPolicy.Hold.choices)),
    "quarantine_days": Field(gettext_lazy("days kept in quarantine"), number),
    # Relay grants (mailcore/relay)
    "senders": Field(gettext_lazy("allowed senders"), addresses),
    "rate_per_hour": Field(gettext_lazy("rate limit"), rate),
    "network": Field(gettext_lazy("network"), str),
    # API tokens (mailcore/auth/api_tokens.py)
    "prefix": Field(gettext_lazy("starts with"), str),
    "expires": Field(gettext_lazy("expiry"), expiry),
}


def label_of(key: str) -> str:
    field = FIELDS.get(key)
    return str(field.label) if field else key.replace("_", " ")


def show(key: str, value) -> str:
    """The value of a recorded field in words; None is "none" whatever the field."""
    if value is None:
        return _("none")
    field = FIELDS.get(key)
    return field.show(value) if field else plain(value)
