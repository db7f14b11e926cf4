"""Webmail routes; the webmail itself comes with its own issue."""
from django.urls import path

from . import views

app_name = "webmail"
urlpatterns = [path("", views.index, name="index")]
