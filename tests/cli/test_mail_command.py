"""`manage.py mail`: the directory from the shell, with the panel's validation."""
import datetime
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mailcore.directory.models import Account, Alias, Domain, DomainAlias, Forward
from tests.conftest import PASSWORD

GB = 1024**3
MB = 1024**2
PROJECT_DIR = Path(__file__).resolve().parents[2]


def mail(*args, stdin=None):
    """Run `manage.py mail ARGS` in-process; return its stdout."""
    out = io.StringIO()
    options = {"stdout": out, "stderr": io.StringIO()}
    if stdin is not None:
        options["stdin"] = io.StringIO(stdin)
    call_command("mail", *args, **options)
    return out.getvalue()


def mail_error(*args, stdin=None) -> CommandError:
    with pytest.raises(CommandError) as info:
        mail(*args, stdin=stdin)
    return info.value


def rows(output):
    return [line.split("\t") for line in output.splitlines()]


# --- Domains -------------------------------------------------------------------------------

def test_it_adds_a_domain_with_limits(db):
    out = mail("domain", "add", "example.test", "--default-quota", "500M", "--max-accounts", "5",
               "--total-quota", "10G")
    assert out == "Added domain example.test.\n"
    domain = Domain.objects.get()
    assert (domain.default_quota, domain.max_accounts, domain.total_quota) == (500 * MB, 5, 10 * GB)


def test_it_adds_an_idn_domain_and_shows_both_labels(db):
    assert mail("domain", "add", "ví-dụ.vn") == "Added domain ví-dụ.vn (xn--v-d-rma6749a.vn).\n"


def test_it_lists_domains_as_a_table_and_as_json(alice):
    Account.objects.filter(pk=alice.pk).update(used_bytes=3 * MB)
    mail("domain", "add", "ví-dụ.vn", "--default-quota", "unlimited")
    table = rows(mail("domain", "list"))
    assert table[0] == ["DOMAIN", "A-LABEL", "ACTIVE", "ACCOUNTS", "MAX ACCOUNTS", "DEFAULT QUOTA",
                        "TOTAL QUOTA", "USED", "DMARC REJECT"]
    assert table[1] == ["example.test", "example.test", "yes", "1", "unlimited", "2G", "unlimited", "3M", "yes"]
    assert table[2][:2] == ["ví-dụ.vn", "xn--v-d-rma6749a.vn"]
    assert table[2][5] == "unlimited"
    records = json.loads(mail("domain", "list", "--json"))
    assert records[0] == {"name": "example.test", "name_ascii": "example.test", "active": True,
                          "accounts": 1, "max_accounts": 0, "default_quota": 2 * GB, "total_quota": 0,
                          "used_bytes": 3 * MB, "dmarc_reject": True}


def test_it_changes_a_domains_settings(domain):
    assert mail("domain", "set", "example.test", "--dmarc-reject", "off", "--max-accounts", "3") == \
        "Changed domain example.test.\n"
    domain.refresh_from_db()
    assert (domain.dmarc_reject, domain.max_accounts, domain.active) == (False, 3, True)
    mail("domain", "set", "example.test", "--active", "no", "--dmarc-reject", "on")
    domain.refresh_from_db()
    assert (domain.dmarc_reject, domain.active) == (True, False)


def test_a_new_domain_takes_its_dmarc_choice_from_the_option_or_settings(db, settings):
    settings.HOPTHU_DMARC_REJECT = False
    mail("domain", "add", "a.example")
    mail("domain", "add", "b.example", "--dmarc-reject", "on")
    assert dict(Domain.objects.values_list("name", "dmarc_reject")) == {"a.example": False, "b.example": True}


def test_domain_set_refuses_nothing_to_change_and_bad_switches(domain):
    assert "Nothing to change" in str(mail_error("domain", "set", "example.test"))
    error = mail_error("domain", "set", "example.test", "--dmarc-reject", "maybe")
    assert error.returncode == 2 and "'maybe' is not on or off" in str(error)
    assert "nowhere.example is not hosted" in str(mail_error("domain", "set", "nowhere.example", "--active", "on"))


def test_it_refuses_a_bad_size_as_a_usage_error(db):
    error = mail_error("domain", "add", "example.test", "--default-quota", "2X")
    assert error.returncode == 2
    assert "'2X' is not a size" in str(error)
    assert not Domain.objects.exists()


