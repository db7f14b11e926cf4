"""clamd and rspamd for the filter tests: the ones scripts/test-services started (it exports
HOPTHU_TEST_CLAMD, HOPTHU_TEST_CLAMD_SOCKET, HOPTHU_TEST_RSPAMD_URL, ..._CONTROLLER_URL,
..._PASSWORD), or, when a
test is run by hand without it, our own on free loopback ports from the same configuration
files (scripts/services/). A missing daemon is a failure, never a skip.

Use in a test module: `from tests.support.services_filters import clamd, rspamd  # noqa: F401`
(`clamd_socket` is the same clamd's Unix socket path).
"""
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

SERVICES = Path(__file__).resolve().parents[2] / "scripts" / "services"
STARTUP_SECONDS = 90  # rspamd's first start on a fresh machine compiles its Hyperscan cache


@dataclass(frozen=True)
class Rspamd:
    url: str
    controller_url: str
    password: str


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _binary(name: str) -> str:
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin")
    if path is None:
        pytest.fail(f"{name} is not installed; scripts/test-services installs it (run as root)")
    return path


def _wait(process: subprocess.Popen, ready, log: Path, what: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{what} exited with {process.returncode}:\n{_tail(log)}")
        if ready():
            return
        time.sleep(0.05)
    process.kill()
    pytest.fail(f"{what} did not answer within {STARTUP_SECONDS} s:\n{_tail(log)}")


def _tail(path: Path) -> str:
    return path.read_text(errors="replace")[-3000:] if path.exists() else "(no log)"


def clamd_pong(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1) as sock:
            sock.sendall(b"zPING\0")
            return sock.recv(16).startswith(b"PONG")
    except OSError:
        return False


@dataclass(frozen=True)
class Clamd:
    address: str  # "127.0.0.1:port"
    socket: str  # the path of its Unix socket


def start_clamd(workdir: Path) -> tuple[subprocess.Popen, Clamd]:
    """clamd with the one-signature EICAR database, in the foreground, as the current user,
    on a loopback TCP port and a Unix socket."""
    clamd = _binary("clamd")
    (workdir / "db").mkdir()
    (workdir / "tmp").mkdir()
    shutil.copy(SERVICES / "eicar.ndb", workdir / "db")
    port = free_port()
    conf = (SERVICES / "clamd.conf").read_text().replace("@DIR@", str(workdir)).replace("@PORT@", str(port))
    (workdir / "clamd.conf").write_text(conf)
    process = subprocess.Popen([clamd, f"--config-file={workdir / 'clamd.conf'}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait(process, lambda: clamd_pong("127.0.0.1", port), workdir / "clamd.log", "clamd")
    return process, Clamd(f"127.0.0.1:{port}", str(workdir / "clamd.ctl"))


def rspamd_cache_dir() -> Path:
    """Kept between runs (see scripts/services/rspamd/override.d/options.inc)."""
    path = Path(f"/var/tmp/hopthu-rspamd-cache-{os.getuid()}")
    path.mkdir(mode=0o755, exist_ok=True)
    return path


def start_rspamd(workdir: Path) -> tuple[subprocess.Popen, Rspamd]:
    """Debian's rspamd with HopThu's test LOCAL_CONFDIR: normal worker and controller only."""
    rspamd = _binary("rspamd")
    for name in ("db", "run", "log"):
        (workdir / name).mkdir()
    normal, controller, password = free_port(), free_port(), secrets.token_hex(8)
    cache = rspamd_cache_dir()
    user = []
    if os.geteuid() == 0:  # rspamd refuses to run its workers as root
        account = pwd.getpwnam("_rspamd")
        for path in (workdir, *workdir.iterdir(), cache):
            os.chown(path, account.pw_uid, account.pw_gid)
        user = ["-u", "_rspamd", "-g", "_rspamd"]
    variables = {
        "LOCAL_CONFDIR": SERVICES / "rspamd", "DBDIR": workdir / "db", "RUNDIR": workdir / "run",
        "LOGDIR": workdir / "log", "HOPTHU_NORMAL_PORT": normal, "HOPTHU_CONTROLLER_PORT": controller,
        "HOPTHU_CONTROLLER_PASSWORD": password, "HOPTHU_CACHE_DIR": cache,
    }
    command = [rspamd, "-f", *user, "-c", "/etc/rspamd/rspamd.conf",
               *(f"--var={name}={value}" for name, value in variables.items())]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    log = workdir / "log" / "rspamd.log"
    _wait(process, lambda: _http_pong(normal) and _http_pong(controller) and bayes_ready(log), log, "rspamd")
    return process, Rspamd(f"http://127.0.0.1:{normal}", f"http://127.0.0.1:{controller}", password)


def bayes_ready(log: Path) -> bool:
    """Both workers have opened the Bayes statfiles: they answer /ping before that, and a
    learn or check sent in between fails ("cannot find statfile backend")."""
    if not log.exists():
        return False
    ready = [line for line in log.read_text(errors="replace").splitlines()
             if "added backend sqlite3 for symbol BAYES_HAM" in line]
    return any("(controller)" in line for line in ready) and any("(normal)" in line for line in ready)


def _http_pong(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"GET /ping HTTP/1.0\r\n\r\n")
            return b"pong" in sock.recv(4096)
    except OSError:
        return False


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def clamd_service():
    """A clamd that knows the EICAR test signature, on TCP and a Unix socket."""
    if os.environ.get("HOPTHU_TEST_CLAMD"):
        if not os.environ.get("HOPTHU_TEST_CLAMD_SOCKET"):
            pytest.fail("HOPTHU_TEST_CLAMD is set without HOPTHU_TEST_CLAMD_SOCKET (see scripts/test-services)")
        yield Clamd(os.environ["HOPTHU_TEST_CLAMD"], os.environ["HOPTHU_TEST_CLAMD_SOCKET"])
        return
    with tempfile.TemporaryDirectory(prefix="hopthu-clamd.") as workdir:
        process, service = start_clamd(Path(workdir))
        yield service
        _stop(process)


@pytest.fixture(scope="session")
def clamd(clamd_service):
    """"host:port" of a clamd that knows the EICAR test signature."""
    return clamd_service.address


@pytest.fixture(scope="session")
def clamd_socket(clamd_service):
    """The Unix socket path of the same clamd."""
    return clamd_service.socket


@pytest.fixture(scope="session")
def rspamd():
    if os.environ.get("HOPTHU_TEST_RSPAMD_URL"):
        yield Rspamd(os.environ["HOPTHU_TEST_RSPAMD_URL"], os.environ["HOPTHU_TEST_RSPAMD_CONTROLLER_URL"],
                     os.environ["HOPTHU_TEST_RSPAMD_PASSWORD"])
        return
    with tempfile.TemporaryDirectory(prefix="hopthu-rspamd.") as workdir:
        process, service = start_rspamd(Path(workdir))
        yield service
        _stop(process)
