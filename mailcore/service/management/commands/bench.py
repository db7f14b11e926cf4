"""`python manage.py bench <what>`: print performance figures (never asserts)."""
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Measure HopThu's performance and print the figures."

    def add_arguments(self, parser):
        benches = parser.add_subparsers(dest="bench", required=True)
        store = benches.add_parser("store", help="Append throughput and search latency.")
        store.add_argument("-n", "--messages", type=int, default=10_000,
                           help="messages to append (default 10,000)")
        store.add_argument("--searches", type=int, default=200, help="search queries to time (default 200)")
        store.add_argument("--batch", type=int, default=100, help="messages per group commit (default 100)")
        store.add_argument("--singles", type=int, default=1000,
                           help="of the messages, how many to append one per transaction first (default 1,000)")
        store.add_argument("--processes", type=int, default=None,
                           help="writer processes for the group commits (default: one per CPU)")
        store.add_argument("--seed", type=int, default=1)

        smtp = benches.add_parser("smtp", help="SMTP messages accepted and delivered per second.")
        smtp.add_argument("-n", "--messages", type=int, default=5_000, help="messages to send (default 5,000)")
        smtp.add_argument("-c", "--connections", type=int, default=20, help="concurrent connections (default 20)")
        smtp.add_argument("--seed", type=int, default=1)

        source = benches.add_parser("smtp-source", help="Postfix's smtp-source against the MX: messages "
                                                        "accepted and delivered per second.")
        source.add_argument("-s", "--sessions", type=int, default=5, help="parallel sessions (default 5)")
        source.add_argument("-m", "--messages", type=int, default=200, help="messages to send (default 200)")
        source.add_argument("-l", "--length", type=int, default=4096, help="message length (default 4,096)")
        source.add_argument("--reuse", action="store_true",
                            help="one connection per session (smtp-source -d), not one per message")

        imap = benches.add_parser("imap", help="IMAP commands per second and the memory of idle connections.")
        imap.add_argument("-c", "--clients", type=int, default=20, help="concurrent clients (default 20)")
        imap.add_argument("-n", "--messages", type=int, default=5_000, help="messages per mailbox (default 5,000)")
        imap.add_argument("--seconds", type=float, default=20, help="how long the clients run (default 20)")
        imap.add_argument("--idle", type=int, default=1_000, help="idle IDLE connections to measure (default 1,000)")

        spam = benches.add_parser("spam", help="Spam caught, ham sent to Junk, and filter throughput, "
                                               "after learning half of a ham/spam corpus.")
        spam.add_argument("--ham", type=int, default=1_000, help="ham messages in the corpus (default 1,000)")
        spam.add_argument("--spam", type=int, default=1_000, help="spam messages in the corpus (default 1,000)")
        spam.add_argument("--seed", type=int, default=1)

        backup = benches.add_parser("backup", help="An account archived, verified and restored: seconds and rates.")
        backup.add_argument("-n", "--messages", type=int, default=2_000, help="messages in the account (default 2,000)")
        backup.add_argument("--encrypt", action="store_true", help="encrypt the archive (a throwaway key)")
        backup.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options):
        if options["bench"] == "imap":
            from mailcore.bench import imap

            imap.run(options["clients"], options["messages"], options["seconds"], options["idle"], self.stdout)
        if options["bench"] == "smtp":
            from mailcore.bench import smtp

            smtp.run(options["messages"], options["connections"], self.stdout, seed=options["seed"])
        if options["bench"] == "smtp-source":
            from mailcore.bench import smtp_source

            smtp_source.run(options["sessions"], options["messages"], options["length"], self.stdout,
                            reuse=options["reuse"])
        if options["bench"] == "store":
            from mailcore.bench import store

            store.run(options["messages"], options["searches"], self.stdout, seed=options["seed"],
                      batch=options["batch"], singles=options["singles"], processes=options["processes"])
        if options["bench"] == "backup":
            from mailcore.bench import backup

            backup.run(options["messages"], self.stdout, seed=options["seed"],
                       passphrase="bench key" if options["encrypt"] else "")
        if options["bench"] == "spam":
            from mailcore.bench import spam

            spam.run(options["ham"], options["spam"], self.stdout, seed=options["seed"])
