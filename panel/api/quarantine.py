"""Quarantined mail: /api/v1/quarantine/ — list, read, release, delete.

A superadmin sees all held mail; a domain admin the mail addressed to their domains,
and of each message only their domains' recipients; releasing or deleting acts on
those recipients alone (panel/filters/scope.py, mailcore.filters.quarantine), each
audited per domain as the panel does.
"""
from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from mailcore.filters import quarantine
from mailcore.filters.models import QuarantinedMessage
from panel.filters.scope import (
    audit_targets,
    describe_held,
    domain_names,
    message_or_404,
    quarantine_for,
    recipients_in_scope,
)

from .access import IsPanelAdmin, audit

# panel/filters/scope.py reads request.is_superadmin, which the panel's decorators set;
# each view here sets it from the token's owner before calling it.
from .base import ApiView, Conflict

ID = OpenApiParameter("id", int, OpenApiParameter.PATH)


class QuarantinedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    received_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    mail_from = serializers.CharField()
    subject = serializers.CharField()
    kind = serializers.ChoiceField(choices=QuarantinedMessage.Kind.values)
    reason = serializers.CharField()
    score = serializers.FloatField(allow_null=True)
    size = serializers.IntegerField()
    status = serializers.ChoiceField(choices=QuarantinedMessage.Status.values)
    recipients = serializers.SerializerMethodField(help_text="The held recipients this token's owner may act on.")

    def get_recipients(self, message) -> list[str]:
        rows = getattr(message, "visible", None)
        if rows is None:
            rows = recipients_in_scope(self.context["request"], message)
        return [row.address for row in rows]


class QuarantineList(ApiView):
    permission_classes = [IsPanelAdmin]

    @extend_schema(parameters=[
        OpenApiParameter("status", str, enum=[*QuarantinedMessage.Status.values, "all"],
                         description="Held mail unless said otherwise."),
        OpenApiParameter("kind", str, enum=QuarantinedMessage.Kind.values),
        OpenApiParameter("domain", str, description="A-label of one of the owner's domains."),
    ], responses=QuarantinedSerializer(many=True), operation_id="quarantine_list")
    def get(self, request):
        request.is_superadmin = request.user.is_superuser
        params = {key: request.query_params.get(key, "") for key in ("status", "kind", "domain")}
        if params["status"] not in ("", "all", *QuarantinedMessage.Status.values):
            params["status"] = QuarantinedMessage.Status.HELD
        messages = quarantine_for(request, params).order_by("-received_at", "-id")
        return self.paged(messages, QuarantinedSerializer, context={"request": request})


class QuarantineDetail(ApiView):
    permission_classes = [IsPanelAdmin]

    @extend_schema(parameters=[ID], responses=QuarantinedSerializer)
    def get(self, request, id):
        request.is_superadmin = request.user.is_superuser
        return Response(QuarantinedSerializer(message_or_404(request, id), context={"request": request}).data)

    @extend_schema(parameters=[ID], responses={204: None})
    def delete(self, request, id):
        """Delete the held message for the recipients in the owner's scope."""
        request.is_superadmin = request.user.is_superuser
        message = message_or_404(request, id)
        audited = audit_targets(request, message)
        with transaction.atomic():
            if not quarantine.delete(message, request.user, domains=domain_names(request)):
                raise Conflict("The message had already been released or deleted.")
            for domain, addresses in audited.items():
                audit(request, "quarantine.delete", describe_held(message), domain=domain,
                      before={"recipients": addresses, "kind": message.kind, "reason": message.reason})
        return Response(status=status.HTTP_204_NO_CONTENT)


class QuarantineRelease(ApiView):
    permission_classes = [IsPanelAdmin]

    @extend_schema(parameters=[ID], request=None, responses=QuarantinedSerializer)
    def post(self, request, id):
        """Release the held message to the recipients in the owner's scope: it is delivered unchanged."""
        request.is_superadmin = request.user.is_superuser
        message = message_or_404(request, id)
        audited = audit_targets(request, message)
        with transaction.atomic():
            if not quarantine.release(message, request.user, domains=domain_names(request)):
                raise Conflict("The message had already been released or deleted.")
            for domain, addresses in audited.items():
                audit(request, "quarantine.release", describe_held(message), domain=domain,
                      after={"recipients": addresses})
        message = quarantine_for(request, {"status": "all"}).filter(pk=id).first() or message
        return Response(QuarantinedSerializer(message, context={"request": request}).data)
