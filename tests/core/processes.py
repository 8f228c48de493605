"""Real processes for the reliability tests: start, find, wait, kill."""

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def process_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of an embedded dondoc on SQLite in `data_dir`, nothing shared."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DONDOC_DATA_DIR=str(data_dir), DONDOC_DEMO="false", PYTHONPATH=str(ROOT))
    env.update(extra)
    return env


def dondoc(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "dondoc.cli", *args],
        env=env, capture_output=True, text=True, timeout=120, check=True, cwd=ROOT,
    )  # fmt: skip
    return done.stdout


def wait_for(condition: Callable[[], object], seconds: float, what: str) -> object:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


def children(pid: int) -> dict[int, str]:
    """The direct children of `pid` and their command lines (Linux /proc)."""
    found: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found[int(entry.name)] = cmdline
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def group_members(pgid: int) -> list[int]:
    """The live processes of process group `pgid` (Linux /proc), zombies excluded."""
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                members.append(int(entry.name))
    return members


def stop_group(process: subprocess.Popen, sig: int, grace: float = 20) -> None:
    """Signal the process group that `process` leads (started with start_new_session=True),
    wait for the leader, SIGKILL whatever of the group is still there after `grace` seconds,
    and fail if anything outlives it: no worker, thread pool child or database connection of a
    test may outlive the test."""
    import signal

    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    if group_members(process.pid):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    wait_for(lambda: not group_members(process.pid), 10, f"process group {process.pid} to end")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RedisServer:
    """A redis-server of the test's own on a free port, which the test can stop and start again
    (an outage, for real); its append-only file in `folder` keeps the counts across a restart."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.port = folder, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [
            "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
            "--dir", str(self.folder), "--appendonly", "yes", "--appendfsync", "always",
            "--save", "",
        ]  # fmt: skip
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, start_new_session=True)
        ping = ["redis-cli", "-p", str(self.port), "ping"]
        wait_for(lambda: subprocess.run(ping, capture_output=True).returncode == 0, 20, "redis")

    def stop(self) -> None:
        import signal

        if self.process is not None:
            stop_group(self.process, signal.SIGTERM)
            self.process = None
