"""A domain's DKIM keys, rotated in two steps so no mail is signed with an unpublished key.

"Make a new key" prepares one (pending, published, not signing); the page checks DNS
for its record; "Use the new key" then switches signing to it and retires the old key,
whose record stays published for HOPTHU_DKIM_GRACE_DAYS so mail already signed with it
still verifies on arrival (docs/panel-domains.md). Domain admins may do all of it.
"""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mailcore.dkim import check, keys
from mailcore.dkim.models import DkimKey
from panel.access import admin_required, audit, domain_or_404

from .forms import ConfirmKeyForm


@admin_required
def dkim_keys(request, name, form=None, status=200):
    domain = domain_or_404(request, name)
    published = keys.published_keys(domain)
    rows = [{"key": key, "state": _state(key), "dns": None if key.retired else check.record_state(key),
             "grace_ends": keys.grace_ends(key)} for key in published]
    pending = next((row for row in rows if row["state"] == "pending"), None)
    return render(request, "panel/domains/dkim.html", {
        "domain": domain, "rows": rows, "pending": pending, "form": form or ConfirmKeyForm(),
        "has_active": any(row["key"].active for row in rows),
    }, status=status)


def _state(key: DkimKey) -> str:
    if key.active:
        return "active"
    return "retired" if key.retired else "pending"


@require_POST
@admin_required
def dkim_prepare(request, name):
    domain = domain_or_404(request, name)
    had_key = keys.current_key(domain) is not None
    key = keys.prepare_key(domain)
    audit(request, "dkim.prepare" if had_key else "dkim.create", key.dns_name, domain=domain.name,
          after={"selector": key.selector, "active": key.active})
    if had_key:
        messages.success(request, _("New key %(selector)s made. Publish its record, then use it.")
                         % {"selector": key.selector})
    else:
        messages.success(request, _("Key %(selector)s made and in use. Publish its record.")
                         % {"selector": key.selector})
    return redirect("panel:domain_dkim", name=domain.unicode_name)


@require_POST
@admin_required
def dkim_activate(request, name):
    domain = domain_or_404(request, name)
    pending, old = keys.pending_key(domain), keys.current_key(domain)
    form = ConfirmKeyForm(request.POST)
    if pending is None:
        messages.error(request, _("There is no new key waiting to be used."))
        return redirect("panel:domain_dkim", name=domain.unicode_name)
    form.is_valid()
    if check.record_state(pending) != check.PUBLISHED and not form.cleaned_data.get("force"):
        form.add_error("force", _("The new key's record is not visible in DNS yet. Publish it and check "
                                  "again, or confirm that you have published it."))
        return dkim_keys(request, name, form=form, status=400)
    key = keys.activate_pending(domain)
    audit(request, "dkim.activate", key.dns_name, domain=domain.name,
          before={"selector": old.selector if old else None}, after={"selector": key.selector})
    messages.success(request, _("Mail is now signed with %(selector)s. Keep the old record in DNS until the "
                                "date shown.") % {"selector": key.selector})
    return redirect("panel:domain_dkim", name=domain.unicode_name)


@require_POST
@admin_required
def dkim_discard(request, name):
    domain = domain_or_404(request, name)
    pending = keys.pending_key(domain)
    if pending is not None and keys.discard_pending(domain):
        audit(request, "dkim.discard", pending.dns_name, domain=domain.name, before={"selector": pending.selector})
        messages.success(request, _("The new key %(selector)s was thrown away.") % {"selector": pending.selector})
    return redirect("panel:domain_dkim", name=domain.unicode_name)
