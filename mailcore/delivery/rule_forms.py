"""The rule editor (name, a few condition rows, a few action rows), shared by the panel's
rules pages and the webmail's settings, so both offer the same conditions and actions.

The rows are plain Django formsets; a row whose first select is left at "—" is unused.
Whether a rule makes sense is decided by clean_rule() (rule_edits.py), whose errors
("conditions.2.value") are put back on the row and input they name. The panel and the
webmail do not import each other (DESIGN.md), so the editor lives here, beside the rules.
"""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mailcore.store.folder_names import folder_label
from mailcore.store.folders import list_folders

from .models import MailRule
from .rule_edits import MAX_VALUE_CHARS, describe_condition

BLANK_ROWS = 2  # empty condition and action rows offered under the rule's own

FIELD_CHOICES = [("", "—"), ("from", _("From")), ("to", _("To or Cc")), ("subject", _("Subject")),
                 ("size", _("Size")), ("header", _("Header named…"))]
OP_CHOICES = [("contains", _("contains")), ("not_contains", _("does not contain")), ("is", _("is")),
              ("matches", _("matches (* and ?)")), ("larger", _("is larger than")),
              ("smaller", _("is smaller than"))]
ACTION_CHOICES = [("", "—"), ("move", _("Move to folder")), ("mark_read", _("Mark as read")),
                  ("flag", _("Flag")), ("forward", _("Forward a copy to")), ("discard", _("Discard")),
                  ("stop", _("Stop: run no later rules"))]


class RuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    match = forms.ChoiceField(label=_("Apply when"), choices=MailRule.Match.choices)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class ConditionForm(forms.Form):
    field = forms.ChoiceField(label=_("Field"), choices=FIELD_CHOICES, required=False)
    header = forms.CharField(label=_("Header name"), max_length=76, required=False)
    op = forms.ChoiceField(label=_("Test"), choices=OP_CHOICES, required=False)
    value = forms.CharField(label=_("Value"), max_length=MAX_VALUE_CHARS, required=False,
                            help_text=_("For a size: 500K, 10M."))
    ignore_accents = forms.BooleanField(label=_("Ignore accents"), required=False)


class ActionForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), choices=ACTION_CHOICES, required=False)
    folder = forms.ChoiceField(label=_("Folder"), required=False)
    address = forms.CharField(label=_("Address"), max_length=320, required=False)

    def __init__(self, *args, folders=(), **kwargs):
        super().__init__(*args, **kwargs)
        current = self.initial.get("folder")
        choices = list(folders)  # (name, label): the label in the reader's language (folder_names)
        if current and current not in {name for name, _label in choices}:
            choices.append((current, current))  # a folder since deleted: still shown as it was
        self.fields["folder"].choices = [("", "—"), *choices]


ConditionFormSet = forms.formset_factory(ConditionForm, extra=BLANK_ROWS, max_num=20, absolute_max=40)
ActionFormSet = forms.formset_factory(ActionForm, extra=BLANK_ROWS, max_num=10, absolute_max=40)


class RuleEditor:
    """The three forms of the editor, read together into the dict clean_rule() takes."""

    def __init__(self, account, data=None, rule: MailRule | None = None):
        folders = [(folder.name, folder_label(folder)) for folder in list_folders(account.pk)]
        initial = {"name": rule.name, "match": rule.match, "active": rule.active} if rule else {"active": True}
        conditions = [describe_condition(c) for c in rule.conditions] if rule else []
        actions = list(rule.actions) if rule else []
        self.form = RuleForm(data, initial=initial)
        self.conditions = ConditionFormSet(data, initial=conditions, prefix="conditions")
        self.actions = ActionFormSet(data, initial=actions, prefix="actions", form_kwargs={"folders": folders})
        self._used = {"conditions": [], "actions": []}
        self.group_errors = {"conditions": [], "actions": []}

    def is_valid(self) -> bool:
        return all([self.form.is_valid(), self.conditions.is_valid(), self.actions.is_valid()])

    @property
    def data(self) -> dict:
        """What was typed, without unused rows; remembers which form each row came from."""
        self._used = {
            "conditions": [f for f in self.conditions if f.cleaned_data.get("field")],
            "actions": [f for f in self.actions if f.cleaned_data.get("action")],
        }
        return {**self.form.cleaned_data,
                **{key: [f.cleaned_data for f in rows] for key, rows in self._used.items()}}

    def add_errors(self, error: ValidationError):
        """Put clean_rule()'s errors ("actions.1.address") on the input they name; an error
        about all the rows ("actions") goes to group_errors."""
        for key, messages in error.message_dict.items():
            group, _dot, rest = key.partition(".")
            if group not in self._used:
                for message in messages:
                    self.form.add_error(key if key in self.form.fields else None, message)
            elif not rest:
                self.group_errors[group].extend(messages)
            else:
                index, _dot, name = rest.partition(".")
                for message in messages:
                    self._used[group][int(index)].add_error(name, message)
