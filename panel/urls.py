"""Panel routes. The full panel comes with its own issue; health and home exist now."""
from django.urls import path

from . import views

app_name = "panel"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
]
