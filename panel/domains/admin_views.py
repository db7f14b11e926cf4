"""Domain admins (superadmin only): panel logins and the domains granted to each."""
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mailcore.directory import admins
from mailcore.directory.models import Domain
from panel.access import audit, superadmin_required
from panel.fields import add_service_errors
from panel.listing import build_listing

from .forms import ExistingAdminForm, GrantForm, NewAdminForm

SORTS = {"username": "username", "domains": "grant_count", "last_login": "last_login"}


@superadmin_required
def admin_list(request):
    admins = get_user_model().objects.filter(is_superuser=False).annotate(
        grant_count=Count("domain_grants")).filter(grant_count__gt=0).prefetch_related("domain_grants__domain")
    listing = build_listing(request, admins, sorts=SORTS, default="username", search=("username",))
    return render(request, "panel/domains/admin_list.html", {"listing": listing})


@superadmin_required
def admin_add(request):
    new_form = NewAdminForm(request.POST if request.POST.get("kind") == "new" else None, prefix="new")
    existing_form = ExistingAdminForm(request.POST if request.POST.get("kind") == "existing" else None,
                                      prefix="existing")
    form = new_form if new_form.is_bound else existing_form if existing_form.is_bound else None
    if form is not None and form.is_valid():
        try:
            user = _make_admin(request, form)
        except ValidationError as error:
            add_service_errors(form, error, rename={"user": "existing"})
        else:
            return redirect("panel:admin_detail", pk=user.pk)
    return render(request, "panel/domains/admin_add.html", {"new_form": new_form, "existing_form": existing_form},
                  status=400 if form is not None and form.errors else 200)


def _make_admin(request, form):
    domain = form.cleaned_data["domain"]
    with transaction.atomic():  # a refused grant leaves no login behind
        if isinstance(form, NewAdminForm):
            user = admins.create_domain_admin(form.cleaned_data["username"], form.cleaned_data["password"])
            audit(request, "domain_admin.create", user.get_username(), after={"username": user.get_username()})
        else:
            user = form.cleaned_data["existing"]
        admins.grant_domain(user, domain.name)
        audit(request, "domain_admin.grant", user.get_username(), domain=domain.name, after={"domain": domain.name})
    messages.success(request, _("%(username)s administers %(name)s.")
                     % {"username": user.get_username(), "name": domain.unicode_name})
    return user


@superadmin_required
def admin_detail(request, pk, grant_form=None):
    user = get_object_or_404(get_user_model(), pk=pk, is_superuser=False)
    grants = user.domain_grants.select_related("domain").order_by("domain__name")
    return render(request, "panel/domains/admin_detail.html", {
        "admin": user, "grants": grants, "grant_form": grant_form or GrantForm(user=user),
    }, status=400 if grant_form is not None else 200)


@require_POST
@superadmin_required
def admin_grant(request, pk):
    user = get_object_or_404(get_user_model(), pk=pk, is_superuser=False)
    form = GrantForm(request.POST, user=user)
    if form.is_valid():
        domain = form.cleaned_data["domain"]
        try:
            admins.grant_domain(user, domain.name)
        except ValidationError as error:
            add_service_errors(form, error, rename={"user": "domain"})
        else:
            audit(request, "domain_admin.grant", user.get_username(), domain=domain.name,
                  after={"domain": domain.name})
            messages.success(request, _("%(username)s administers %(name)s.")
                             % {"username": user.get_username(), "name": domain.unicode_name})
            return redirect("panel:admin_detail", pk=user.pk)
    return admin_detail(request, pk, grant_form=form)


@require_POST
@superadmin_required
def admin_revoke(request, pk, name):
    user = get_object_or_404(get_user_model(), pk=pk, is_superuser=False)
    domain = get_object_or_404(Domain, name=name, admin_grants__user=user)
    admins.revoke_domain(user, domain.name)
    audit(request, "domain_admin.revoke", user.get_username(), domain=domain.name, before={"domain": domain.name})
    messages.success(request, _("%(username)s no longer administers %(name)s.")
                     % {"username": user.get_username(), "name": domain.unicode_name})
    return redirect("panel:admin_detail", pk=user.pk)
