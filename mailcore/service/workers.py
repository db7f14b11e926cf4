"""More processes serving the same listening ports, so a protocol uses every core.

One mail-core process is bound by one interpreter lock: under many IMAP clients it
saturates one core while the others idle. Listener workers are spawned interpreters
(spawn, not fork: the host has threads and sockets) that each run the same listeners on
the same ports with SO_REUSEPORT; the kernel spreads new connections over them. Every
process works on the one store through the database, as separate nodes would, so
sessions in different processes see each other's changes the usual way (IDLE polls,
MODSEQ). The host supervises them: a worker that dies is started again.

Used for IMAP (HOPTHU_IMAP_PROCESSES); POP3 and SMTP stay in the host process (SMTP's
group commit is per process; POP3's maildrop lock is in the database, store/maildrop.py).
"""
import asyncio
import logging
import multiprocessing
import os

from django.conf import settings
from django.db import connection

from .worker_child import worker_main

log = logging.getLogger(__name__)
SUPERVISE_SECONDS = 2.0
# Settings a worker must see as the host sees them (tests and benches change them in-process).
_INHERITED = ("PASSWORD_HASHERS", "SECRET_KEY")


def process_count(setting: str) -> int:
    return max(1, int(getattr(settings, setting, 1) or 1))


def shares_ports(setting: str) -> bool:
    """Whether listeners of this protocol bind with SO_REUSEPORT (more than one process)."""
    return process_count(setting) > 1


def _overrides() -> dict:
    values = {name: getattr(settings, name) for name in dir(settings) if name.startswith("HOPTHU_")}
    values.update({name: getattr(settings, name) for name in _INHERITED if hasattr(settings, name)})
    values["DATABASE_NAME"] = str(connection.settings_dict["NAME"])
    return values


class ListenerWorkers:
    """A host factory's product: `info` and `close()` like a listener."""

    def __init__(self, name: str, factories_path: str, ports: dict, count: int):
        self.name = name
        self.factories_path = factories_path
        self.ports = ports
        self.context = multiprocessing.get_context("spawn")
        self.stopping = False
        self.stop_pipes: dict[int, object] = {}  # our end of each worker's stop pipe, by index
        self.processes = [self._spawn(index) for index in range(count)]
        self.info = {"name": name, "pids": [process.pid for process in self.processes]}
        self._supervisor: asyncio.Task | None = None

    def _spawn(self, index: int, wait: float = 60):
        ready = self.context.Event()
        receiver, sender = self.context.Pipe(duplex=False)
        process = self.context.Process(
            target=worker_main, args=(self.factories_path, self.ports, _overrides(), os.getpid(), receiver, ready),
            name=f"hopthu-{self.name}-{index}", daemon=True)
        process.start()
        receiver.close()
        old = self.stop_pipes.pop(index, None)
        if old is not None:
            old.close()
        self.stop_pipes[index] = sender
        if not ready.wait(wait):
            log.error("listener worker %s did not start within %s seconds", process.name, wait)
        return process

    def supervise(self, host) -> None:
        self._supervisor = asyncio.get_running_loop().create_task(self._watch(host), name=f"{self.name}-supervisor")

    async def _watch(self, host) -> None:
        while True:
            await asyncio.sleep(SUPERVISE_SECONDS)
            for index, process in enumerate(self.processes):
                if not process.is_alive() and not self.stopping:
                    log.warning("listener worker %s exited with %s; starting it again", process.name,
                                process.exitcode)
                    self.processes[index] = await host.run_blocking(self._spawn, index)
                    self.info["pids"] = [p.pid for p in self.processes]

    def stop(self) -> None:
        self.stopping = True
        for pipe in self.stop_pipes.values():
            pipe.close()  # the worker sees the end of the pipe and stops
        for process in self.processes:
            process.join(30)
            if process.is_alive():
                process.terminate()
                process.join(5)

    async def close(self) -> None:
        if self._supervisor is not None:
            self._supervisor.cancel()
            await asyncio.gather(self._supervisor, return_exceptions=True)
        await asyncio.get_running_loop().run_in_executor(None, self.stop)


def listener_workers_factory(name: str, factories_path: str, port_keys: tuple[str, ...], setting: str):
    """A host factory: after the host's own listeners on port_keys, count - 1 workers."""

    async def start(host):
        count = process_count(setting) - 1
        ports = {listener.info["name"]: listener.info["port"] for listener in host.listeners
                 if listener.info.get("name") in port_keys and "port" in listener.info}
        workers = await host.run_blocking(ListenerWorkers, name, factories_path, ports, count if ports else 0)
        workers.supervise(host)
        return workers

    start.__name__ = f"start_{name}"
    return start
