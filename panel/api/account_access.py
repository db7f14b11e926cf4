"""How an account is reached: its forwarding and its app passwords (docs/api.md).

/api/v1/accounts/{id}/forward/ and /api/v1/accounts/{id}/app-passwords/: an admin's token
for the accounts of their domains, a mail user's for its own. An app password's
plaintext is in the answer that made it, and never again.
"""
from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from mailcore.directory import services

from .access import audit
from .accounts import ID, account_or_404


class ForwardSerializer(serializers.Serializer):
    targets = serializers.ListField(child=serializers.CharField(max_length=320), max_length=1000,
                                    help_text="Addresses; an empty list turns forwarding off.")
    keep_copy = serializers.BooleanField(default=True, help_text="Also deliver to the account's own INBOX.")


class AppPasswordSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    created = serializers.DateTimeField()
    last_used = serializers.DateTimeField(allow_null=True)


class NewAppPasswordSerializer(AppPasswordSerializer):
    password = serializers.CharField(help_text="Shown in this answer only.")


class AppPasswordCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)


def forward_state(account) -> dict:
    forward = getattr(account, "forward", None)
    if forward is None:
        return {"targets": [], "keep_copy": True}
    return {"targets": [t.address for t in forward.targets.all()], "keep_copy": forward.keep_copy}


class Forward(APIView):
    @extend_schema(parameters=[ID], responses=ForwardSerializer, operation_id="accounts_forward_retrieve")
    def get(self, request, id):
        return Response(forward_state(account_or_404(request, id)))

    @extend_schema(parameters=[ID], request=ForwardSerializer, responses=ForwardSerializer)
    def put(self, request, id):
        account = account_or_404(request, id, change=True)
        serializer = ForwardSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        before = forward_state(account)
        with transaction.atomic():
            services.set_forward(account.address, serializer.validated_data["targets"],
                                 keep_copy=serializer.validated_data["keep_copy"])
            account = account_or_404(request, id)  # the forward was replaced
            after = forward_state(account)
            if before != after:
                audit(request, "account.forward", account, domain=account.domain.name, before=before, after=after)
        return Response(after)


class AppPasswordList(APIView):
    @extend_schema(parameters=[ID], responses=AppPasswordSerializer(many=True),
                   operation_id="accounts_app_passwords_list")
    def get(self, request, id):
        account = account_or_404(request, id)
        return Response(AppPasswordSerializer(account.app_passwords.all(), many=True).data)

    @extend_schema(parameters=[ID], request=AppPasswordCreateSerializer, responses={201: NewAppPasswordSerializer})
    def post(self, request, id):
        account = account_or_404(request, id, change=True)
        serializer = AppPasswordCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            app_password, plaintext = services.create_app_password(account.address, serializer.validated_data["name"])
            audit(request, "account.app_password_create", account, domain=account.domain.name,
                  after={"app_password": app_password.name})
        body = {**AppPasswordSerializer(app_password).data, "password": plaintext}
        return Response(body, status=status.HTTP_201_CREATED, headers={"Cache-Control": "no-store"})


class AppPasswordDetail(APIView):
    @extend_schema(parameters=[ID, OpenApiParameter("app_password_id", int, OpenApiParameter.PATH)],
                   responses={204: None})
    def delete(self, request, id, app_password_id):
        account = account_or_404(request, id, change=True)
        app_password = get_object_or_404(account.app_passwords, pk=app_password_id)
        with transaction.atomic():
            services.remove_app_password(account.address, app_password.pk)
            audit(request, "account.app_password_revoke", account, domain=account.domain.name,
                  before={"app_password": app_password.name})
        return Response(status=status.HTTP_204_NO_CONTENT)