def test_it_reports_a_refused_domain_with_its_field(domain):
    error = mail_error("domain", "add", "EXAMPLE.test")
    assert error.returncode == 1
    assert str(error) == "domain: The domain example.test already exists."


def test_it_removes_a_domain_only_with_its_accounts_when_asked(alice):
    assert "still has 1 accounts" in str(mail_error("domain", "remove", "example.test"))
    assert mail("domain", "remove", "example.test", "--with-accounts") == "Removed domain example.test.\n"
    assert not Domain.objects.exists()
    assert not Account.objects.exists()


def test_it_adds_lists_and_removes_domain_aliases(domain):
    assert mail("domain-alias", "add", "ví-dụ.vn", "example.test") == (
        "Added domain alias ví-dụ.vn → example.test.\n")
    assert rows(mail("domain-alias", "list"))[1] == ["ví-dụ.vn", "xn--v-d-rma6749a.vn", "example.test", "yes"]
    assert "target" in str(mail_error("domain-alias", "add", "example.vn", "example.net"))
    assert mail("domain-alias", "remove", "ví-dụ.vn") == "Removed domain alias ví-dụ.vn.\n"
    assert not DomainAlias.objects.exists()


# --- Accounts ------------------------------------------------------------------------------

def test_it_adds_an_account_with_the_password_from_stdin(domain):
    out = mail("account", "add", "Nguyễn@example.test", "--password-stdin", "--quota", "1G",
               "--name", "Nguyễn Văn A", stdin=PASSWORD + "\n")
    assert out == "Added account nguyễn@example.test (quota 1G).\n"
    account = Account.objects.get()
    assert (account.quota, account.display_name) == (1 * GB, "Nguyễn Văn A")
    assert account.user.check_password(PASSWORD)
    assert PASSWORD not in out


def test_it_strips_only_the_trailing_newline_from_the_password(domain):
    mail("account", "add", "alice@example.test", "--password-stdin", stdin="  spaced out password \n")
    assert Account.objects.get().user.check_password("  spaced out password ")


def test_it_reads_only_the_first_line_of_stdin(domain):
    mail("account", "add", "alice@example.test", "--password-stdin", stdin=PASSWORD + "\nsecond line\n")
    assert Account.objects.get().user.check_password(PASSWORD)


def test_it_refuses_an_account_without_a_password_on_stdin(domain):
    error = mail_error("account", "add", "alice@example.test", "--password-stdin", stdin="")
    assert (error.returncode, str(error)) == (1, "password: No password on standard input.")
    assert "password" in str(mail_error("account", "add", "alice@example.test", "--password-stdin",
                                        stdin="\n"))
    assert not Account.objects.exists()


def test_it_requires_password_stdin_as_a_usage_error(domain):
    assert mail_error("account", "add", "alice@example.test").returncode == 2


def test_it_refuses_an_account_at_an_unhosted_domain_in_the_services_words(domain):
    error = mail_error("account", "add", "alice@foo.test", "--password-stdin", stdin=PASSWORD)
    assert str(error) == "address: The domain foo.test is not hosted here."


def test_it_puts_all_password_problems_on_one_line(domain):
    error = mail_error("account", "add", "alice@example.test", "--password-stdin", stdin="12345\n")
    assert str(error).startswith("password: This password is too short.")
    assert "numeric" in str(error)
    assert "\n" not in str(error)


def test_it_lists_accounts_with_quota_usage_active_flag_and_last_login(alice, charlie):
    Account.objects.filter(pk=alice.pk).update(used_bytes=5 * MB, active=False)
    table = rows(mail("account", "list"))
    assert table[0] == ["ADDRESS", "NAME", "QUOTA", "USED", "ACTIVE", "LAST LOGIN"]
    assert table[1:] == [["charlie@example.org", "", "2G", "0B", "yes", "never"],
                         ["alice@example.test", "", "2G", "5M", "no", "never"]]
    records = json.loads(mail("account", "list", "--domain", "EXAMPLE.test", "--json"))
    assert records == [{"address": "alice@example.test", "address_ascii": "alice@example.test", "name": "",
                        "quota": 2 * GB, "used_bytes": 5 * MB, "messages": 0, "active": False,
                        "last_login": None}]


