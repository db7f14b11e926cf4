"""`manage.py mail ldap sync [--dry-run]` and `manage.py mail ldap test` (mailcore/ldap/cli.py)."""
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from mailcore.directory.models import Account
from mailcore.directory.services import create_domain
from mailcore.ldap.cli import UNAVAILABLE
from mailcore.ldap.tasks import sync_directory
from tests.support.ldap import (  # noqa: F401
    LDAP_DB,
    ldap_database,
    ldap_settings,
    private_ldap_settings,
    private_slapd,
    slapd_service,
    with_changes,
)
from tests.test_translations import compiled_messages  # noqa: F401

pytestmark = [LDAP_DB, pytest.mark.slow]
PROJECT_DIR = Path(__file__).resolve().parents[3]


def ldap_command(*args) -> str:
    out = io.StringIO()
    call_command("mail", "ldap", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_sync_prints_each_change_and_a_summary(ldap_settings):  # noqa: F811
    create_domain("example.test")
    lines = ldap_command("sync").splitlines()
    assert "created\thuong@example.test\tNguyễn Thị Hương" in lines
    assert "alias added\tgiamdoc@example.test\tan.tran@example.test" in lines
    assert "role granted\tan.tran@example.test\tsuperadmin" in lines
    assert lines[-1] == "6 people in LDAP, 8 changes, 3 skipped."


def test_sync_dry_run_changes_nothing(ldap_settings):  # noqa: F811
    create_domain("example.test")
    output = ldap_command("sync", "--dry-run")
    assert "created\tan.tran@example.test\tTrần Văn An" in output
    assert output.rstrip().endswith("Dry run: nothing was changed.")
    assert not Account.objects.exists()


@pytest.mark.usefixtures("compiled_messages")
def test_the_report_speaks_vietnamese(ldap_settings):  # noqa: F811
    create_domain("example.test")
    with translation.override("vi"):
        lines = ldap_command("sync", "--dry-run").splitlines()
    assert "đã thêm bí danh\tgiamdoc@example.test\tan.tran@example.test" in lines
    assert lines[-1] == "6 người trong LDAP, 8 thay đổi, 3 bỏ qua. Chạy thử: không có gì bị thay đổi."


def test_the_test_prints_what_it_found(ldap_settings):  # noqa: F811
    output = ldap_command("test")
    assert "Connected and bound." in output
    assert "People under ou=people,dc=example,dc=test matching (objectClass=inetOrgPerson): 6" in output
    assert "huong@example.test\tNguyễn Thị Hương\tenabled\taliases: huong.nguyen@example.test" in output
    assert "cuong@example.test\tPhạm Quốc Cường\tdisabled" in output
    assert "Superadmins: cn=mail-superadmins,ou=groups,dc=example,dc=test: 1 members" in output
    assert "Admins of example.test: cn=mail-admins-example.test,ou=groups,dc=example,dc=test: 2 members" in output
    assert output.rstrip().endswith("LDAP test passed.")


def test_an_outage_is_exit_status_3_with_the_reason(private_ldap_settings, private_slapd):  # noqa: F811
    create_domain("example.test")
    ldap_command("sync")
    private_slapd.stop()
    for args in (("sync",), ("test",)):
        with pytest.raises(CommandError, match="cannot reach the LDAP server") as info:
            ldap_command(*args)
        assert info.value.returncode == UNAVAILABLE
    assert Account.objects.filter(active=True).count() == 3


def test_without_ldap_settings_it_says_so(settings, ldap_database):  # noqa: F811
    settings.HOPTHU_LDAP = None
    with pytest.raises(CommandError, match="LDAP is not configured: set HOPTHU_LDAP_URL") as info:
        ldap_command("test")
    assert info.value.returncode == UNAVAILABLE


def test_the_beat_task_syncs_and_survives_an_outage(private_ldap_settings, private_slapd, settings):  # noqa: F811
    create_domain("example.test")
    assert sync_directory() == {"configured": True, "people": 6, "changes": 8}
    private_slapd.stop()
    result = sync_directory()
    assert "cannot reach" in result["error"]
    assert Account.objects.filter(active=True).count() == 3
    settings.HOPTHU_LDAP = None
    assert sync_directory() == {"configured": False}


@pytest.mark.django_db(transaction=True)
def test_from_a_shell_the_environment_is_enough(tmp_path, slapd_service):  # noqa: F811
    """The issue's "done when": HOPTHU_LDAP_* pointed at slapd, `mail ldap sync` makes the accounts."""
    password_file = tmp_path / "ldap-password"
    password_file.write_text(slapd_service.bind_password + "\n")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL" and not k.startswith("HOPTHU_LDAP_")}
    env.update(
        HOPTHU_VAR_DIR=str(tmp_path / "var"), DJANGO_SETTINGS_MODULE="config.settings", LANGUAGE_CODE="en",
        HOPTHU_LDAP_URL=slapd_service.url, HOPTHU_LDAP_BIND_DN=slapd_service.bind_dn,
        HOPTHU_LDAP_BIND_PASSWORD_FILE=str(password_file),
        HOPTHU_LDAP_USER_BASE=f"ou=people,{slapd_service.base}",
        HOPTHU_LDAP_GROUP_BASE=f"ou=groups,{slapd_service.base}",
        HOPTHU_LDAP_QUOTA_ATTR="mailQuota", HOPTHU_LDAP_ENABLED_ATTR="mailEnabled",
        HOPTHU_LDAP_SUPERADMIN_GROUP=f"cn=mail-superadmins,ou=groups,{slapd_service.base}",
        HOPTHU_LDAP_DOMAIN_ADMIN_GROUPS=f"example.test=cn=mail-admins-example.test,ou=groups,{slapd_service.base}",
    )

    def manage(*args):
        return subprocess.run([sys.executable, "manage.py", *args], cwd=PROJECT_DIR, env=env, capture_output=True,
                              text=True, timeout=300, check=False)

    assert manage("migrate", "-v0").returncode == 0
    assert manage("mail", "domain", "add", "example.test").returncode == 0
    tested = manage("mail", "ldap", "test")
    assert tested.returncode == 0, tested.stderr
    assert "LDAP test passed." in tested.stdout
    synced = manage("mail", "ldap", "sync")
    assert synced.returncode == 0, synced.stderr
    assert synced.stdout.splitlines()[-1] == "6 people in LDAP, 8 changes, 3 skipped."
    listed = manage("mail", "account", "list", "--json")
    assert '"huong@example.test"' in listed.stdout and "Nguyễn Thị Hương" in listed.stdout
    env["HOPTHU_LDAP_URL"] = "ldap://127.0.0.1:9"  # discard: nothing listens
    down = manage("mail", "ldap", "sync")
    assert down.returncode == UNAVAILABLE
    assert down.stderr.startswith("error: LDAP sync stopped, nothing changed: cannot reach the LDAP server")
