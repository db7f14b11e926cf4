"""`manage.py mail`: the mail directory from the shell, for scripts and hosting automation.

Every change goes through mailcore.directory.services, so the command refuses exactly what
the panel refuses; it only reads the models to list them. Errors are one line on stderr,
`error: FIELD: message`, with exit status 1 when the directory refuses the input (a
ValidationError) and 2 for bad usage, as argparse does. Passwords are read from stdin and
never printed. docs/cli.md describes every subcommand.
"""
import argparse
import getpass
import json
import os
import sys
from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from mailcore.directory import services
from mailcore.directory.addresses import domain_to_unicode, normalize_domain, parse_address
from mailcore.directory.lookup import hosted_domain
from mailcore.directory.models import Account, Alias, Domain, DomainAlias, Forward
from mailcore.ldap.cli import add_ldap_arguments
from mailcore.reports.cli import add_tlsrpt_arguments
from mailcore.sizes import format_size, parse_size

INPUT_ERROR = 1  # the directory refused the input (a ValidationError)
USAGE_ERROR = 2  # as argparse: unknown subcommand, missing or malformed argument


def size_argument(text: str) -> int:
    """Parse 500M, 2G, a number of bytes, or `unlimited` (0) for argparse."""
    if text.strip().lower() == "unlimited":
        return 0
    try:
        return parse_size(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("%(value)s is not a size; use e.g. 500M, 2G, a number of bytes, or unlimited.")
            % {"value": repr(text)}
        ) from None


def describe(error: ValidationError) -> str:
    """Return a ValidationError as one line: `field: message` for each field at fault."""
    if hasattr(error, "error_dict"):
        parts = []
        for field, messages in error.message_dict.items():
            text = " ".join(messages)
            parts.append(text if field == NON_FIELD_ERRORS else f"{field}: {text}")
        line = "; ".join(parts)
    else:
        line = " ".join(error.messages)
    return " ".join(line.split())  # one line whatever a message holds


class MailParser(CommandParser):
    """Report usage errors as one line on stderr (exit 2) instead of usage + message."""

    def error(self, message):
        if self.called_from_command_line:
            self.exit(USAGE_ERROR, _("error: %(message)s (see: %(prog)s --help)\n")
                      % {"message": message, "prog": self.prog})
        raise CommandError(message, returncode=USAGE_ERROR)


def _show_size(nbytes: int) -> str:
    return format_size(nbytes) if nbytes else _("unlimited")


def on_off(text: str) -> bool:
    """Parse on/off (also yes/no, true/false, 1/0) for argparse."""
    value = text.strip().lower()
    if value in ("on", "yes", "true", "1"):
        return True
    if value in ("off", "no", "false", "0"):
        return False
    raise argparse.ArgumentTypeError(_("%(value)s is not on or off.") % {"value": repr(text)})


def _show_count(count: int) -> str:
    return str(count) if count else _("unlimited")


def _show_bool(value: bool) -> str:
    return _("yes") if value else _("no")


def _show_time(value) -> str:
    return value.isoformat(timespec="seconds") if value else _("never")


def _show_address(text: str) -> str:
    """Show a stored address with its domain as U-label; `@domain` for a catch-all."""
    localpart, _sep, domain = text.rpartition("@")
    return f"{localpart}@{domain_to_unicode(domain)}"


def _show_targets(targets: Iterable[str]) -> str:
    return ", ".join(_show_address(t) for t in targets)


def _display(text: str) -> str:
    """The display form of an address the services just accepted."""
    return parse_address(text, allow_catchall=True).display


def _iso(value):
    """JSON for what json cannot write itself: the datetimes in records."""
    return value.isoformat()


