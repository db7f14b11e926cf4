"""What every API view shares: validating a body, paging a list."""
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.generics import GenericAPIView


class Conflict(APIException):
    """The object is not in a state that allows this (RFC 9110 §15.5.10)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The object is not in a state that allows this."


def valid(serializer_class, request, **kwargs) -> dict:
    """The request body validated by serializer_class; a 400 problem document otherwise."""
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ApiView(GenericAPIView):
    """A view whose GET lists are paged (?limit=&offset=, at most 100 by default)."""

    def paged(self, queryset, serializer_class, **kwargs):
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(serializer_class(page, many=True, **kwargs).data)
