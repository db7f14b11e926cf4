"""A separate process that appends to the store, for concurrency and crash tests.

usage: append_worker.py DB_NAME ACCOUNT_ID COUNT TAG [crash]
With "crash", the process kills itself (os._exit, as kill -9 would) after the blob file
is installed and the message row inserted, before the transaction commits.
"""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main():
    db_name, account_id, count, tag = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    crash = len(sys.argv) > 5 and sys.argv[5] == "crash"
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = db_name
    import django

    django.setup()
    from mailcore.store import append as append_module
    from mailcore.store import search

    if crash:
        original = search.insert_entry

        def index_then_die(*args, **kwargs):
            original(*args, **kwargs)
            os._exit(9)

        append_module.search.insert_entry = index_then_die
    for i in range(count):
        raw = f"Subject: {tag} {i}\r\nMessage-ID: <{tag}.{i}@test>\r\n\r\nbody {tag} {i}\r\n".encode()
        append_module.append(account_id, "INBOX", raw)
    print("done", flush=True)


if __name__ == "__main__":
    main()
