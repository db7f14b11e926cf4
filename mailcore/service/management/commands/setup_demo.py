"""Create the demo data `make run` needs: a superuser, a domain and one mail account.

Passwords are random and printed once, when created; a later run creates only what is
missing and never prints a password again (reset one with `manage.py changepassword`).
"""
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from mailcore.directory.models import Account, Domain
from mailcore.directory.services import create_account, create_domain

ADMIN_USERNAME = "admin"
DEMO_DOMAIN = "example.test"
DEMO_LOCALPART = "demo"


def new_password() -> str:
    return secrets.token_urlsafe(18)  # 24 characters, 144 bits


class Command(BaseCommand):
    help = "Create the superuser admin, the domain example.test and the account demo@example.test."

    @transaction.atomic
    def handle(self, *args, **options):
        created = []
        user_model = get_user_model()
        if not user_model.objects.filter(username=ADMIN_USERNAME).exists():
            password = new_password()
            user_model.objects.create_superuser(ADMIN_USERNAME, email="", password=password)
            created.append(("Administrator (control panel /panel/)", ADMIN_USERNAME, password))
        if not Domain.objects.filter(name=DEMO_DOMAIN).exists():
            create_domain(DEMO_DOMAIN)
            created.append(("Domain", DEMO_DOMAIN, None))
        if not Account.objects.filter(domain__name=DEMO_DOMAIN, localpart=DEMO_LOCALPART).exists():
            password = new_password()
            address = f"{DEMO_LOCALPART}@{DEMO_DOMAIN}"
            create_account(address, password, display_name="Demo User")
            created.append(("Mail account (webmail, IMAP, POP3, SMTP)", address, password))

        if not created:
            self.stdout.write(
                "The demo data exists already (admin, example.test, demo@example.test); its "
                "passwords were shown when it was created.\nSet a new one with "
                f"`manage.py changepassword {ADMIN_USERNAME}` or "
                f"`manage.py changepassword {DEMO_LOCALPART}@{DEMO_DOMAIN}`."
            )
            return
        self.stdout.write("Created demo data. These passwords are shown only this once:")
        for what, name, password in created:
            line = f"  {what}: {name}"
            if password:
                line += f"  password: {password}"
            self.stdout.write(line)
