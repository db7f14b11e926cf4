"""Placeholder until this area is built: every URL answers 404."""
from django.http import Http404


def placeholder(request, **kwargs):
    raise Http404
