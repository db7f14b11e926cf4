"""Accounts, with their quota and usage: /api/v1/accounts/ (docs/api.md).

Admins reach the accounts of their domains, through the panel's own lookups (a guessed
id of another domain's account answers 404; an account whose user holds more power than
the admin answers 403 to changes, panel/access.py). A mail user's token reaches only its
own account, and changes only its display name. The rules are mailcore.directory.services'.
"""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from mailcore.audit.log import changed
from mailcore.auth.reset import after_password_reset
from mailcore.directory import services
from mailcore.directory.addresses import parse_address
from mailcore.directory.login_policy import set_app_passwords_only
from mailcore.directory.models import Account, AppPasswordsOnly
from panel import access as panel_access
from panel.access import is_panel_admin, managed_domains, of_managed_domains

from .access import audit, own_account
from .base import ApiView, valid
from .domains import BIG

ADMIN_FIELDS = {"quota", "active", "password", "app_passwords_only"}


class AccountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    address = serializers.CharField(source="display_address", help_text="As people read it (U-label domain).")
    ascii_address = serializers.CharField(source="address")
    domain = serializers.CharField(source="domain.unicode_name")
    display_name = serializers.CharField()
    quota = serializers.IntegerField(help_text="Bytes; 0: unlimited.")
    used_bytes = serializers.IntegerField()
    message_count = serializers.IntegerField()
    active = serializers.BooleanField()
    app_passwords_only = serializers.ChoiceField(choices=AppPasswordsOnly.values)
    created = serializers.DateTimeField()
    last_login = serializers.DateTimeField(allow_null=True)


class AccountCreateSerializer(serializers.Serializer):
    address = serializers.CharField(max_length=320)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)
    quota = serializers.IntegerField(min_value=0, max_value=BIG, required=False,
                                     help_text="Bytes; left out: the domain's default quota.")
    display_name = serializers.CharField(max_length=200, allow_blank=True, default="")
    active = serializers.BooleanField(default=True)


class AccountUpdateSerializer(serializers.Serializer):
    display_name = serializers.CharField(max_length=200, allow_blank=True, required=False)
    quota = serializers.IntegerField(min_value=0, max_value=BIG, required=False, help_text="Admins only.")
    active = serializers.BooleanField(required=False, help_text="Admins only.")
    app_passwords_only = serializers.ChoiceField(choices=AppPasswordsOnly.values, required=False,
                                                 help_text="Admins only.")
    password = serializers.CharField(max_length=4096, trim_whitespace=False, required=False,
                                     help_text="Admins only. Revokes the app passwords and ends browser sessions.")


def snapshot(account: Account) -> dict:
    """The fields an audit entry compares (never the password), as the panel's."""
    return {"display_name": account.display_name, "quota": account.quota, "active": account.active,
            "app_passwords_only": account.app_passwords_only}


def account_or_404(request, pk: int, *, change: bool = False) -> Account:
    """An account this token may see (change: may change), as the panel looks it up."""
    if is_panel_admin(request.user):
        lookup = panel_access.account_to_change_or_404 if change else panel_access.account_or_404
        return lookup(request, pk)
    account = own_account(request.user)
    if account is None or account.pk != pk:
        raise Http404
    return Account.objects.select_related("domain", "user").get(pk=pk)  # fresh: no cached relations


def check_managed_address(request, text: str, field: str) -> None:
    """Refuse an address at a domain the token's owner does not administer (400, like a
    form whose domain list lacks it: it says nothing of whether the domain exists)."""
    if request.user.is_superuser:
        return
    address = parse_address(text, field, allow_catchall=True)
    if not managed_domains(request.user).filter(name=address.domain).exists():
        raise ValidationError({field: _("You do not administer the domain %(domain)s.") % {"domain": address.domain}})


ID = OpenApiParameter("id", int, OpenApiParameter.PATH)
DOMAIN = OpenApiParameter("domain", str, description="Only this domain's accounts.")


class AccountList(ApiView):
    @extend_schema(parameters=[DOMAIN], responses=AccountSerializer(many=True), operation_id="accounts_list")
    def get(self, request):
        accounts = Account.objects.select_related("domain", "user").order_by("address_key", "id")
        if is_panel_admin(request.user):
            accounts = of_managed_domains(accounts, request.user)
            if request.query_params.get("domain"):
                accounts = accounts.filter(domain=panel_access.domain_or_404(request, request.query_params["domain"]))
        else:
            own = own_account(request.user)
            accounts = accounts.filter(pk=own.pk if own else None)
        return self.paged(accounts, AccountSerializer)

    @extend_schema(request=AccountCreateSerializer, responses={201: AccountSerializer})
    def post(self, request):
        if not is_panel_admin(request.user):
            raise PermissionDenied("Only superadmins and domain admins may create accounts.")
        values = valid(AccountCreateSerializer, request)
        check_managed_address(request, values["address"], "address")
        with transaction.atomic():
            account = services.create_account(values["address"], values["password"], quota=values.get("quota"),
                                              display_name=values["display_name"], active=values["active"])
            audit(request, "account.create", account, domain=account.domain.name, after=snapshot(account))
        return Response(AccountSerializer(account).data, status=status.HTTP_201_CREATED)


class AccountDetail(ApiView):
    @extend_schema(parameters=[ID], responses=AccountSerializer)
    def get(self, request, id):
        return Response(AccountSerializer(account_or_404(request, id)).data)

    @extend_schema(parameters=[ID], request=AccountUpdateSerializer, responses=AccountSerializer)
    def patch(self, request, id):
        account = account_or_404(request, id, change=True)
        values = valid(AccountUpdateSerializer, request)
        if set(values) & ADMIN_FIELDS and not is_panel_admin(request.user):
            raise PermissionDenied("Only admins may change an account's quota, state, password or mail programs.")
        before = snapshot(account)
        with transaction.atomic():  # all changes or none
            if "display_name" in values:
                services.set_display_name(account.address, values["display_name"])
            if "quota" in values:
                services.set_quota(account.address, values["quota"])
            if "active" in values:
                services.set_account_active(account.address, values["active"])
            if "app_passwords_only" in values:
                set_app_passwords_only(account.address, values["app_passwords_only"])
            if "password" in values:
                services.set_password(account.address, values["password"])
                revoked, ended = after_password_reset(account.user)
                audit(request, "account.password", account, domain=account.domain.name,
                      after={"app_passwords_revoked": revoked, "sessions_ended": ended})
            account = Account.objects.select_related("domain", "user").get(pk=account.pk)
            old, new = changed(before, snapshot(account))
            if new:
                audit(request, "account.update", account, domain=account.domain.name, before=old, after=new)
        return Response(AccountSerializer(account).data)

    @extend_schema(parameters=[ID], responses={204: None})
    def delete(self, request, id):
        if not is_panel_admin(request.user):
            raise PermissionDenied("Only superadmins and domain admins may delete accounts.")
        account = account_or_404(request, id, change=True)
        with transaction.atomic():
            services.remove_account(account.address)
            audit(request, "account.delete", account, domain=account.domain.name, before=snapshot(account))
        return Response(status=status.HTTP_204_NO_CONTENT)
