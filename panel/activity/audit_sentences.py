"""Audit entries as sentences: "root changed the quota of an@công-ty.vn from 1 GB to 2 GB."

Each action the panel records has a translated label (for the filter menu) and sentence
templates. A template names %(actor)s, %(object)s and any recorded key (%(targets)s),
which audit_fields shows in words; the recorded keys the sentence leaves out become the
details under it ("Quota: 2 GB"). A change of one field reads as one sentence; a change
of several lists each "field from before to after". The entry itself is not changed.
"""
import re
from dataclasses import dataclass, field

from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..idn import unicode_names
from .audit_fields import label_of, show

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@dataclass(frozen=True)
class Action:
    label: str  # "Account changed": the filter menu
    sentence: str  # the entry as a whole; recorded values it names are left out of the details
    one_change: str = ""  # set for actions that record before → after: used when one field changed
    turned_on: str = ""  # when the only change is active: off → on
    turned_off: str = ""
    rule_object: bool = False  # object_repr is "address: rule name"
    omit: tuple = ()  # recorded keys the sentence already says in other words


@dataclass
class Description:
    sentence: str
    details: list[str] = field(default_factory=list)


# Built at import: the lazy strings are translated when an entry is shown.
ACTIONS = {
    "account.create": Action(_("Account created"), _("%(actor)s created the account %(object)s.")),
    "account.update": Action(
        _("Account changed"), _("%(actor)s changed the account %(object)s."),
        one_change=_("%(actor)s changed the %(field)s of %(object)s from %(before)s to %(after)s."),
        turned_on=_("%(actor)s enabled the account %(object)s."),
        turned_off=_("%(actor)s disabled the account %(object)s.")),
    "account.directory_create": Action(_("Directory user created"),
                                       _("%(actor)s added %(object)s to the company directory.")),
    "account.delete": Action(_("Account deleted"), _("%(actor)s deleted the account %(object)s.")),
    "account.erase": Action(_("Account erased"),
                            _("%(actor)s erased the account %(object)s with its mail and logs (GDPR).")),
    "account.export": Action(_("Account exported"),
                             _("%(actor)s downloaded an export of the mail and settings of %(object)s.")),
    "account.recover": Action(_("Deleted mail recovered"), _("%(actor)s recovered deleted mail of %(object)s.")),
    "account.password": Action(_("Password changed"), _("%(actor)s set a new password for %(object)s.")),
    "account.forward": Action(
        _("Forwarding changed"), _("%(actor)s changed the forwarding of %(object)s."),
        one_change=_("%(actor)s changed the forwarding of %(object)s: %(field)s from %(before)s to %(after)s.")),
    "account.app_password_create": Action(
        _("App password created"), _("%(actor)s created the app password %(app_password)s for %(object)s.")),
    "account.app_password_revoke": Action(
        _("App password revoked"), _("%(actor)s revoked the app password %(app_password)s of %(object)s.")),
    "account.sending_held": Action(_("Outbound mail held"),
                                   _("HopThu held the outbound mail of %(object)s: it looked like a stolen "
                                     "password.")),
    "account.sending_released": Action(_("Outbound mail released"),
                                       _("%(actor)s released the held outbound mail of %(object)s.")),
    "account.sending_released_trusted": Action(
        _("Outbound mail released and trusted"),
        _("%(actor)s released the held outbound mail of %(object)s and raised its usual volume.")),
    "alias.create": Action(_("Alias created"), _("%(actor)s created the alias %(object)s for %(targets)s.")),
    "alias.update": Action(
        _("Alias changed"), _("%(actor)s changed the alias %(object)s."),
        one_change=_("%(actor)s changed the %(field)s of %(object)s from %(before)s to %(after)s."),
        turned_on=_("%(actor)s enabled the alias %(object)s."),
        turned_off=_("%(actor)s disabled the alias %(object)s: mail to it is refused.")),
    "alias.delete": Action(_("Alias deleted"),
                           _("%(actor)s deleted the alias %(object)s (it delivered to %(targets)s).")),
    "domain.create": Action(_("Domain added"), _("%(actor)s added the domain %(object)s."), omit=("name",)),
    "domain.update": Action(
        _("Domain changed"), _("%(actor)s changed the domain %(object)s."),
        one_change=_("%(actor)s changed the %(field)s of %(object)s from %(before)s to %(after)s."),
        turned_on=_("%(actor)s enabled the domain %(object)s."),
        turned_off=_("%(actor)s disabled the domain %(object)s: it refuses mail and sign-ins.")),
    "domain.retire": Action(
        _("Domain retired"),
        _("%(actor)s retired the domain %(object)s: it and its accounts are disabled, its domain admins' rights "
          "are revoked and its mail is kept."), omit=("active", "admin_grants")),
    "domain.delete": Action(_("Domain deleted"),
                            _("%(actor)s deleted the domain %(object)s with its accounts and their mail."),
                            omit=("name",)),
    "domain_admin.create": Action(_("Domain admin created"), _("%(actor)s created the domain admin %(object)s."),
                                  omit=("username",)),
    "domain_admin.grant": Action(_("Domain admin granted"), _("%(actor)s let %(object)s administer %(domain)s.")),
    "domain_admin.revoke": Action(_("Domain admin revoked"),
                                  _("%(actor)s stopped %(object)s from administering %(domain)s.")),
    "domain_alias.create": Action(_("Domain alias added"), _("%(actor)s made %(name)s an alias of %(target)s.")),
    "domain_alias.delete": Action(_("Domain alias removed"),
                                  _("%(actor)s removed %(name)s, which was an alias of %(target)s.")),
    "dkim.create": Action(_("DKIM key made"), _("%(actor)s made the DKIM key %(object)s and signs mail with it.")),
    "dkim.prepare": Action(_("DKIM key prepared"),
                           _("%(actor)s made the new DKIM key %(object)s, to be published before it is used.")),
    "dkim.activate": Action(_("DKIM key switched"), _("%(actor)s switched DKIM signing to %(object)s."),
                            one_change=_("%(actor)s switched DKIM signing to %(object)s (the %(field)s was "
                                         "%(before)s).")),
    "dkim.discard": Action(_("DKIM key discarded"), _("%(actor)s threw away the unused DKIM key %(object)s.")),
    "filterpolicy.update": Action(
        _("Filter policy changed"), _("%(actor)s changed the filter policy of %(object)s."),
        one_change=_("%(actor)s changed the %(field)s in the filter policy of %(object)s from %(before)s to "
                     "%(after)s.")),
    "quarantine.release": Action(_("Held mail released"),
                                 _("%(actor)s released the held message %(object)s to %(recipients)s.")),
    "quarantine.delete": Action(_("Held mail deleted"), _("%(actor)s deleted the held message %(object)s.")),
    "rule.create": Action(_("Mail rule added"), _("%(actor)s added the mail rule %(object)s."), rule_object=True,
                          omit=("name",)),
    "rule.update": Action(
        _("Mail rule changed"), _("%(actor)s changed the mail rule %(object)s."),
        one_change=_("%(actor)s changed the %(field)s of the mail rule %(object)s from %(before)s to %(after)s."),
        turned_on=_("%(actor)s turned on the mail rule %(object)s."),
        turned_off=_("%(actor)s turned off the mail rule %(object)s."), rule_object=True),
    "rule.move": Action(
        _("Mail rule moved"), _("%(actor)s moved the mail rule %(object)s."),
        one_change=_("%(actor)s moved the mail rule %(object)s from position %(before)s to %(after)s."),
        rule_object=True),
    "rule.delete": Action(_("Mail rule deleted"), _("%(actor)s deleted the mail rule %(object)s."), rule_object=True,
                          omit=("name",)),
    "queue.retry": Action(_("Queue: tried again"),
                          _("%(actor)s asked for the mail to %(object)s to be tried again now."),
                          omit=("retry", "status")),
    "queue.delete": Action(_("Queue: removed"),
                           _("%(actor)s removed the mail to %(object)s from the queue, without a bounce."),
                           omit=("status", "last_result")),
    "relay_token.create": Action(
        _("Relay token made"),
        _("%(actor)s made the relay token “%(object)s” for %(domain)s, with the user name %(username)s.")),
    "relay_token.update": Action(
        _("Relay token changed"), _("%(actor)s changed the relay token “%(object)s” of %(domain)s."),
        one_change=_("%(actor)s changed the %(field)s of the relay token “%(object)s” of %(domain)s from "
                     "%(before)s to %(after)s."),
        turned_on=_("%(actor)s enabled the relay token “%(object)s” of %(domain)s."),
        turned_off=_("%(actor)s disabled the relay token “%(object)s” of %(domain)s.")),
    "relay_token.delete": Action(_("Relay token revoked"),
                                 _("%(actor)s revoked the relay token “%(object)s” of %(domain)s."),
                                 omit=("username",)),
    "relay_network.create": Action(
        _("Relay network added"), _("%(actor)s let the network %(network)s send mail as %(domain)s without "
                                    "a password (relay network “%(object)s”).")),
    "relay_network.update": Action(
        _("Relay network changed"), _("%(actor)s changed the relay network “%(object)s” of %(domain)s."),
        one_change=_("%(actor)s changed the %(field)s of the relay network “%(object)s” of %(domain)s from "
                     "%(before)s to %(after)s."),
        turned_on=_("%(actor)s enabled the relay network “%(object)s” of %(domain)s."),
        turned_off=_("%(actor)s disabled the relay network “%(object)s” of %(domain)s.")),
    "migration.start": Action(_("Migration started"),
                              _("%(actor)s started copying mail from the IMAP server %(object)s.")),
    "relay_network.delete": Action(
        _("Relay network removed"), _("%(actor)s removed the relay network “%(object)s” (%(network)s) of "
                                      "%(domain)s.")),
    "api_token.create": Action(_("API token made"),
                               _("%(actor)s made the API token “%(object)s”, valid until %(expires)s."),
                               omit=("name",)),
    "api_token.revoke": Action(_("API token revoked"), _("%(actor)s revoked the API token “%(object)s”."),
                               omit=("name",)),
}
UNKNOWN = Action(_("Other change"), _("%(actor)s changed %(object)s."),
                 one_change=_("%(actor)s changed the %(field)s of %(object)s from %(before)s to %(after)s."))


