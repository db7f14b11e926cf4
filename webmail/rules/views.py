"""The user's own mail rules in the webmail settings: list, add, edit, reorder, enable,
delete, and Sieve export and import.

The editor and its checks are the panel's (mailcore/delivery/rule_forms.py and
rule_edits.py); every rule is looked up through request.account, so another account's
rule ids find nothing (404). Adding or editing a rule, or importing, can forward mail
away: it asks for the password again, like the forwarding page (docs/security.md).
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from mailcore.delivery import rule_edits
from mailcore.delivery.rule_forms import RuleEditor
from mailcore.delivery.rule_text import rule_rows
from mailcore.delivery.sieve.export import render as render_sieve
from mailcore.delivery.sieve.reading import import_rules, problems_of
from webmail.access import account_required
from webmail.preferences.views import password_again

from .forms import ImportForm


def _page(request, template, **context):
    return render(request, f"webmail/rules/{template}", {"section": "rules", **context})


def _rule_or_404(request, pk):
    return get_object_or_404(request.account.mail_rules.all(), pk=pk)


@account_required
def rule_list(request):
    return _page(request, "list.html", rows=rule_rows(request.account.mail_rules.all()))


@account_required
@password_again
def rule_add(request):
    editor = RuleEditor(request.account, request.POST or None)
    if request.method == "POST" and editor.is_valid():
        try:
            rule = rule_edits.create_rule(request.account, editor.data)
        except ValidationError as error:
            editor.add_errors(error)
        else:
            messages.success(request, _("The rule %(name)s was added.") % {"name": rule.name})
            return redirect("webmail:settings_rules")
    return _page(request, "form.html", editor=editor)


@account_required
@password_again
def rule_edit(request, pk):
    rule = _rule_or_404(request, pk)
    editor = RuleEditor(request.account, request.POST or None, rule=rule)
    if request.method == "POST" and editor.is_valid():
        try:
            rule_edits.update_rule(rule, editor.data)
        except ValidationError as error:
            editor.add_errors(error)
        else:
            messages.success(request, _("The rule %(name)s was saved.") % {"name": rule.name})
            return redirect("webmail:settings_rules")
    return _page(request, "form.html", editor=editor, rule=rule)


@require_POST
@account_required
def rule_move(request, pk):
    rule_edits.move_rule(_rule_or_404(request, pk), -1 if request.POST.get("direction") == "up" else 1)
    return redirect("webmail:settings_rules")


@require_POST
@account_required
def rule_toggle(request, pk):
    rule = _rule_or_404(request, pk)
    rule_edits.set_active(rule, not rule.active)
    return redirect("webmail:settings_rules")


@require_POST
@account_required
def rule_delete(request, pk):
    rule = _rule_or_404(request, pk)
    rule_edits.delete_rule(rule)
    messages.success(request, _("The rule %(name)s was deleted.") % {"name": rule.name})
    return redirect("webmail:settings_rules")


@account_required
def rule_export(request):
    """The rules as a Sieve script (RFC 5228), as application/sieve (RFC 5804 §7.1)."""
    address = request.account.address
    script = render_sieve(request.account.mail_rules.all(), title=f"HopThu mail rules of {address}")
    response = HttpResponse(script, content_type="application/sieve; charset=utf-8")
    # RFC 6266: an address in Unicode (RFC 6531) is sent as filename* (RFC 5987).
    response["Content-Disposition"] = content_disposition_header(True, f"{address}.sieve")
    return response


@account_required
@password_again
def rule_import(request):
    posted = request.method == "POST"  # an empty POST is still a submission
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            saved = import_rules(request.account, form.cleaned_data["source"], replace=form.cleaned_data["replace"])
        except ExceptionGroup as error:
            problems = problems_of(error)
        else:
            messages.success(request, ngettext("%(count)d rule was imported.", "%(count)d rules were imported.",
                                           len(saved)) % {"count": len(saved)})
            return redirect("webmail:settings_rules")
    return _page(request, "import.html", form=form, problems=problems)
