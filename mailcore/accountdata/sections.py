"""The JSON parts of an export: the account's settings, rules and contacts.

Other apps add their own settings through register() (the webmail its preferences, in its
AppConfig.ready), since mailcore imports no app above it (DESIGN.md). Secrets are never
exported: no password hashes, no app password values, only their names and dates.
"""
from collections.abc import Callable

from mailcore.contacts.models import Contact
from mailcore.delivery.models import MailRule, VacationReply
from mailcore.delivery.sieve.export import render
from mailcore.directory.models import Account, Forward

_extra: dict[str, Callable[[Account], dict | None]] = {}


def register(name: str, section: Callable[[Account], dict | None]) -> None:
    """Add settings["name"] = section(account) to every export (None leaves it out)."""
    _extra[name] = section


def _date(value):
    return value.isoformat() if value else None


def settings_of(account: Account) -> dict:
    forward = Forward.objects.filter(account=account).first()
    vacation = VacationReply.objects.filter(account=account).first()
    data = {
        "account": {
            "address": account.address, "display_address": account.display_address,
            "display_name": account.display_name, "quota": account.quota, "active": account.active,
            "app_passwords_only": account.app_passwords_only, "created": _date(account.created),
            "used_bytes": account.used_bytes, "message_count": account.message_count,
        },
        "forward": None if forward is None else {
            "active": forward.active, "keep_copy": forward.keep_copy,
            "targets": sorted(forward.targets.values_list("address", flat=True)),
        },
        "vacation": None if vacation is None else {
            "enabled": vacation.enabled, "subject": vacation.subject, "body": vacation.body,
            "start_date": _date(vacation.start_date), "end_date": _date(vacation.end_date),
            "interval_days": vacation.interval_days,
        },
        "app_passwords": [
            {"name": name, "created": _date(created), "last_used": _date(last_used)}
            for name, created, last_used in account.app_passwords.order_by("name")
            .values_list("name", "created", "last_used")
        ],
    }
    for name, section in sorted(_extra.items()):
        value = section(account)
        if value is not None:
            data[name] = value
    return data


def rules_of(account: Account) -> list[dict]:
    return [
        {"name": rule.name, "position": rule.position, "active": rule.active, "match": rule.match,
         "conditions": rule.conditions, "actions": rule.actions, "created": _date(rule.created)}
        for rule in MailRule.objects.filter(account=account).order_by("position", "pk")
    ]


def sieve_of(account: Account) -> str:
    """The rules as a Sieve script (RFC 5228), as the webmail's "Export as Sieve" writes it."""
    return render(account.mail_rules.all(), title=f"HopThu mail rules of {account.address}")


def contacts_of(account: Account) -> list[dict]:
    return [
        {"address": address, "name": name, "sent": sent, "received": received, "last_used": _date(last_used)}
        for address, name, sent, received, last_used in Contact.objects.filter(account=account)
        .order_by("address").values_list("address", "name", "sent_count", "received_count", "last_used")
    ]
