from django.urls import path

from . import actions, folders, listing, live

urlpatterns = [
    path("", listing.index, name="index"),
    path("folder/<int:folder_id>/", listing.folder_view, name="folder"),
    path("folder/<int:folder_id>/act/", actions.act, name="act"),
    path("conversations/", listing.toggle_conversations, name="toggle_conversations"),
    path("poll/", live.poll, name="poll"),
    path("poll/wait/", live.wait, name="poll_wait"),
    path("search/", listing.search, name="search"),
    path("search/act/", actions.act_on_found, name="act_on_found"),
    path("folders/", folders.manage, name="folders"),
]
