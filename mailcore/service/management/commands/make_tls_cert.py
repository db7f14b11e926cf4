"""Create the self-signed TLS certificate under var/tls unless one is configured already."""
from django.conf import settings
from django.core.management.base import BaseCommand

from mailcore.service.tls import default_names, ensure_certificate


class Command(BaseCommand):
    help = ("Create a self-signed certificate at HOPTHU_TLS_CERT / HOPTHU_TLS_KEY if either is "
            "missing (names: HOPTHU_HOSTNAME, localhost, 127.0.0.1).")

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Replace an existing certificate and key.")
        parser.add_argument("--name", action="append", dest="names", metavar="NAME",
                            help="A DNS name or IP address for the certificate (repeatable); "
                                 "the first is the subject CN.")

    def handle(self, *args, force=False, names=None, **options):
        names = names or default_names()
        created = ensure_certificate(names=names, force=force)
        cert, key = settings.HOPTHU_TLS_CERT, settings.HOPTHU_TLS_KEY
        if created:
            self.stdout.write(f"Created a self-signed certificate for {', '.join(names)}:\n"
                              f"  certificate {cert}\n  key         {key} (mode 0600)")
        else:
            self.stdout.write(f"TLS certificate {cert} and key {key} exist; nothing to do.")
