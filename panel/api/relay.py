"""Relay tokens and relay networks: /api/v1/relay/tokens/ and /api/v1/relay/networks/.

Superadmins only, as in the panel (docs/panel-relay.md): a grant lets software or a
network send as a domain to anyone. Changes go through mailcore.relay.services; a new
relay token's secret is in the answer that made it, and never again.
"""
from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from mailcore.relay import services
from mailcore.relay.models import RelayNetwork, RelayToken

from .access import IsSuperadmin, audit
from .base import ApiView, valid

RATE_MAX = 2**31 - 1


class GrantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    domain = serializers.CharField(source="domain.unicode_name")
    name = serializers.CharField()
    senders = serializers.ListField(child=serializers.CharField())
    rate_per_hour = serializers.IntegerField(help_text="0: unlimited.")
    active = serializers.BooleanField()
    created = serializers.DateTimeField()
    last_used = serializers.DateTimeField(allow_null=True)


class RelayTokenSerializer(GrantSerializer):
    username = serializers.CharField()


class NewRelayTokenSerializer(RelayTokenSerializer):
    secret = serializers.CharField(help_text="Shown in this answer only.")


class RelayNetworkSerializer(GrantSerializer):
    network = serializers.CharField()


class GrantCreateSerializer(serializers.Serializer):
    domain = serializers.CharField(max_length=253)
    name = serializers.CharField(max_length=100)
    senders = serializers.ListField(child=serializers.CharField(max_length=320), max_length=100, required=False,
                                    allow_null=True, help_text="Left out: any address of the domain.")
    rate_per_hour = serializers.IntegerField(min_value=0, max_value=RATE_MAX, required=False, allow_null=True)


class NetworkCreateSerializer(GrantCreateSerializer):
    network = serializers.CharField(max_length=64)


class GrantUpdateSerializer(serializers.Serializer):
    active = serializers.BooleanField()


def snapshot(grant) -> dict:
    """What an audit entry records of a grant (never a secret or its hash), as the panel's."""
    detail = {"username": grant.username} if isinstance(grant, RelayToken) else {"network": grant.network}
    return {"domain": grant.domain.name, **detail, "senders": grant.senders, "rate_per_hour": grant.rate_per_hour}


def _grant_arguments(values) -> dict:
    return {"senders": values.get("senders"), "rate_per_hour": values.get("rate_per_hour")}


class RelayTokenList(ApiView):
    permission_classes = [IsSuperadmin]

    @extend_schema(responses=RelayTokenSerializer(many=True), operation_id="relay_tokens_list")
    def get(self, request):
        return self.paged(RelayToken.objects.select_related("domain").order_by("domain__name", "name"),
                          RelayTokenSerializer)

    @extend_schema(request=GrantCreateSerializer, responses={201: NewRelayTokenSerializer})
    def post(self, request):
        values = valid(GrantCreateSerializer, request)
        with transaction.atomic():
            token, secret = services.create_token(values["domain"], values["name"], **_grant_arguments(values))
            audit(request, "relay_token.create", token.name, domain=token.domain.name, after=snapshot(token))
        return Response({**RelayTokenSerializer(token).data, "secret": secret}, status=status.HTTP_201_CREATED,
                        headers={"Cache-Control": "no-store"})


class RelayNetworkList(ApiView):
    permission_classes = [IsSuperadmin]

    @extend_schema(responses=RelayNetworkSerializer(many=True), operation_id="relay_networks_list")
    def get(self, request):
        return self.paged(RelayNetwork.objects.select_related("domain").order_by("domain__name", "name"),
                          RelayNetworkSerializer)

    @extend_schema(request=NetworkCreateSerializer, responses={201: RelayNetworkSerializer})
    def post(self, request):
        values = valid(NetworkCreateSerializer, request)
        with transaction.atomic():
            grant = services.create_network(values["domain"], values["name"], values["network"],
                                            **_grant_arguments(values))
            audit(request, "relay_network.create", grant.name, domain=grant.domain.name, after=snapshot(grant))
        return Response(RelayNetworkSerializer(grant).data, status=status.HTTP_201_CREATED)


ID = OpenApiParameter("id", int, OpenApiParameter.PATH)


class _GrantDetail(ApiView):
    """Read, disable or enable (PATCH active), and revoke or remove (DELETE) one grant."""

    permission_classes = [IsSuperadmin]
    model = None
    kind = ""
    serializer = None

    def _grant(self, pk):
        return get_object_or_404(self.model.objects.select_related("domain"), pk=pk)

    def get(self, request, id):
        return Response(self.serializer(self._grant(id)).data)

    def patch(self, request, id):
        grant = self._grant(id)
        active = valid(GrantUpdateSerializer, request)["active"]
        if grant.active != active:
            with transaction.atomic():
                grant = services.set_grant_active(self.model, grant.domain.name, grant.name, active)
                audit(request, f"relay_{self.kind}.update", grant.name, domain=grant.domain.name,
                      before={"domain": grant.domain.name, "active": not active},
                      after={"domain": grant.domain.name, "active": active})
        return Response(self.serializer(grant).data)

    def delete(self, request, id):
        grant = self._grant(id)
        before = snapshot(grant)
        with transaction.atomic():
            services.remove_grant(self.model, grant.domain.name, grant.name)
            audit(request, f"relay_{self.kind}.delete", grant.name, domain=grant.domain.name, before=before)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RelayTokenDetail(_GrantDetail):
    model, kind, serializer = RelayToken, "token", RelayTokenSerializer

    @extend_schema(parameters=[ID], responses=RelayTokenSerializer)
    def get(self, request, id):
        return super().get(request, id)

    @extend_schema(parameters=[ID], request=GrantUpdateSerializer, responses=RelayTokenSerializer)
    def patch(self, request, id):
        return super().patch(request, id)

    @extend_schema(parameters=[ID], responses={204: None})
    def delete(self, request, id):
        return super().delete(request, id)


class RelayNetworkDetail(_GrantDetail):
    model, kind, serializer = RelayNetwork, "network", RelayNetworkSerializer

    @extend_schema(parameters=[ID], responses=RelayNetworkSerializer)
    def get(self, request, id):
        return super().get(request, id)

    @extend_schema(parameters=[ID], request=GrantUpdateSerializer, responses=RelayNetworkSerializer)
    def patch(self, request, id):
        return super().patch(request, id)

    @extend_schema(parameters=[ID], responses={204: None})
    def delete(self, request, id):
        return super().delete(request, id)
