"""Webmail: reading. A message is addressed by its folder's id and its IMAP UID."""
from django.urls import path, register_converter

from . import thread, views


class SectionConverter:
    """An IMAP part number (RFC 9051 §6.4.5): "1", "2.1", ..."""

    regex = r"[1-9][0-9]{0,3}(?:\.[1-9][0-9]{0,3}){0,31}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(SectionConverter, "section")

_MESSAGE = "folder/<int:folder_id>/<int:uid>/"
urlpatterns = [
    path(_MESSAGE, views.message_view, name="message"),
    path(_MESSAGE + "body/", views.body_view, name="body"),
    path(_MESSAGE + "raw/", views.raw_view, name="raw"),
    path(_MESSAGE + "print/", views.print_view, name="print"),
    path(_MESSAGE + "trust-sender/", views.trust_sender, name="trust_sender"),
    path(_MESSAGE + "part/<section:section>/", views.part_view, name="part"),
    path("inline/<str:token>/", views.inline_view, name="inline"),
    path("folder/<int:folder_id>/thread/<str:thread>/", thread.thread_view, name="thread"),
]
