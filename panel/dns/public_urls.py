"""Public DNS-related URLs: the MTA-STS policy file (RFC 8461 §3.3), fetched without signing in."""
from django.urls import path

from . import public_views

urlpatterns = [
    path(".well-known/mta-sts.txt", public_views.mta_sts_policy, name="mta_sts_policy"),
]
