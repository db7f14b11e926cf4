"""Webmail: compose, reply/forward, drafts, scheduled send and undo send."""
from django.urls import path

from . import contacts_views, scheduled_views, views

_MESSAGE = "folder/<int:folder_id>/<int:uid>/"
urlpatterns = [
    path("compose/", views.compose, name="compose"),
    path("compose/draft/<int:uid>/", views.draft, name="draft"),
    path("compose/undo/<int:pk>/", views.undo_send, name="undo_send"),
    path("compose/contacts/", contacts_views.contacts, name="contacts"),
    path(_MESSAGE + "reply/", views.reply, name="reply"),
    path(_MESSAGE + "reply-all/", views.reply_all, name="reply_all"),
    path(_MESSAGE + "forward/", views.forward, name="forward"),
    path("scheduled/", scheduled_views.scheduled, name="scheduled"),
    path("scheduled/<int:pk>/cancel/", scheduled_views.cancel, name="scheduled_cancel"),
    path("scheduled/<int:pk>/edit/", views.scheduled_edit, name="scheduled_edit"),
    path("scheduled/<int:pk>/status/", scheduled_views.status, name="scheduled_status"),
]
