"""Children of `dondoc serve` kept alive: the job worker and its scheduler.

Each child runs in its own process group. When one dies (`kill -9`, out of memory, a crash)
the supervisor logs it and starts it again after a backoff that doubles on each quick death
(1 s, 2 s, 4 s … up to a minute) and resets once a child has stayed up for a while. Before a
restart the dead child's group is killed, so nothing it left behind keeps running beside the
new one. `stop()` (on SIGTERM or SIGINT of serve) terminates every group, then kills what did
not exit in time. On Linux the children are also told to die with serve itself, so even a
`kill -9` of serve leaves no orphan.
"""

import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger("dondoc.serve")

PR_SET_PDEATHSIG = 1
_LIBC = ctypes.CDLL(None) if sys.platform.startswith("linux") else None  # loaded before any fork


def _die_with_parent() -> None:
    """Runs in the child before exec: its own process group, and SIGTERM when serve dies."""
    os.setpgid(0, 0)
    if _LIBC is not None:
        _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Child:
    name: str
    command: list[str]
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    restart_at: float | None = None
    backoff: float = 0.0
    restarts: int = 0


@dataclass
class Supervisor:
    children: list[Child]
    min_backoff: float = 1.0
    max_backoff: float = 60.0
    stable_after: float = 30.0
    poll_every: float = 0.5
    owner_pid: int = field(default_factory=os.getpid)
    _stopping: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        for child in self.children:
            self._spawn(child)
        self._thread = threading.Thread(target=self._watch, name="dondoc-supervisor", daemon=True)
        self._thread.start()

    def _spawn(self, child: Child) -> None:
        child.process = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
            child.command, env=child.env, preexec_fn=_die_with_parent
        )
        child.started_at, child.restart_at = time.monotonic(), None
        log.info("started %s (pid %s)", child.name, child.process.pid)

    def _watch(self) -> None:
        while not self._stopping.wait(self.poll_every):
            for child in self.children:
                self.check(child)

    def check(self, child: Child, now: Callable[[], float] = time.monotonic) -> None:
        """Notice a dead child and schedule its restart; restart it when its backoff is over."""
        if self._stopping.is_set() or child.process is None:
            return
        if child.restart_at is not None:
            if now() >= child.restart_at:
                child.restarts += 1
                self._spawn(child)
            return
        code = child.process.poll()
        if code is None:
            return
        _kill_group(child.process.pid, signal.SIGKILL)  # what the dead child left behind
        lived = now() - child.started_at
        child.backoff = (
            self.min_backoff
            if lived >= self.stable_after or not child.backoff
            else min(child.backoff * 2, self.max_backoff)
        )
        child.restart_at = now() + child.backoff
        log.error(
            "%s (pid %s) exited with %s after %.0f s; restarting in %.0f s",
            child.name, child.process.pid, code, lived, child.backoff,
        )  # fmt: skip

    def stop(self, timeout: float = 10.0) -> None:
        """Terminate every child (and its group); kill what is still running after `timeout`.
        Only the process that started the children stops them: a forked web worker that exits
        runs the same `finally` blocks and must leave them alone."""
        if os.getpid() != self.owner_pid or self._stopping.is_set():
            return
        self._stopping.set()
        running = [c.process for c in self.children if c.process and c.process.poll() is None]
        for process in running:
            _kill_group(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _kill_group(process.pid, signal.SIGKILL)
                process.wait()
        for child in self.children:
            if child.process is not None:
                _kill_group(child.process.pid, signal.SIGKILL)  # grandchildren still in the group
        log.info("stopped %s", ", ".join(child.name for child in self.children))


def _kill_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)
