"""Every panel URL refuses strangers and mail users, found by walking the URL patterns, so a
view added later without its decorator fails here."""
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

SAMPLE = {"int": "1", "str": "example.test", "slug": "x", "path": "x"}


def _panel_paths(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver("config.urls").url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _panel_paths(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and route.startswith("panel/"):
            yield "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE[m.group(1) or "str"], route)


PANEL_PATHS = sorted(set(_panel_paths()))


def test_the_walk_finds_the_panel():
    assert len(PANEL_PATHS) > 40 and "/panel/domains/" in PANEL_PATHS


def _answers(client, path):
    """GET and POST answers, leaving out 405: a POST-only view refuses GET before anything."""
    answers = [response for response in (client.get(path), client.post(path)) if response.status_code != 405]
    assert answers, path
    return answers


@pytest.mark.parametrize("path", PANEL_PATHS)
def test_a_signed_out_visitor_is_sent_to_sign_in(client, db, path):
    for response in _answers(client, path):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], path


@pytest.mark.parametrize("path", PANEL_PATHS)
def test_a_mail_user_is_refused(client, alice, path):
    client.force_login(alice.user)
    assert {response.status_code for response in _answers(client, path)} == {403}, path


NAMED_DOMAIN_PATHS = [path for path in PANEL_PATHS if "/example.test/" in path]


def test_some_views_name_a_domain():
    assert len(NAMED_DOMAIN_PATHS) >= 5


@pytest.mark.parametrize("path", NAMED_DOMAIN_PATHS)
def test_a_domain_admin_cannot_reach_another_domain_by_name(owner_client, path):
    other = path.replace("/example.test/", "/example.org/")
    assert {response.status_code for response in _answers(owner_client, other)} <= {403, 404}, other
