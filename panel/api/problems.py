"""Errors as RFC 9457 problem documents (application/problem+json).

Every error the API returns — a refused field, a missing token, a scope it may not see,
a rate limit — is one JSON object with `type`, `title`, `status` and `detail` (RFC 9457
§3.1). `type` is "about:blank" (§4.2.1: the problem is what the status code says) and
`title` the status's phrase; a refused request body adds `errors`, one entry per field
with a JSON Pointer (RFC 6901) to it, as RFC 9457 §3's example does. mailcore's
ValidationError (the services' field → message dict) becomes the same 400 the panel's
forms show as field errors.
"""
import logging
from http import HTTPStatus

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)

PROBLEM_TYPE = "application/problem+json"


def problem(status: int, detail: str, **extra) -> Response:
    """A problem document response."""
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status, "detail": detail, **extra}
    return Response(body, status=status, content_type=PROBLEM_TYPE)


def field_errors(detail, pointer="#") -> list[dict]:
    """Flatten DRF's nested error detail into [{"pointer": "#/field", "detail": text}]."""
    if isinstance(detail, dict):
        entries = []
        for key, value in detail.items():
            inner = pointer if key in ("non_field_errors", "__all__") else f"{pointer}/{key}"
            entries += field_errors(value, inner)
        return entries
    if isinstance(detail, list):
        entries = []
        for index, value in enumerate(detail):
            # A list of messages for one field, or a list field's errors by index.
            entries += field_errors(value, pointer if not isinstance(value, dict | list) else f"{pointer}/{index}")
        return entries
    return [{"pointer": pointer, "detail": str(detail)}] if pointer != "#" else [{"detail": str(detail)}]


def _as_api_exception(exc):
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return exceptions.ValidationError(detail=detail)
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    return exc


def exception_handler(exc, context):
    exc = _as_api_exception(exc)
    response = drf_exception_handler(exc, context)
    if response is None:  # a bug: logged with its traceback, never shown to the client
        logger.exception("API error in %s", context.get("view"), exc_info=exc)
        return problem(500, "The server could not complete the request.")
    if isinstance(exc, exceptions.ValidationError):
        body = problem(response.status_code, "The request has invalid fields.", errors=field_errors(exc.detail))
    else:
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        body = problem(response.status_code, detail)
    for header, value in response.items():  # WWW-Authenticate, Retry-After, Allow
        if header.lower() != "content-type":
            body[header] = value
    return body


PROBLEM_SCHEMA = {
    "type": "object",
    "description": "An RFC 9457 problem document.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {"type": "object", "properties": {"pointer": {"type": "string"}, "detail": {"type": "string"}},
                      "required": ["detail"]},
        },
    },
    "required": ["type", "title", "status", "detail"],
}
ERROR_STATUSES = {
    "400": "The request has invalid fields.",
    "401": "No token, or a token that is invalid, revoked or expired.",
    "403": "The token's owner may not do this.",
    "404": "Not found, or outside the token owner's domains.",
    "405": "The method is not allowed here.",
    "406": "Only JSON is offered.",
    "409": "The object is not in a state that allows this.",
    "415": "Only JSON is accepted.",
    "429": "Over the token's rate limit; see Retry-After.",
}


def document_problems(result, generator, request, public):
    """drf-spectacular hook: every operation may answer with these problem documents."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    content = {PROBLEM_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_STATUSES.items():
                responses.setdefault(status, {"description": description, "content": content})
    return result
