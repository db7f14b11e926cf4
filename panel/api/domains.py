"""Domains and domain aliases: /api/v1/domains/ (docs/api.md).

Adding, limits, enabling and removing a domain, and its domain aliases, are the
superadmin's, as in the panel (docs/panel-domains.md); a domain admin reads their
domains and changes their policy. The rules are mailcore.directory.services'.
"""
from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from mailcore.audit.log import changed
from mailcore.directory import services
from mailcore.directory.addresses import domain_to_unicode
from panel.access import domain_or_404, managed_domains
from panel.domains.queries import with_usage

from .access import IsPanelAdmin, IsSuperadmin, audit
from .base import ApiView, valid

LIMIT_FIELDS = ("default_quota", "max_accounts", "max_aliases", "total_quota")
SUPERADMIN_FIELDS = {"active", *LIMIT_FIELDS}
POLICY_FIELDS = {"dmarc_reject", "app_passwords_only"}
BIG = 2**62  # sizes in bytes: far above any disk, within a signed 64-bit column


class DomainSerializer(serializers.Serializer):
    name = serializers.CharField(source="unicode_name", help_text="The name as people read it (U-label).")
    ascii_name = serializers.CharField(source="name", help_text="The A-label.")
    active = serializers.BooleanField()
    default_quota = serializers.IntegerField(help_text="Bytes for a new account; 0: unlimited.")
    max_accounts = serializers.IntegerField(help_text="0: unlimited.")
    max_aliases = serializers.IntegerField(help_text="0: unlimited.")
    total_quota = serializers.IntegerField(help_text="Bytes shared by all accounts; 0: unlimited.")
    dmarc_reject = serializers.BooleanField()
    app_passwords_only = serializers.BooleanField()
    account_count = serializers.IntegerField()
    alias_count = serializers.IntegerField()
    used_bytes = serializers.IntegerField()
    created = serializers.DateTimeField()


class DomainCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=253)
    default_quota = serializers.IntegerField(min_value=0, max_value=BIG, required=False)
    max_accounts = serializers.IntegerField(min_value=0, max_value=2**31 - 1, default=0)
    max_aliases = serializers.IntegerField(min_value=0, max_value=2**31 - 1, default=0)
    total_quota = serializers.IntegerField(min_value=0, max_value=BIG, default=0)


class DomainUpdateSerializer(serializers.Serializer):
    active = serializers.BooleanField(required=False, help_text="Superadmins only.")
    default_quota = serializers.IntegerField(min_value=0, max_value=BIG, required=False,
                                             help_text="Superadmins only.")
    max_accounts = serializers.IntegerField(min_value=0, max_value=2**31 - 1, required=False,
                                            help_text="Superadmins only.")
    max_aliases = serializers.IntegerField(min_value=0, max_value=2**31 - 1, required=False,
                                           help_text="Superadmins only.")
    total_quota = serializers.IntegerField(min_value=0, max_value=BIG, required=False, help_text="Superadmins only.")
    dmarc_reject = serializers.BooleanField(required=False)
    app_passwords_only = serializers.BooleanField(required=False)


class DomainAliasSerializer(serializers.Serializer):
    name = serializers.SerializerMethodField(help_text="The alias as people read it (U-label).")
    ascii_name = serializers.CharField(source="name")
    target = serializers.CharField(source="target.unicode_name")
    created = serializers.DateTimeField()

    def get_name(self, alias) -> str:
        return domain_to_unicode(alias.name)


class DomainAliasCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=253)


def _domain_body(request, domain) -> dict:
    return DomainSerializer(with_usage(managed_domains(request.user)).get(pk=domain.pk)).data


class DomainList(ApiView):
    permission_classes = [IsPanelAdmin]

    @extend_schema(responses=DomainSerializer(many=True), operation_id="domains_list")
    def get(self, request):
        domains = with_usage(managed_domains(request.user)).order_by("sort_key", "name")
        return self.paged(domains, DomainSerializer)

    @extend_schema(request=DomainCreateSerializer, responses={201: DomainSerializer})
    def post(self, request):
        if not request.user.is_superuser:
            raise PermissionDenied("Only superadmins may add domains.")
        values = valid(DomainCreateSerializer, request)
        domain = services.create_domain(values["name"], **{f: values[f] for f in LIMIT_FIELDS if f in values})
        audit(request, "domain.create", domain, domain=domain.name,
              after={"name": domain.name, **{f: getattr(domain, f) for f in LIMIT_FIELDS}})
        return Response(_domain_body(request, domain), status=status.HTTP_201_CREATED)


