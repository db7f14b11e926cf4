from django.urls import path

from . import folders, listing

urlpatterns = [
    path("", listing.index, name="index"),
    path("folder/<int:folder_id>/", listing.folder_view, name="folder"),
    path("search/", listing.search, name="search"),
    path("folders/", folders.manage, name="folders"),
]