def test_it_shows_the_last_login(alice):
    alice.user.last_login = datetime.datetime(2025, 3, 1, 8, 15, 2, 123456, tzinfo=datetime.UTC)
    alice.user.save()
    assert rows(mail("account", "list"))[1][5] == "2025-03-01T08:15:02+00:00"
    assert json.loads(mail("account", "list", "--json"))[0]["last_login"] == "2025-03-01T08:15:02.123456+00:00"


def test_it_refuses_to_list_accounts_of_an_unhosted_domain(domain):
    assert str(mail_error("account", "list", "--domain", "foo.test")) == (
        "domain: The domain foo.test is not hosted here.")


def test_it_changes_a_password(alice):
    assert mail("account", "passwd", "alice@example.test", "--password-stdin",
                stdin="another fine password\n") == "Changed the password of alice@example.test.\n"
    alice.user.refresh_from_db()
    assert alice.user.check_password("another fine password")


def test_it_disables_and_enables_an_account(alice):
    assert mail("account", "disable", "alice@example.test") == "Disabled account alice@example.test.\n"
    assert not Account.objects.get().active
    assert mail("account", "enable", "alice@example.test") == "Enabled account alice@example.test.\n"
    assert Account.objects.get().active


def test_it_sets_a_quota_in_any_unit_or_unlimited(alice):
    assert mail("account", "quota", "alice@example.test", "500M") == (
        "Set the quota of alice@example.test to 500M.\n")
    assert Account.objects.get().quota == 500 * MB
    mail("account", "quota", "alice@example.test", "unlimited")
    assert Account.objects.get().quota == 0
    mail("account", "quota", "alice@example.test", "1048576")
    assert Account.objects.get().quota == 1 * MB


def test_it_refuses_a_quota_below_the_usage(alice):
    Account.objects.filter(pk=alice.pk).update(used_bytes=600 * MB)
    error = mail_error("account", "quota", "alice@example.test", "500M")
    assert (error.returncode, str(error)) == (
        1, "quota: The quota 500M is below what the account already uses (600M).")


def test_it_removes_an_account(alice):
    assert mail("account", "remove", "alice@example.test") == (
        "Removed account alice@example.test and its mail.\n")
    assert not Account.objects.exists()
    assert "address" in str(mail_error("account", "remove", "alice@example.test"))


# --- Aliases and forwards ------------------------------------------------------------------

def test_it_adds_an_alias_with_several_targets(alice, bob):
    out = mail("alias", "add", "team@example.test", "alice@example.test", "bob@example.test", "x@ví-dụ.vn")
    assert out == "Added alias team@example.test → alice@example.test, bob@example.test, x@ví-dụ.vn.\n"
    assert rows(mail("alias", "list"))[1] == [
        "team@example.test", "alice@example.test, bob@example.test, x@ví-dụ.vn", "yes"]
    records = json.loads(mail("alias", "list", "--json", "--domain", "example.test"))
    assert records[0]["targets"] == ["alice@example.test", "bob@example.test", "x@xn--v-d-rma6749a.vn"]


def test_it_adds_and_removes_a_catch_all(alice):
    assert mail("alias", "add", "@example.test", "alice@example.test") == (
        "Added alias @example.test → alice@example.test.\n")
    assert Alias.objects.get().localpart == ""
    assert mail("alias", "remove", "@example.test") == "Removed alias @example.test.\n"
    assert not Alias.objects.exists()


def test_it_replaces_alias_targets(alice, bob):
    mail("alias", "add", "team@example.test", "alice@example.test")
    assert mail("alias", "set", "team@example.test", "bob@example.test") == (
        "Alias team@example.test now goes to bob@example.test.\n")


def test_it_disables_and_enables_an_alias_and_the_catch_all(alice):
    mail("alias", "add", "team@example.test", "alice@example.test")
    mail("alias", "add", "@example.test", "alice@example.test")
    assert mail("alias", "disable", "team@example.test") == "Disabled alias team@example.test.\n"
    assert mail("alias", "disable", "@example.test") == "Disabled alias @example.test.\n"
    assert not Alias.objects.filter(active=True).exists()
    assert [row[2] for row in rows(mail("alias", "list"))[1:]] == ["no", "no"]
    assert mail("alias", "enable", "team@example.test") == "Enabled alias team@example.test.\n"
    assert Alias.objects.get(localpart="team").active and not Alias.objects.get(localpart="").active
    assert str(mail_error("alias", "disable", "nobody@example.test")) == (
        "source: There is no alias nobody@example.test.")


