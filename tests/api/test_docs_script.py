"""The script in docs/api.md, run as it stands with curl against a live server, makes the
domain, the account and the alias it says it makes."""
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.api.conftest import make_token

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def script() -> str:
    """The ```sh block after the <!-- api-script --> marker."""
    match = re.search(r"<!-- api-script -->\s*```sh\n(.*?)```", DOC.read_text(), re.S)
    assert match, "docs/api.md lost its script"
    return match.group(1)


def test_the_script_uses_curl_with_a_token():
    text = script()
    assert text.count("curl ") == 3 and text.count("Authorization: Bearer $TOKEN") == 3


@pytest.mark.slow
def test_the_documented_curl_script_makes_a_domain_an_account_and_an_alias(live_server, settings, transactional_db):
    from django.contrib.auth import get_user_model

    from mailcore.audit.models import AuditEntry
    from mailcore.directory.models import Account, Alias, Domain

    curl = shutil.which("curl")
    assert curl, "curl is not installed"
    settings.ALLOWED_HOSTS = ["*"]
    root = get_user_model().objects.create_superuser("root", email="", password="x")
    env = {**os.environ, "HOPTHU": live_server.url, "TOKEN": make_token(root)}
    result = subprocess.run(["sh", "-c", script()], env=env, capture_output=True, text=True, timeout=60,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert Domain.objects.get(name="example.com").max_accounts == 50
    account = Account.objects.get(domain__name="example.com", localpart="an")
    assert account.quota == 2147483648 and account.display_name == "Nguyễn Văn An"
    alias = Alias.objects.get(domain__name="example.com", localpart="sales")
    assert list(alias.targets.values_list("address", flat=True)) == ["an@example.com"]
    assert set(AuditEntry.objects.values_list("action", "via", "actor_name")) == {
        ("domain.create", "api", "root"), ("account.create", "api", "root"), ("alias.create", "api", "root")}
    assert '"ascii_address":"an@example.com"' in result.stdout.replace(" ", "")