NAME = OpenApiParameter("name", str, OpenApiParameter.PATH, description="The domain (U-label or A-label).")
REMOVE_ACCOUNTS = OpenApiParameter("remove_accounts", bool, description="Also remove its accounts and their mail.")


class DomainDetail(APIView):
    permission_classes = [IsPanelAdmin]

    @extend_schema(parameters=[NAME], responses=DomainSerializer)
    def get(self, request, name):
        return Response(_domain_body(request, domain_or_404(request, name)))

    @extend_schema(parameters=[NAME], request=DomainUpdateSerializer, responses=DomainSerializer)
    def patch(self, request, name):
        domain = domain_or_404(request, name)
        values = valid(DomainUpdateSerializer, request)
        if set(values) & SUPERADMIN_FIELDS and not request.user.is_superuser:
            raise PermissionDenied("Only superadmins may change a domain's limits or enable and disable it.")
        before = {field: getattr(domain, field) for field in values}
        if values:
            services.update_domain(domain.name, **values)
            old, new = changed(before, values)
            if new:
                audit(request, "domain.update", domain, domain=domain.name, before=old, after=new)
        return Response(_domain_body(request, domain))

    @extend_schema(parameters=[NAME, REMOVE_ACCOUNTS], responses={204: None})
    def delete(self, request, name):
        if not request.user.is_superuser:
            raise PermissionDenied("Only superadmins may remove domains.")
        domain = domain_or_404(request, name)
        remove_accounts = request.query_params.get("remove_accounts", "").lower() in ("1", "true", "yes")
        accounts = list(domain.accounts.values_list("localpart", flat=True))
        with transaction.atomic():
            services.remove_domain(domain.name, remove_accounts=remove_accounts)
            audit(request, "domain.delete", domain, domain=domain.name,
                  before={"name": domain.name, "accounts": [f"{a}@{domain.name}" for a in accounts]}, after={})
        return Response(status=status.HTTP_204_NO_CONTENT)


class DomainAliasList(APIView):
    permission_classes = [IsPanelAdmin]

    @extend_schema(parameters=[NAME], responses=DomainAliasSerializer(many=True), operation_id="domain_aliases_list")
    def get(self, request, name):
        domain = domain_or_404(request, name)
        return Response(DomainAliasSerializer(domain.domain_aliases.select_related("target"), many=True).data)

    @extend_schema(parameters=[NAME], request=DomainAliasCreateSerializer, responses={201: DomainAliasSerializer})
    def post(self, request, name):
        if not request.user.is_superuser:
            raise PermissionDenied("Only superadmins may add domain aliases.")
        domain = domain_or_404(request, name)
        values = valid(DomainAliasCreateSerializer, request)
        with transaction.atomic():
            alias = services.create_domain_alias(values["name"], domain.name)
            audit(request, "domain_alias.create", alias.name, domain=domain.name,
                  after={"name": alias.name, "target": domain.name})
        return Response(DomainAliasSerializer(alias).data, status=status.HTTP_201_CREATED)


class DomainAliasDetail(APIView):
    permission_classes = [IsSuperadmin]

    @extend_schema(parameters=[NAME, OpenApiParameter("alias", str, OpenApiParameter.PATH)], responses={204: None})
    def delete(self, request, name, alias):
        from django.core.exceptions import ValidationError
        from django.http import Http404

        from mailcore.directory.addresses import normalize_domain

        domain = domain_or_404(request, name)
        try:
            alabel = normalize_domain(alias)
        except ValidationError:
            raise Http404 from None
        if not domain.domain_aliases.filter(name=alabel).exists():
            raise Http404
        with transaction.atomic():
            services.remove_domain_alias(alabel)
            audit(request, "domain_alias.delete", alabel, domain=domain.name,
                  before={"name": alabel, "target": domain.name})
        return Response(status=status.HTTP_204_NO_CONTENT)
