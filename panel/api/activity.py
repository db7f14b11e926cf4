"""The mail server's state: the outbound queue, the delivery log, statistics, the audit log.

Each reads the rows the panel's pages read, scoped the same way (panel/activity/scope.py:
a domain admin sees mail to or from their domains, and their domains' audit entries),
filtered by the panel's own filter forms; a filter the form refuses is a 400 here
rather than the page's "shown unfiltered". Queue changes go through
mailcore.delivery.queue_admin and are audited per recipient, as the panel does.
"""
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from mailcore.delivery import queue_admin
from mailcore.delivery.models import QueueRecipient
from mailcore.stats.series import daily_series, days_ending
from panel.access import managed_domains
from panel.activity import audit_views, delivery
from panel.activity.forms import AuditFilterForm, DeliveryFilterForm
from panel.activity.scope import owner_domain

from .access import IsPanelAdmin, audit
from .base import ApiView, valid

STATS_DAYS = 30


class DeliverySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    message_id = serializers.CharField(source="message.message_id")
    received_at = serializers.DateTimeField(source="message.received_at")
    mail_from = serializers.CharField(source="message.mail_from")
    source = serializers.CharField(source="message.source")
    size = serializers.IntegerField(source="message.size")
    address = serializers.CharField(help_text="The recipient.")
    kind = serializers.ChoiceField(choices=QueueRecipient.Kind.values)
    status = serializers.ChoiceField(choices=QueueRecipient.Status.values)
    attempts = serializers.IntegerField()
    next_attempt = serializers.DateTimeField()
    last_result = serializers.CharField()
    finished_at = serializers.DateTimeField(allow_null=True)


class QueueSelectionSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**62), min_length=1,
                                max_length=1000, help_text="Queue rows (recipients) as the list gives them.")


class QueueChangeSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="How many of them were still waiting and were changed.")


class StatsSerializer(serializers.Serializer):
    days = serializers.ListField(child=serializers.DateField())
    series = serializers.DictField(child=serializers.ListField(child=serializers.IntegerField()),
                                   help_text="Per kind (received, sent, ...), the count of each day.")


class AuditEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    time = serializers.DateTimeField()
    actor = serializers.CharField(source="actor_name")
    via = serializers.CharField(help_text="\"api\" for changes made through the API, else empty.")
    ip = serializers.CharField(allow_null=True)
    action = serializers.CharField()
    object = serializers.CharField(source="object_repr")
    domain = serializers.CharField()
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)


def _domains(request) -> list[str]:
    return list(managed_domains(request.user).order_by("sort_key", "name").values_list("name", flat=True))


def _checked(form):
    """The panel's filter form, or a 400 naming the field it refused."""
    if form.is_bound and not form.is_valid():
        raise ValidationError({field: list(errors) for field, errors in form.errors.items()})


DATE_FILTERS = [
    OpenApiParameter("domain", str, description="A-label of one of the owner's domains."),
    OpenApiParameter("date_from", str, description="YYYY-MM-DD, inclusive."),
    OpenApiParameter("date_to", str, description="YYYY-MM-DD, inclusive."),
]


class DeliveryLog(ApiView):
    permission_classes = [IsPanelAdmin]

    @extend_schema(parameters=[
        OpenApiParameter("status", str, enum=QueueRecipient.Status.values),
        OpenApiParameter("direction", str, enum=["in", "out", "local"]), *DATE_FILTERS,
    ], responses=DeliverySerializer(many=True), operation_id="delivery_log_list")
    def get(self, request):
        _checked(DeliveryFilterForm(_filters(request) or None, domains=_domains(request)))
        _form, rows, _params = delivery._filtered(request, delivery._rows(request))
        return self.paged(rows.order_by("-message__received_at", "-id"), DeliverySerializer)


def _filters(request) -> dict:
    """The query's filter values, without paging parameters."""
    return {key: value for key, value in request.query_params.items() if key not in ("limit", "offset")}


class Queue(ApiView):
    permission_classes = [IsPanelAdmin]

    @extend_schema(responses=DeliverySerializer(many=True), operation_id="queue_list")
    def get(self, request):
        rows = delivery._rows(request).filter(status__in=queue_admin.WAITING)
        return self.paged(rows.order_by("next_attempt", "id"), DeliverySerializer)


def _selected(request) -> list[QueueRecipient]:
    """The rows named, each visible to the owner: one that is not is a 404, as in the panel."""
    ids = set(valid(QueueSelectionSerializer, request)["ids"])
    rows = list(delivery._rows(request).filter(pk__in=ids))
    if len(rows) != len(ids):
        raise Http404
    return rows


def _change(request, action: str, change, after: dict) -> Response:
    rows = _selected(request)
    with transaction.atomic():
        done = change(rows)
        for row in rows:
            if row.status in queue_admin.WAITING:
                audit(request, action, f"{row.address} ({row.message.message_id or row.message.pk})",
                      domain=owner_domain(row), before={"status": row.status, "last_result": row.last_result},
                      after=after)
    return Response({"count": done})


class QueueRetry(ApiView):
    permission_classes = [IsPanelAdmin]

    @extend_schema(request=QueueSelectionSerializer, responses=QueueChangeSerializer)
    def post(self, request):
        """Try these waiting recipients now."""
        return _change(request, "queue.retry", queue_admin.retry_now, {"retry": "now"})


class QueueRemove(ApiView):
    permission_classes = [IsPanelAdmin]

    @extend_schema(request=QueueSelectionSerializer, responses=QueueChangeSerializer)
    def post(self, request):
        """Take these waiting recipients out of the queue, without a bounce."""
        return _change(request, "queue.delete", queue_admin.remove,
                       {"status": QueueRecipient.Status.FAILED, "last_result": queue_admin.REMOVED_REPLY})


class Statistics(ApiView):
    permission_classes = [IsPanelAdmin]

    @extend_schema(parameters=[OpenApiParameter("domain", str, description="A-label of one of the owner's domains.")],
                   responses=StatsSerializer, operation_id="statistics_retrieve")
    def get(self, request):
        """Mail counted per day over the last 30 days, for the owner's domains or one of them."""
        names = _domains(request)
        chosen = request.query_params.get("domain", "")
        if chosen and chosen not in names:
            raise Http404
        scope = [chosen] if chosen else (None if request.user.is_superuser else names)
        series = daily_series(scope, STATS_DAYS)
        return Response({"days": days_ending(timezone.now().date(), STATS_DAYS), "series": series})


class AuditLog(ApiView):
    permission_classes = [IsPanelAdmin]

    @extend_schema(parameters=[
        OpenApiParameter("actor", str), OpenApiParameter("action", str, description="e.g. account.create"),
        *DATE_FILTERS,
    ], responses=AuditEntrySerializer(many=True), operation_id="audit_log_list")
    def get(self, request):
        request.is_superadmin = request.user.is_superuser
        entries = audit_views._visible(request)
        actions = list(entries.order_by("action").values_list("action", flat=True).distinct())
        _checked(AuditFilterForm(_filters(request) or None, domains=_domains(request), actions=actions))
        _form, entries, _params = audit_views._filtered(request, entries)
        return self.paged(entries.order_by("-time", "-id"), AuditEntrySerializer)


