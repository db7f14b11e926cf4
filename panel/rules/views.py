"""An account's server-side rules: list, add, edit, reorder, enable, delete, and test.

Reachable by a superadmin or an admin of the account's domain: the account is looked up
through account_or_404, each rule through its account. Every change is audited.
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mailcore.audit.log import changed
from mailcore.delivery import rule_edits
from mailcore.delivery.rule_forms import RuleEditor
from mailcore.delivery.rule_text import action_text, condition_text, rule_rows
from mailcore.delivery.sieve.export import render as render_sieve
from mailcore.delivery.user_rules import MailView, explain
from mailcore.store.append import canonical_line_endings
from mailcore.store.models import Folder
from panel.access import account_or_404, account_to_change_or_404, admin_required, audit

from .forms import TestForm

AUDITED = ("name", "match", "active", "conditions", "actions")


def _account(request, account_pk):
    """The account whose rules are shown; changing them (a forward action reads a
    mailbox) takes the same right as changing its password (panel.access)."""
    if request.method == "POST":
        return account_to_change_or_404(request, account_pk)
    return account_or_404(request, account_pk)


def _rule_or_404(request, account_pk, pk):
    account = _account(request, account_pk)
    return account, get_object_or_404(account.mail_rules.all(), pk=pk)


def _snapshot(rule) -> dict:
    return {key: getattr(rule, key) for key in AUDITED}


def _audit(request, action, account, rule, **changes):
    audit(request, action, f"{account.address}: {rule.name}", domain=account.domain.name, **changes)


@admin_required
def rule_list(request, account_pk):
    account = account_or_404(request, account_pk)
    rows = rule_rows(account.mail_rules.all())
    return render(request, "panel/rules/list.html", {"account": account, "rows": rows})


@admin_required
def rule_export(request, account_pk):
    """The account's rules as a Sieve script (docs/webmail.md, "Mail rules and Sieve"): the
    same file the user downloads from the webmail's settings, where they can also import."""
    account = account_or_404(request, account_pk)
    script = render_sieve(account.mail_rules.all(), title=f"HopThu mail rules of {account.address}")
    response = HttpResponse(script, content_type="application/sieve; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{account.address}.sieve")
    return response


@admin_required
def rule_add(request, account_pk):
    account = _account(request, account_pk)
    editor = RuleEditor(account, request.POST or None)
    if request.method == "POST" and editor.is_valid():
        try:
            rule = rule_edits.create_rule(account, editor.data)
        except ValidationError as error:
            editor.add_errors(error)
        else:
            _audit(request, "rule.create", account, rule, after=_snapshot(rule))
            messages.success(request, _("The rule %(name)s was added.") % {"name": rule.name})
            return redirect("panel:rule_list", account_pk=account.pk)
    return render(request, "panel/rules/form.html", {"account": account, "editor": editor})


@admin_required
def rule_edit(request, account_pk, pk):
    account, rule = _rule_or_404(request, account_pk, pk)
    editor = RuleEditor(account, request.POST or None, rule=rule)
    if request.method == "POST" and editor.is_valid():
        before = _snapshot(rule)
        try:
            rule_edits.update_rule(rule, editor.data)
        except ValidationError as error:
            editor.add_errors(error)
        else:
            old, new = changed(before, _snapshot(rule))
            _audit(request, "rule.update", account, rule, before=old, after=new)
            messages.success(request, _("The rule %(name)s was saved.") % {"name": rule.name})
            return redirect("panel:rule_list", account_pk=account.pk)
    return render(request, "panel/rules/form.html", {"account": account, "editor": editor, "rule": rule})


@require_POST
@admin_required
def rule_move(request, account_pk, pk):
    account, rule = _rule_or_404(request, account_pk, pk)
    before = rule.position
    if rule_edits.move_rule(rule, -1 if request.POST.get("direction") == "up" else 1):
        _audit(request, "rule.move", account, rule, before={"position": before}, after={"position": rule.position})
    return redirect("panel:rule_list", account_pk=account.pk)


@require_POST
@admin_required
def rule_toggle(request, account_pk, pk):
    account, rule = _rule_or_404(request, account_pk, pk)
    rule_edits.set_active(rule, not rule.active)
    _audit(request, "rule.update", account, rule, before={"active": not rule.active}, after={"active": rule.active})
    return redirect("panel:rule_list", account_pk=account.pk)


@require_POST
@admin_required
def rule_delete(request, account_pk, pk):
    account, rule = _rule_or_404(request, account_pk, pk)
    before = _snapshot(rule)
    rule_edits.delete_rule(rule)
    _audit(request, "rule.delete", account, rule, before=before)
    messages.success(request, _("The rule %(name)s was deleted.") % {"name": before["name"]})
    return redirect("panel:rule_list", account_pk=account.pk)


@admin_required
def rule_test(request, account_pk):
    """Run the account's rules on a pasted message with delivery's own code; deliver nothing."""
    account = account_or_404(request, account_pk)
    form = TestForm(request.POST or None)
    context = {"account": account, "form": form}
    if request.method == "POST" and form.is_valid():
        rules = list(account.mail_rules.all())
        report = explain(rules, MailView(canonical_line_endings(form.cleaned_data["message"].encode())))
        context.update(report=report, result=_result(account, report), rows=[
            {"rule": rule, "matched": matched, "conditions": [(condition_text(c), ok) for c, ok in results],
             "actions": [action_text(a) for a in rule.actions]} for rule, matched, results in report.rules])
    return render(request, "panel/rules/test.html", context)


def _result(account, report) -> dict:
    """Where the copy would go, with delivery's fallback for a folder that doesn't exist."""
    decision = report.decision
    folder = decision.folder or "INBOX"
    missing = folder != "INBOX" and not Folder.objects.filter(account=account, name=folder).exists()
    return {"folder": "INBOX" if missing else folder, "missing_folder": folder if missing else "",
            "read": "\\Seen" in decision.flags, "flagged": "\\Flagged" in decision.flags,
            "forwards": decision.forwards, "discard": decision.discard,
            "stopped_by": decision.stopped_by}
