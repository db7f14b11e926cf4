"""Routes of the panel's accounts area (names in the "panel" namespace)."""
from django.urls import path

from . import access_views, alias_views, csv_views, data_views, directory_views, views

urlpatterns = [
    path("", views.account_list, name="account_list"),
    path("new/", views.account_create, name="account_create"),
    path("new-in-directory/", directory_views.directory_user_create, name="directory_user_create"),
    path("import/", csv_views.account_import, name="account_import"),
    path("export.csv", csv_views.account_export, name="account_export"),
    path("<int:pk>/", views.account_detail, name="account_detail"),
    path("<int:pk>/delete/", views.account_delete, name="account_delete"),
    path("<int:pk>/deleted-mail/", data_views.account_deleted_mail, name="account_deleted_mail"),
    path("<int:pk>/export/", data_views.account_export, name="account_export_data"),
    path("<int:pk>/erase/", data_views.account_erase, name="account_erase"),
    path("<int:pk>/password/", access_views.account_password, name="account_password"),
    path("<int:pk>/forward/", access_views.account_forward, name="account_forward"),
    path("<int:pk>/app-passwords/", access_views.app_password_create, name="app_password_create"),
    path("<int:pk>/app-passwords/<int:app_pk>/revoke/", access_views.app_password_revoke,
         name="app_password_revoke"),
    path("aliases/", alias_views.alias_list, name="alias_list"),
    path("aliases/new/", alias_views.alias_create, name="alias_create"),
    path("aliases/import/", csv_views.alias_import, name="alias_import"),
    path("aliases/export.csv", csv_views.alias_export, name="alias_export"),
    path("aliases/<int:pk>/", alias_views.alias_detail, name="alias_detail"),
    path("aliases/<int:pk>/delete/", alias_views.alias_delete, name="alias_delete"),
    path("aliases/<int:pk>/active/", alias_views.alias_active, name="alias_active"),
]