def test_it_refuses_an_alias_loop_and_an_account_address(alice):
    mail("alias", "add", "a@example.test", "alice@example.test")
    mail("alias", "add", "b@example.test", "a@example.test")
    error = mail_error("alias", "set", "a@example.test", "b@example.test")
    assert error.returncode == 1
    assert str(error).startswith("targets: These targets lead back to a@example.test")
    assert str(mail_error("alias", "add", "alice@example.test", "x@example.net")) == (
        "source: alice@example.test is already an account.")


def test_it_sets_lists_and_clears_a_forward(alice, bob):
    assert mail("forward", "set", "alice@example.test", "bob@example.test", "alice@example.net") == (
        "Mail for alice@example.test now goes to bob@example.test, alice@example.net, keeping no copy.\n")
    assert not Forward.objects.get().keep_copy
    mail("forward", "set", "alice@example.test", "alice@example.net", "--keep-copy")
    assert Forward.objects.get().keep_copy
    assert rows(mail("forward", "list"))[1:] == [["alice@example.test", "alice@example.net", "yes", "yes"]]
    assert mail("forward", "clear", "alice@example.test") == (
        "Mail for alice@example.test is no longer forwarded.\n")
    assert not Forward.objects.exists()


def test_it_refuses_a_forward_to_an_unknown_local_address(alice):
    assert str(mail_error("forward", "set", "alice@example.test", "nobody@example.test")) == (
        "targets: nobody@example.test is not an account or alias here.")


# --- Usage ---------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [(), ("mailbox",), ("account",), ("account", "frob"),
                                  ("account", "quota", "alice@example.test"),
                                  ("domain", "list", "extra")])
def test_it_reports_usage_errors_with_exit_status_2(db, args):
    assert mail_error(*args).returncode == 2


@pytest.mark.parametrize("args", [("--help",), ("account", "--help"), ("account", "add", "--help")])
def test_it_shows_help(db, capsys, args):
    with pytest.raises(SystemExit) as info:
        mail(*args)
    assert info.value.code == 0
    assert "usage: " in capsys.readouterr().out


# --- From a shell --------------------------------------------------------------------------

@pytest.mark.slow
def test_it_exits_with_a_status_and_one_stderr_line_from_a_shell(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(HOPTHU_VAR_DIR=str(tmp_path / "var"), DJANGO_SETTINGS_MODULE="config.settings",
               LANGUAGE_CODE="en")

    def manage(*args, stdin=""):
        return subprocess.run([sys.executable, "manage.py", *args], cwd=PROJECT_DIR, env=env, input=stdin,
                              capture_output=True, text=True, timeout=120, check=False)

    assert manage("migrate", "-v0").returncode == 0

    done = manage("mail", "domain", "add", "example.test")
    assert (done.returncode, done.stdout, done.stderr) == (0, "Added domain example.test.\n", "")

    done = manage("mail", "account", "add", "alice@example.test", "--password-stdin", stdin=PASSWORD + "\n")
    assert (done.returncode, done.stderr) == (0, "")
    assert PASSWORD not in done.stdout

    refused = manage("mail", "account", "add", "alice@foo.test", "--password-stdin", stdin=PASSWORD + "\n")
    assert (refused.returncode, refused.stdout) == (1, "")
    assert refused.stderr == "error: address: The domain foo.test is not hosted here.\n"

    for args in (("mail", "mailbox", "list"), ("mail", "account", "quota", "alice@example.test", "2X"),
                 ("mail", "account", "add", "bob@example.test")):
        usage = manage(*args)
        assert usage.returncode == 2, args
        assert usage.stderr.startswith("error: "), args
        assert usage.stderr.count("\n") == 1, args

    listed = manage("mail", "account", "list", "--json")
    assert listed.returncode == 0
    assert json.loads(listed.stdout)[0]["address"] == "alice@example.test"

    assert manage("mail", "account", "add", "--help").returncode == 0
