"""setup_demo: the demo data once, its passwords printed once."""
import re

from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from mailcore.directory.models import Account, Domain


def test_setup_demo_creates_once_and_prints_passwords_once(db, capsys):
    call_command("setup_demo")
    out = capsys.readouterr().out
    passwords = dict(re.findall(r"(\S+)  password: (\S+)", out))
    assert set(passwords) == {"admin", "demo@example.test"}
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert authenticate(username="admin", password=passwords["admin"]) == admin
    assert Domain.objects.filter(name="example.test").exists()
    demo = Account.objects.get(domain__name="example.test", localpart="demo")
    assert authenticate(username="demo@example.test", password=passwords["demo@example.test"]) == demo.user
    assert len(passwords["admin"]) >= 20 and passwords["admin"] != passwords["demo@example.test"]

    call_command("setup_demo")
    again = capsys.readouterr().out
    assert "exists already" in again
    assert "password:" not in again
    for password in passwords.values():
        assert password not in again
    assert get_user_model().objects.filter(username="admin").count() == 1


def test_setup_demo_completes_partial_data(db, capsys):
    from mailcore.directory.services import create_domain

    create_domain("example.test")
    call_command("setup_demo")
    out = capsys.readouterr().out
    assert "admin  password:" in out and "demo@example.test  password:" in out
    assert "Domain: example.test" not in out
