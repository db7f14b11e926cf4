"""Audit entries read as sentences, rendered from the structured entry (which stays as it is):
human sizes, Unicode domain names, translated verbs and field names, never a Python value."""
import re
from pathlib import Path

import pytest
from django.utils import translation

from mailcore.audit.models import AuditEntry
from panel.activity.audit_fields import FIELDS
from panel.activity.audit_sentences import ACTIONS, describe
from tests.test_translations import compiled_messages  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parents[2]
IDN = "xn--cng-ty-ixa.vn"  # công-ty.vn
PYTHON_VALUES = re.compile(r"\b(True|False|None)\b|[{}\[\]]|'\w+':")


def entry(action, object_repr, before=None, after=None, actor="admin"):
    return AuditEntry(actor_name=actor, action=action, object_repr=object_repr, before=before, after=after)


def said(*args, **kwargs):
    """The sentence and details, with the no-break space of "2\xa0GB" written as a space."""
    description = describe(entry(*args, **kwargs))
    return description.sentence.replace("\xa0", " "), [text.replace("\xa0", " ") for text in description.details]


def test_a_quota_change_is_one_sentence_with_human_sizes_and_the_unicode_domain():
    sentence, details = said("account.update", f"an@{IDN}", {"quota": 1024**3}, {"quota": 2 * 1024**3})
    assert sentence == "admin changed the quota of an@công-ty.vn from 1 GB to 2 GB."
    assert details == []


def test_a_quota_of_zero_reads_unlimited():
    sentence, _ = said("account.update", "an@công-ty.vn", {"quota": 0}, {"quota": 500 * 1024**2})
    assert sentence == "admin changed the quota of an@công-ty.vn from unlimited to 500 MB."


def test_several_changes_list_each_field_from_before_to_after():
    sentence, details = said("account.update", "an@công-ty.vn", {"quota": 1024**3, "display_name": "An"},
                             {"quota": 2 * 1024**3, "display_name": "An Nguyễn"})
    assert sentence == "admin changed the account an@công-ty.vn."
    assert details == ["Quota from 1 GB to 2 GB", "Display name from “An” to “An Nguyễn”"]


def test_disabling_reads_as_a_verb_not_true_to_false():
    assert said("account.update", "an@công-ty.vn", {"active": True}, {"active": False})[0] == \
        "admin disabled the account an@công-ty.vn."
    assert said("domain.update", IDN, {"active": False}, {"active": True})[0] == "admin enabled the domain công-ty.vn."


def test_a_creation_lists_what_it_was_made_with():
    sentence, details = said("account.create", "an@công-ty.vn", after={
        "display_name": "An", "quota": 1024**3, "active": True, "app_passwords_only": "default"})
    assert sentence == "admin created the account an@công-ty.vn."
    assert details == ["Display name: “An”", "Quota: 1 GB", "Active: yes",
                       "Mail programs only with app passwords: When two-factor authentication is on"]


def test_values_named_by_the_sentence_are_not_repeated():
    sentence, details = said("alias.create", f"sales@{IDN}", after={"targets": [f"an@{IDN}", "bo@example.test"]})
    assert sentence == "admin created the alias sales@công-ty.vn for an@công-ty.vn, bo@example.test."
    assert details == []


def test_a_domain_admin_grant_names_the_domain_in_unicode():
    assert said("domain_admin.grant", "owner", after={"domain": IDN})[0] == "admin let owner administer công-ty.vn."


def test_a_rule_names_the_rule_and_its_account():
    sentence, details = said("rule.create", f"an@{IDN}: Hóa đơn", after={
        "name": "Hóa đơn", "match": "all", "active": True,
        "conditions": [{"field": "subject", "op": "contains", "value": "hóa đơn"}],
        "actions": [{"action": "move", "folder": "Invoices"}]})
    assert sentence == "admin added the mail rule “Hóa đơn” of an@công-ty.vn."
    assert details == ["Match: all conditions", "Active: yes", "Conditions: Subject contains “hóa đơn”",
                       "Actions: Move to folder Invoices"]


def test_counts_and_choices_read_as_words():
    _, details = said("account.password", "an@công-ty.vn", after={"app_passwords_revoked": 2, "sessions_ended": 1})
    assert details == ["App passwords revoked: 2", "Browser sessions signed out: 1"]
    sentence, _ = said("filterpolicy.update", IDN, {"virus_action": "reject"}, {"virus_action": "quarantine"})
    assert sentence == ("admin changed the infected mail in the filter policy of công-ty.vn from reject at SMTP "
                        "time to quarantine.")


def test_an_unset_value_is_none_in_words():
    sentence, _ = said("dkim.activate", f"s2._domainkey.{IDN}", {"selector": None}, {"selector": "s2"})
    assert sentence == "admin switched DKIM signing to s2._domainkey.công-ty.vn (the key was none)."


def test_an_unknown_action_still_shows_no_python_values():
    sentence, details = said("future.thing", "x", {"flag": None, "limits": {"a": [1, 2]}},
                             {"flag": True, "limits": {"a": []}})
    for text in (sentence, *details):
        assert not PYTHON_VALUES.search(text), text


@pytest.mark.usefixtures("compiled_messages")
def test_the_sentence_in_vietnamese():
    with translation.override("vi"):
        sentence, _ = said("account.update", f"an@{IDN}", {"quota": 1024**3}, {"quota": 2 * 1024**3})
        disabled, _ = said("account.update", "an@công-ty.vn", {"active": True}, {"active": False})
        _, details = said("account.create", "an@công-ty.vn", after={"quota": 1024**3, "active": True})
    assert sentence == "admin đã đổi hạn mức của an@công-ty.vn từ 1 GB thành 2 GB."
    assert disabled == "admin đã vô hiệu hóa tài khoản an@công-ty.vn."
    assert details == ["Hạn mức: 1 GB", "Đang hoạt động: có"]


def _recorded_actions() -> set[str]:
    """Every action name the panel and webmail pass to the audit log: the "area.verb"
    literals on the lines that call audit(), _audit() or _audited()."""
    found = set()
    for path in [*ROOT.glob("panel/**/*.py"), *ROOT.glob("webmail/**/*.py")]:
        if path.name.startswith("audit_"):
            continue
        for line in path.read_text().splitlines():
            if re.search(r"\b_?audit(ed)?\(request,", line):
                found |= set(re.findall(r"""["']([a-z_]+\.[a-z_]+)["']""", line))
    return found


def test_every_action_the_code_records_has_a_sentence():
    recorded = _recorded_actions()
    assert {"account.update", "domain.create", "queue.delete", "dkim.prepare", "quarantine.release"} <= recorded
    assert recorded - set(ACTIONS) == set()


def test_every_field_has_a_translated_label():
    for key, field in FIELDS.items():
        assert str(field.label) and "_" not in str(field.label), key
