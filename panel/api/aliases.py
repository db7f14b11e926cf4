"""Aliases: /api/v1/aliases/ — an address (or the catch-all `@domain`) to targets.

services.create_alias enforces the domain's alias limit and refuses unknown local
targets and loops, as for the panel; a domain admin's token reaches only the aliases of
their domains (another's id answers 404).
"""
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from mailcore.directory import services
from mailcore.directory.addresses import address_to_unicode
from mailcore.directory.models import Alias
from panel.access import alias_or_404, domain_or_404, of_managed_domains

from .access import IsPanelAdmin, audit
from .accounts import DOMAIN, ID, check_managed_address
from .base import ApiView, valid


class AliasSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    address = serializers.SerializerMethodField(help_text="As people read it; `@domain` is the catch-all.")
    ascii_address = serializers.CharField(source="address")
    domain = serializers.CharField(source="domain.unicode_name")
    targets = serializers.SerializerMethodField()
    active = serializers.BooleanField()
    created = serializers.DateTimeField()

    def get_address(self, alias) -> str:
        return str(alias)

    def get_targets(self, alias) -> list[str]:
        return [address_to_unicode(target.address) for target in alias.targets.all()]


class AliasTargetsSerializer(serializers.Serializer):
    targets = serializers.ListField(child=serializers.CharField(max_length=320), min_length=1, max_length=1000)


class AliasCreateSerializer(AliasTargetsSerializer):
    source = serializers.CharField(max_length=320, help_text="The alias address, or `@domain` for the catch-all.")


def _targets(alias) -> list[str]:
    return [target.address for target in alias.targets.all()]


class AliasList(ApiView):
    permission_classes = [IsPanelAdmin]

    @extend_schema(parameters=[DOMAIN], responses=AliasSerializer(many=True), operation_id="aliases_list")
    def get(self, request):
        aliases = of_managed_domains(Alias.objects.select_related("domain").prefetch_related("targets"), request.user)
        if request.query_params.get("domain"):
            aliases = aliases.filter(domain=domain_or_404(request, request.query_params["domain"]))
        return self.paged(aliases.order_by("address_key", "id"), AliasSerializer)

    @extend_schema(request=AliasCreateSerializer, responses={201: AliasSerializer})
    def post(self, request):
        values = valid(AliasCreateSerializer, request)
        check_managed_address(request, values["source"], "source")
        with transaction.atomic():
            alias = services.create_alias(values["source"], values["targets"])
            audit(request, "alias.create", alias, domain=alias.domain.name, after={"targets": _targets(alias)})
        return Response(AliasSerializer(alias).data, status=status.HTTP_201_CREATED)


class AliasDetail(ApiView):
    permission_classes = [IsPanelAdmin]

    @extend_schema(parameters=[ID], responses=AliasSerializer)
    def get(self, request, id):
        return Response(AliasSerializer(alias_or_404(request, id)).data)

    @extend_schema(parameters=[ID], request=AliasTargetsSerializer, responses=AliasSerializer)
    def put(self, request, id):
        alias = alias_or_404(request, id)
        values = valid(AliasTargetsSerializer, request)
        before = _targets(alias)
        with transaction.atomic():
            services.set_alias_targets(alias.address, values["targets"])
            after = _targets(alias)
            if after != before:
                audit(request, "alias.update", alias, domain=alias.domain.name,
                      before={"targets": before}, after={"targets": after})
        return Response(AliasSerializer(alias_or_404(request, id)).data)

    @extend_schema(parameters=[ID], responses={204: None})
    def delete(self, request, id):
        alias = alias_or_404(request, id)
        before = _targets(alias)
        with transaction.atomic():
            services.remove_alias(alias.address)
            audit(request, "alias.delete", alias, domain=alias.domain.name, before={"targets": before})
        return Response(status=status.HTTP_204_NO_CONTENT)
