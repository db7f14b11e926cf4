"""A domain's DKIM keys: /api/v1/domains/{name}/dkim/ (docs/panel-domains.md).

The same two-step rotation as the panel, through mailcore.dkim.keys: POST makes a key
(the first one signs at once; later ones wait, published but not signing), POST
.../activate switches signing to the waiting key once its record is in DNS (or with
force), DELETE .../pending throws the waiting key away. Domain admins may do all of it.
"""
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from mailcore.dkim import check, keys
from panel.access import domain_or_404

from .access import IsPanelAdmin, audit
from .base import valid
from .domains import NAME


class DkimKeySerializer(serializers.Serializer):
    selector = serializers.CharField()
    state = serializers.ChoiceField(choices=["active", "pending", "retired"])
    dns_name = serializers.CharField(help_text="The TXT record's owner name (RFC 6376 §3.6.2.1).")
    dns_value = serializers.CharField(help_text="The TXT record's text.")
    created = serializers.DateTimeField()
    retired = serializers.DateTimeField(allow_null=True)
    grace_ends = serializers.DateTimeField(allow_null=True, help_text="When a retired key's record may leave DNS.")


class ActivateSerializer(serializers.Serializer):
    force = serializers.BooleanField(default=False, help_text="Use the key even if DNS does not show its record yet.")


def _row(key) -> dict:
    state = "active" if key.active else ("retired" if key.retired else "pending")
    return DkimKeySerializer({"selector": key.selector, "state": state, "dns_name": key.dns_name,
                              "dns_value": key.dns_value, "created": key.created, "retired": key.retired,
                              "grace_ends": keys.grace_ends(key)}).data


class DkimKeys(APIView):
    permission_classes = [IsPanelAdmin]

    @extend_schema(parameters=[NAME], responses=DkimKeySerializer(many=True), operation_id="dkim_keys_list")
    def get(self, request, name):
        return Response([_row(key) for key in keys.published_keys(domain_or_404(request, name))])

    @extend_schema(parameters=[NAME], request=None, responses={201: DkimKeySerializer})
    def post(self, request, name):
        domain = domain_or_404(request, name)
        with transaction.atomic():
            had_key = keys.current_key(domain) is not None
            key = keys.prepare_key(domain)
            audit(request, "dkim.prepare" if had_key else "dkim.create", key.dns_name, domain=domain.name,
                  after={"selector": key.selector, "active": key.active})
        return Response(_row(key), status=status.HTTP_201_CREATED)


class DkimActivate(APIView):
    permission_classes = [IsPanelAdmin]

    @extend_schema(parameters=[NAME], request=ActivateSerializer, responses=DkimKeySerializer)
    def post(self, request, name):
        domain = domain_or_404(request, name)
        force = valid(ActivateSerializer, request)["force"]
        pending, old = keys.pending_key(domain), keys.current_key(domain)
        if pending is None:
            raise ValidationError({"non_field_errors": ["There is no new key waiting to be used."]})
        if not force and check.record_state(pending) != check.PUBLISHED:
            raise ValidationError({"force": ["The new key's record is not visible in DNS yet. Publish it, or "
                                             "send force: true if you have."]})
        with transaction.atomic():
            key = keys.activate_pending(domain)
            audit(request, "dkim.activate", key.dns_name, domain=domain.name,
                  before={"selector": old.selector if old else None}, after={"selector": key.selector})
        return Response(_row(key))


class DkimPending(APIView):
    permission_classes = [IsPanelAdmin]

    @extend_schema(parameters=[NAME], responses={204: None})
    def delete(self, request, name):
        domain = domain_or_404(request, name)
        pending = keys.pending_key(domain)
        if pending is None or not keys.discard_pending(domain):
            raise NotFound("There is no new key waiting.")
        audit(request, "dkim.discard", pending.dns_name, domain=domain.name, before={"selector": pending.selector})
        return Response(status=status.HTTP_204_NO_CONTENT)
