"""The embedded broker: kombu's filesystem transport, with acknowledgements that survive a crash.

kombu's filesystem transport deletes a message's file as soon as a worker takes it, so a job
whose worker is killed (`kill -9`, out of memory, power) is lost even though tasks are
`acks_late`. Here a taken message's file is moved to an "unacked" folder instead, and deleted
only when the task acknowledges it (after it ran). When the worker starts again,
`restore_unacked` puts every file left there back in the queue, in its original order: the job
whose worker died runs again, as it would with Redis's visibility timeout. Only one embedded
worker consumes a data folder (`dondoc serve` supervises it), so whatever is in the folder at
its start belongs to a dead worker.
"""

import logging
import os
import shutil
import threading
from pathlib import Path
from queue import Empty
from typing import Any, ClassVar

from kombu.transport import TRANSPORT_ALIASES, filesystem
from kombu.utils.json import loads

log = logging.getLogger("dondoc.jobs")

ALIAS = "dondocfs"


class Channel(filesystem.Channel):
    _taken: ClassVar[dict[str, Path]] = {}  # delivery tag -> its file in the unacked folder
    _lock = threading.Lock()

    @property
    def unacked_folder(self) -> Path:
        return Path(self.transport_options.get("unacked_folder", "unacked"))

    def _get(self, queue: str, timeout: Any = None) -> Any:
        suffix = f".{queue}.msg"
        for name in sorted(os.listdir(self.data_folder_in)):
            if not name.endswith(suffix):
                continue
            taken = self.unacked_folder / name
            try:  # atomic within one file system: of two takers, one wins
                os.rename(os.path.join(self.data_folder_in, name), taken)
            except OSError:
                continue
            payload = loads(taken.read_bytes())  # type: ignore[no-untyped-call]
            with self._lock:
                self._taken[payload["properties"]["delivery_tag"]] = taken
            return payload
        raise Empty()

    def _forget(self, delivery_tag: str) -> None:
        with self._lock:
            taken = self._taken.pop(delivery_tag, None)
        if taken is not None:
            taken.unlink(missing_ok=True)

    def basic_ack(self, delivery_tag: str, multiple: bool = False) -> None:
        super().basic_ack(delivery_tag, multiple)  # type: ignore[no-untyped-call]
        self._forget(delivery_tag)

    def basic_reject(self, delivery_tag: str, requeue: bool = False) -> None:
        super().basic_reject(delivery_tag, requeue=requeue)  # type: ignore[no-untyped-call]  # requeue writes a new file first
        self._forget(delivery_tag)

    def _restore(self, message: Any) -> None:
        super()._restore(message)  # type: ignore[no-untyped-call]  # on a warm shutdown: back in the queue as a new file
        self._forget(message.delivery_tag)


class Transport(filesystem.Transport):
    Channel = Channel
    driver_type = driver_name = ALIAS


def restore_unacked(data_folder_in: Path, unacked_folder: Path) -> int:
    """Put back in the queue every message a dead worker had taken; return how many."""
    restored = 0
    if not unacked_folder.is_dir():
        return 0
    for name in sorted(os.listdir(unacked_folder)):
        shutil.move(unacked_folder / name, data_folder_in / name)
        restored += 1
    if restored:
        log.warning("restored %d job(s) taken by a worker that died before finishing", restored)
    return restored


def register() -> None:
    """Make `dondocfs://` a broker URL kombu knows."""
    TRANSPORT_ALIASES.setdefault(ALIAS, f"{__name__}:Transport")