class Command(BaseCommand):
    # A scripting tool: quick and quiet (no check warnings on stderr); migrate and
    # `manage.py check` still run the system checks.
    requires_system_checks = []
    stealth_options = ("stdin",)

    @property
    def help(self):
        return _("Manage hosted domains, domain aliases, accounts, aliases and forwards.")

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # Django builds a plain CommandParser; keep its arguments, report errors our way.
        # The subcommand parsers inherit the class through CommandParser.add_subparsers.
        parser.__class__ = MailParser
        return parser

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            # From a shell, one line `error: ...`; call_command callers get the exception.
            if not self._called_from_command_line or options.get("traceback"):
                raise
            self.stderr.write(_("error: %(message)s") % {"message": exc})
            sys.exit(exc.returncode)
        except BrokenPipeError:
            # `mail account list | head`: the reader left. Quietly, as a shell tool should;
            # stdout goes to /dev/null so the interpreter's final flush cannot fail again.
            if not self._called_from_command_line:
                raise
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)

    def handle(self, *args, handler, **options):
        try:
            handler(options)
        except ValidationError as exc:
            raise CommandError(describe(exc), returncode=INPUT_ERROR) from None

    # --- Arguments ------------------------------------------------------------------------

    def add_arguments(self, parser):
        objects = parser.add_subparsers(dest="object", metavar="OBJECT", required=True,
                                        title=_("objects"), parser_class=MailParser)
        self._add_domain_arguments(objects)
        self._add_domain_alias_arguments(objects)
        self._add_account_arguments(objects)
        self._add_alias_arguments(objects)
        self._add_forward_arguments(objects)
        add_ldap_arguments(self, objects)  # mailcore/ldap/cli.py
        add_tlsrpt_arguments(self, objects)  # mailcore/reports/cli.py
        from mailcore.migration import cli as migration_cli

        migration_cli.add_arguments(self, objects)

    @staticmethod
    def _verbs(objects, name, help_text):
        parser = objects.add_parser(name, help=help_text, description=help_text)
        return parser.add_subparsers(dest="verb", metavar="ACTION", required=True, title=_("actions"),
                                     parser_class=MailParser)

    @staticmethod
    def _verb(verbs, name, handler, help_text):
        parser = verbs.add_parser(name, help=help_text, description=help_text)
        parser.set_defaults(handler=handler)
        return parser

    @staticmethod
    def _add_json(parser):
        parser.add_argument("--json", action="store_true",
                            help=_("Print JSON (sizes in bytes) instead of a tab-separated table."))

    def _add_domain_arguments(self, objects):
        verbs = self._verbs(objects, "domain", _("Hosted domains."))
        add = self._verb(verbs, "add", self.domain_add, _("Host a new domain."))
        add.add_argument("name", metavar="NAME", help=_("Domain name, IDN or A-label."))
        add.add_argument("--default-quota", type=size_argument, metavar="SIZE",
                         help=_("Quota of new accounts (500M, 2G, unlimited); default from settings."))
        add.add_argument("--max-accounts", type=int, default=0, metavar="N",
                         help=_("Most accounts the domain may have; 0 (default) means unlimited."))
        add.add_argument("--total-quota", type=size_argument, default=0, metavar="SIZE",
                         help=_("Quota shared by all accounts; unlimited by default."))
        add.add_argument("--dmarc-reject", type=on_off, metavar="on|off",
                         help=_("Refuse mail failing DMARC when its domain publishes p=reject; "
                                "default from settings."))
        change = self._verb(verbs, "set", self.domain_set, _("Change a hosted domain's settings."))
        change.add_argument("name", metavar="NAME")
        change.add_argument("--default-quota", type=size_argument, metavar="SIZE")
        change.add_argument("--max-accounts", type=int, metavar="N")
        change.add_argument("--total-quota", type=size_argument, metavar="SIZE")
        change.add_argument("--active", type=on_off, metavar="on|off", help=_("Accept mail and logins."))
        change.add_argument("--dmarc-reject", type=on_off, metavar="on|off",
                            help=_("Refuse mail failing DMARC when its domain publishes p=reject."))
        self._add_json(self._verb(verbs, "list", self.domain_list, _("List hosted domains.")))
        remove = self._verb(verbs, "remove", self.domain_remove, _("Stop hosting a domain."))
        remove.add_argument("name", metavar="NAME")
        remove.add_argument("--with-accounts", action="store_true",
                            help=_("Also delete its accounts and all their mail."))

    def _add_domain_alias_arguments(self, objects):
        verbs = self._verbs(objects, "domain-alias",
                            _("Domains whose mail goes to the same addresses at another domain."))
        add = self._verb(verbs, "add", self.domain_alias_add, _("Add a domain alias."))
        add.add_argument("name", metavar="NAME", help=_("The alias domain."))
        add.add_argument("target", metavar="TARGET", help=_("A hosted domain."))
        self._add_json(self._verb(verbs, "list", self.domain_alias_list, _("List domain aliases.")))
        remove = self._verb(verbs, "remove", self.domain_alias_remove, _("Remove a domain alias."))
        remove.add_argument("name", metavar="NAME")

    def _add_account_arguments(self, objects):
        verbs = self._verbs(objects, "account", _("Mail accounts (mailboxes with a login)."))
        password_help = _("Read the password from the first line of standard input.")
        add = self._verb(verbs, "add", self.account_add, _("Create an account with its folders."))
        add.add_argument("address", metavar="ADDRESS")
        add.add_argument("--password-stdin", action="store_true", required=True, help=password_help)
        add.add_argument("--quota", type=size_argument, metavar="SIZE",
                         help=_("500M, 2G, bytes or unlimited; default: the domain's default quota."))
        add.add_argument("--name", dest="display_name", default="", metavar="DISPLAY_NAME",
                         help=_("Display name, e.g. \"Nguyễn Văn A\"."))
        listing = self._verb(verbs, "list", self.account_list, _("List accounts."))
        listing.add_argument("--domain", metavar="DOMAIN", help=_("Only accounts of this domain."))
        self._add_json(listing)
        passwd = self._verb(verbs, "passwd", self.account_passwd, _("Change an account's password."))
        passwd.add_argument("address", metavar="ADDRESS")
        passwd.add_argument("--password-stdin", action="store_true", required=True, help=password_help)
        for name, handler, help_text in (
            ("disable", self.account_disable, _("Refuse logins and mail for an account, keeping its mail.")),
            ("enable", self.account_enable, _("Enable a disabled account.")),
            ("remove", self.account_remove, _("Delete an account and all its mail.")),
        ):
            self._verb(verbs, name, handler, help_text).add_argument("address", metavar="ADDRESS")
        quota = self._verb(verbs, "quota", self.account_quota, _("Change an account's quota."))
        quota.add_argument("address", metavar="ADDRESS")
        quota.add_argument("size", type=size_argument, metavar="SIZE",
                           help=_("500M, 2G, a number of bytes, or 0/unlimited."))

    def _add_alias_arguments(self, objects):
        verbs = self._verbs(objects, "alias", _("Addresses that pass mail on to other addresses."))
        source_help = _("The alias address, or @domain for the domain's catch-all.")
        targets_help = _("Accounts or aliases here, or addresses elsewhere.")
        for name, handler, help_text in (
            ("add", self.alias_add, _("Create an alias.")),
            ("set", self.alias_set, _("Replace the targets of an alias.")),
        ):
            parser = self._verb(verbs, name, handler, help_text)
            parser.add_argument("source", metavar="SOURCE", help=source_help)
            parser.add_argument("targets", metavar="TARGET", nargs="+", help=targets_help)
        listing = self._verb(verbs, "list", self.alias_list, _("List aliases."))
        listing.add_argument("--domain", metavar="DOMAIN", help=_("Only aliases of this domain."))
        self._add_json(listing)
        for name, handler, help_text in (
            ("disable", self.alias_disable, _("Stop an alias taking mail, keeping its targets.")),
            ("enable", self.alias_enable, _("Enable a disabled alias.")),
            ("remove", self.alias_remove, _("Remove an alias.")),
        ):
            self._verb(verbs, name, handler, help_text).add_argument("source", metavar="SOURCE", help=source_help)

    def _add_forward_arguments(self, objects):
        verbs = self._verbs(objects, "forward", _("Forwarding of an account's mail."))
        forward = self._verb(verbs, "set", self.forward_set,
                             _("Forward an account's mail, replacing any earlier forwarding."))
        forward.add_argument("address", metavar="ADDRESS")
        forward.add_argument("targets", metavar="TARGET", nargs="+")
        forward.add_argument("--keep-copy", action="store_true",
                             help=_("Also keep each message in the account's INBOX."))
        clear = self._verb(verbs, "clear", self.forward_clear, _("Stop forwarding an account's mail."))
        clear.add_argument("address", metavar="ADDRESS")
        listing = self._verb(verbs, "list", self.forward_list, _("List forwarding."))
        listing.add_argument("--domain", metavar="DOMAIN", help=_("Only accounts of this domain."))
        self._add_json(listing)

    # --- Output ---------------------------------------------------------------------------

    def _say(self, message):
        self.stdout.write(message)

    def _table(self, options, records, columns):
        """Print records as JSON, or as a tab-separated table with a header line.

        columns: (key, header, show) where show turns the raw value into table text.
        """
        if options["json"]:
            self.stdout.write(json.dumps(records, ensure_ascii=False, indent=2, default=_iso))
            return
        self.stdout.write("\t".join(header for _key, header, _show in columns))
        for record in records:
            cells = (" ".join(str(show(record[key])).split()) for key, _header, show in columns)
            self.stdout.write("\t".join(cells))

    @staticmethod
    def _domain_filter(options):
        """Return the hosted Domain named by --domain (following a domain alias), or None."""
        if not options.get("domain"):
            return None
        domain = hosted_domain(normalize_domain(options["domain"]))
        if domain is None:
            raise ValidationError({"domain": _("The domain %(name)s is not hosted here.")
                                   % {"name": options["domain"]}})
        return domain

    def _read_password(self, options) -> str:
        """Read one line from stdin; only the line ending is removed."""
        stdin = options.get("stdin") or sys.stdin
        if stdin.isatty():
            return getpass.getpass(_("Password: "))
        line = stdin.readline()
        if not line:
            raise ValidationError({"password": _("No password on standard input.")})
        return line.removesuffix("\n").removesuffix("\r")

    # --- Domains --------------------------------------------------------------------------

    def domain_add(self, options):
        domain = services.create_domain(
            options["name"], default_quota=options["default_quota"],
            max_accounts=options["max_accounts"], total_quota=options["total_quota"],
            dmarc_reject=options["dmarc_reject"],
        )
        if domain.unicode_name != domain.name:
            self._say(_("Added domain %(name)s (%(alabel)s).") % {"name": domain.unicode_name,
                                                                  "alabel": domain.name})
        else:
            self._say(_("Added domain %(name)s.") % {"name": domain.name})

    def domain_set(self, options):
        fields = ("default_quota", "max_accounts", "total_quota", "active", "dmarc_reject")
        changes = {field: options[field] for field in fields if options.get(field) is not None}
        if not changes:
            raise ValidationError({"domain": _("Nothing to change: give at least one option.")})
        domain = services.update_domain(options["name"], **changes)
        self._say(_("Changed domain %(name)s.") % {"name": domain.unicode_name})

    def domain_list(self, options):
        domains = Domain.objects.annotate(account_count=Count("accounts"), used=Sum("accounts__used_bytes"))
        records = [
            {"name": d.unicode_name, "name_ascii": d.name, "active": d.active,
             "accounts": d.account_count, "max_accounts": d.max_accounts,
             "default_quota": d.default_quota, "total_quota": d.total_quota, "used_bytes": d.used or 0,
             "dmarc_reject": d.dmarc_reject}
            for d in domains
        ]
        self._table(options, records, [
            ("name", _("DOMAIN"), str), ("name_ascii", _("A-LABEL"), str),
            ("active", _("ACTIVE"), _show_bool), ("accounts", _("ACCOUNTS"), str),
            ("max_accounts", _("MAX ACCOUNTS"), _show_count),
            ("default_quota", _("DEFAULT QUOTA"), _show_size),
            ("total_quota", _("TOTAL QUOTA"), _show_size), ("used_bytes", _("USED"), format_size),
            ("dmarc_reject", _("DMARC REJECT"), _show_bool),
        ])

    def domain_remove(self, options):
        services.remove_domain(options["name"], remove_accounts=options["with_accounts"])
        name = domain_to_unicode(normalize_domain(options["name"]))
        self._say(_("Removed domain %(name)s.") % {"name": name})

    def domain_alias_add(self, options):
        alias = services.create_domain_alias(options["name"], options["target"])
        self._say(_("Added domain alias %(name)s → %(target)s.")
                  % {"name": domain_to_unicode(alias.name), "target": alias.target.unicode_name})

    def domain_alias_list(self, options):
        records = [
            {"name": domain_to_unicode(a.name), "name_ascii": a.name, "target": a.target.unicode_name,
             "target_ascii": a.target.name, "active": a.active}
            for a in DomainAlias.objects.select_related("target")
        ]
        self._table(options, records, [
            ("name", _("DOMAIN ALIAS"), str), ("name_ascii", _("A-LABEL"), str),
            ("target", _("TARGET"), str), ("active", _("ACTIVE"), _show_bool),
        ])

    def domain_alias_remove(self, options):
        services.remove_domain_alias(options["name"])
        self._say(_("Removed domain alias %(name)s.")
                  % {"name": domain_to_unicode(normalize_domain(options["name"]))})

    # --- Accounts -------------------------------------------------------------------------

    def account_add(self, options):
        password = self._read_password(options)
        account = services.create_account(options["address"], password, quota=options["quota"],
                                          display_name=options["display_name"])
        self._say(_("Added account %(address)s (quota %(quota)s).")
                  % {"address": account.display_address, "quota": _show_size(account.quota)})

    def account_list(self, options):
        accounts = Account.objects.select_related("domain", "user")
        domain = self._domain_filter(options)
        if domain is not None:
            accounts = accounts.filter(domain=domain)
        records = [
            {"address": a.display_address, "address_ascii": a.address, "name": a.display_name,
             "quota": a.quota, "used_bytes": a.used_bytes, "messages": a.message_count,
             "active": a.active, "last_login": a.user.last_login}
            for a in accounts
        ]
        self._table(options, records, [
            ("address", _("ADDRESS"), str), ("name", _("NAME"), str),
            ("quota", _("QUOTA"), _show_size), ("used_bytes", _("USED"), format_size),
            ("active", _("ACTIVE"), _show_bool),
            ("last_login", _("LAST LOGIN"), _show_time),
        ])

    def account_passwd(self, options):
        services.set_password(options["address"], self._read_password(options))
        self._say(_("Changed the password of %(address)s.") % {"address": _display(options["address"])})

    def account_disable(self, options):
        account = services.set_account_active(options["address"], False)
        self._say(_("Disabled account %(address)s.") % {"address": account.display_address})

    def account_enable(self, options):
        account = services.set_account_active(options["address"], True)
        self._say(_("Enabled account %(address)s.") % {"address": account.display_address})

    def account_quota(self, options):
        account = services.set_quota(options["address"], options["size"])
        self._say(_("Set the quota of %(address)s to %(quota)s.")
                  % {"address": account.display_address, "quota": _show_size(account.quota)})

    def account_remove(self, options):
        services.remove_account(options["address"])
        self._say(_("Removed account %(address)s and its mail.") % {"address": _display(options["address"])})

    # --- Aliases and forwards -------------------------------------------------------------

    def alias_add(self, options):
        alias = services.create_alias(options["source"], options["targets"])
        self._say(_("Added alias %(source)s → %(targets)s.")
                  % {"source": alias, "targets": _show_targets(t.address for t in alias.targets.all())})

    def alias_set(self, options):
        alias = services.set_alias_targets(options["source"], options["targets"])
        self._say(_("Alias %(source)s now goes to %(targets)s.")
                  % {"source": alias, "targets": _show_targets(t.address for t in alias.targets.all())})

    def alias_list(self, options):
        aliases = Alias.objects.select_related("domain").prefetch_related("targets")
        domain = self._domain_filter(options)
        if domain is not None:
            aliases = aliases.filter(domain=domain)
        records = [
            {"source": str(a), "source_ascii": a.address, "targets": [t.address for t in a.targets.all()],
             "active": a.active}
            for a in aliases
        ]
        self._table(options, records, [
            ("source", _("ALIAS"), str), ("targets", _("TARGETS"), _show_targets),
            ("active", _("ACTIVE"), _show_bool),
        ])

    def alias_disable(self, options):
        alias = services.set_alias_active(options["source"], False)
        self._say(_("Disabled alias %(source)s.") % {"source": alias})

    def alias_enable(self, options):
        alias = services.set_alias_active(options["source"], True)
        self._say(_("Enabled alias %(source)s.") % {"source": alias})

    def alias_remove(self, options):
        services.remove_alias(options["source"])
        self._say(_("Removed alias %(source)s.") % {"source": _display(options["source"])})

    def forward_set(self, options):
        forward = services.set_forward(options["address"], options["targets"], keep_copy=options["keep_copy"])
        targets = _show_targets(t.address for t in forward.targets.all())
        if forward.keep_copy:
            message = _("Mail for %(address)s now goes to %(targets)s, keeping a copy.")
        else:
            message = _("Mail for %(address)s now goes to %(targets)s, keeping no copy.")
        self._say(message % {"address": forward.account.display_address, "targets": targets})

    def forward_clear(self, options):
        services.set_forward(options["address"], [])
        self._say(_("Mail for %(address)s is no longer forwarded.")
                  % {"address": _display(options["address"])})

    def forward_list(self, options):
        forwards = Forward.objects.select_related("account__domain").prefetch_related("targets")
        domain = self._domain_filter(options)
        if domain is not None:
            forwards = forwards.filter(account__domain=domain)
        records = [
            {"address": f.account.display_address, "address_ascii": f.account.address,
             "targets": [t.address for t in f.targets.all()], "keep_copy": f.keep_copy,
             "active": f.active}
            for f in forwards.order_by("account__domain__name", "account__localpart")
        ]
        self._table(options, records, [
            ("address", _("ADDRESS"), str), ("targets", _("TARGETS"), _show_targets),
            ("keep_copy", _("KEEP COPY"), _show_bool), ("active", _("ACTIVE"), _show_bool),
        ])