def action_label(action: str) -> str:
    return str(ACTIONS[action].label) if action in ACTIONS else action


def describe(entry) -> Description:
    """The entry as a sentence, with what it does not say as details."""
    action = ACTIONS.get(entry.action, UNKNOWN)
    before, after = entry.before or {}, entry.after or {}
    params = {"actor": unicode_names(entry.actor_name), "object": _object(entry.object_repr, action)}
    if "domain" not in before and "domain" not in after:
        params["domain"] = unicode_names(entry.domain)  # the domain the entry is filed under
    changes = [key for key in after if key in before and before[key] != after[key]] if action.one_change else []
    if changes == ["active"] and action.turned_on and isinstance(after["active"], bool):
        template = action.turned_on if after["active"] else action.turned_off  # the verb says it all
    elif len(changes) == 1:
        template, key = action.one_change, changes[0]
        params.update(field=label_of(key), before=show(key, before[key]), after=show(key, after[key]))
    else:
        template = action.sentence
    named = set(_PLACEHOLDER.findall(str(template)))
    details = [gettext("%(field)s from %(before)s to %(after)s") % {
        "field": capfirst(label_of(key)), "before": show(key, before[key]), "after": show(key, after[key])}
        for key in changes] if len(changes) > 1 else []
    # What else it records: what it was made with, or what it had (the after side wins).
    rest = {key: value for key, value in {**before, **after}.items()
            if key not in changes and key not in named and key not in action.omit}
    return Description(_fill(template, params, before, after), details + _values(rest))


def _fill(template, params: dict, before: dict, after: dict) -> str:
    """The template with %(key)s of recorded values filled in words (after, else before)."""
    text = str(template)
    for key in _PLACEHOLDER.findall(text):
        if key not in params:
            params[key] = show(key, after[key] if key in after else before.get(key))
    return text % params


def _values(recorded: dict) -> list[str]:
    return [gettext("%(field)s: %(value)s") % {"field": capfirst(label_of(key)), "value": show(key, value)}
            for key, value in recorded.items()]


def _object(text: str, action: Action) -> str:
    text = unicode_names(text)
    if action.rule_object and ": " in text:
        # panel/rules/views.py records "address: rule name".
        address, name = text.split(": ", 1)
        return gettext("“%(rule)s” of %(account)s") % {"rule": name, "account": address}
    return text
