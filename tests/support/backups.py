"""Helpers of the backup tests (tests/mailcore/backup): messages, listings, manage.py."""
import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOW_MESSAGES = (
    "import json\n"
    "from mailcore.store.models import Message\n"
    "rows = Message.objects.select_related('folder', 'account__domain', 'blob').order_by('account_id', "
    "'folder__name', 'uid')\n"
    "print(json.dumps([[f'{m.account.localpart}@{m.account.domain.name}', m.folder.name, m.folder.uidvalidity, "
    "m.uid, m.flags, m.internal_date.isoformat(), m.blob.digest, bytes(m.trace).decode()] for m in rows]))\n"
)


def message(subject: str, body: str = "hello") -> bytes:
    return (f"From: sender@example.net\r\nTo: alice@example.test\r\nSubject: {subject}\r\n"
            f"Message-ID: <{subject.replace(' ', '-')}@example.net>\r\n\r\n{body}\r\n").encode()


def stored_messages() -> list:
    """What the running test database holds, as SHOW_MESSAGES prints it."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(SHOW_MESSAGES, {})  # our own constant: the same listing both sides
    return json.loads(out.getvalue())


def manage(env, *args, check=True, input_text=None, timeout=300) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=timeout, input=input_text)
    if check and result.returncode:
        raise AssertionError(f"manage.py {' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
    return result


def restored_messages(env) -> list:
    """The same listing, from the installation env points at."""
    return json.loads(manage(env, "shell", "-c", SHOW_MESSAGES).stdout.strip().splitlines()[-1])
