"""`dondoc backup` and `dondoc restore`: the database, the uploaded files and the audit anchors
in one archive, with a manifest of checksums checked before anything is restored.

- SQLite: SQLite's online backup API, page by page, while the application keeps running;
  restored the same way into the open database.
- PostgreSQL: `pg_dump --format=custom` (one consistent snapshot, online: writers are not
  blocked); restored with `pg_restore --clean --if-exists --no-owner`.

The audit key (`AUDIT_KEY`) is not in the archive: whoever holds a backup must not be able to
forge the audit chain. Keep it with the other secrets (docs/operations.md).
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1
DB_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """The archive cannot be made or restored; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class Manifest:
    vendor: str
    created_at: str
    checksums: dict[str, str]  # member name -> sha256

    def to_json(self) -> bytes:
        data = {"format": FORMAT, "vendor": self.vendor, "created_at": self.created_at}
        return json.dumps({**data, "checksums": self.checksums}, indent=2).encode("utf-8")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------------
# Backup


def backup_create(archive: Path) -> Manifest:
    """Write the database, the uploaded files and the audit anchors to `archive` (.tar.gz)."""
    with tempfile.TemporaryDirectory() as temp:
        staging = Path(temp)
        database = staging / DB_NAMES[_vendor()]
        _dump_database(database)
        members: dict[str, Path] = {database.name: database}
        media = Path(settings.MEDIA_ROOT)
        if media.is_dir():
            for path in sorted(p for p in media.rglob("*") if p.is_file()):
                members[f"files/{path.relative_to(media).as_posix()}"] = path
        anchors = Path(settings.AUDIT_ANCHOR_FILE)
        if anchors.exists():
            members["audit-anchors.jsonl"] = anchors
        manifest = Manifest(
            _vendor(),
            timezone.now().isoformat(timespec="seconds"),
            {name: sha256_file(path) for name, path in members.items()},
        )
        archive.parent.mkdir(parents=True, exist_ok=True)
        partial = archive.with_name(archive.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            _add_bytes(tar, "manifest.json", manifest.to_json())
            for name, path in members.items():
                tar.add(path, arcname=name)
        partial.replace(archive)  # never a half-written archive under the final name
    return manifest


def _vendor() -> str:
    if connection.vendor not in DB_NAMES:
        raise BackupError(_("Không hỗ trợ sao lưu cơ sở dữ liệu %(v)s.") % {"v": connection.vendor})
    return connection.vendor


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
    tar.addfile(info, io.BytesIO(data))


def _dump_database(target: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
    else:
        _pg("pg_dump", "--format=custom", "--no-owner", f"--file={target}")


def _pg(tool: str, *args: str) -> None:
    db = connection.settings_dict
    command = [tool, *args, f"--dbname={db['NAME']}"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            command.append(f"{option}={db[key]}")
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    # pg_stat_activity names pg_dump's session after the command that ran it (core/dbsessions.py)
    env["PGAPPNAME"] = f"{db.get('OPTIONS', {}).get('application_name', 'dondoc')} {tool}"[:63]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(
            _("%(tool)s thất bại: %(error)s") % {"tool": tool, "error": done.stderr.strip()[-500:]}
        )


# ---------------------------------------------------------------------------------------------
# Restore


def backup_read_manifest(archive: Path) -> Manifest:
    try:
        with tarfile.open(archive, "r:*") as tar:
            member = tar.extractfile("manifest.json")
            data: dict[str, Any] = json.loads(member.read() if member else b"{}")
    except (OSError, tarfile.TarError, KeyError, ValueError) as error:
        raise BackupError(_("Không đọc được bản sao lưu: %(e)s") % {"e": error}) from error
    if data.get("format") != FORMAT:
        raise BackupError(_("Bản sao lưu không đúng định dạng."))
    return Manifest(data["vendor"], data["created_at"], data["checksums"])


def backup_restore(archive: Path) -> Manifest:
    """Check every checksum, then replace the database, the uploaded files and the anchors
    with the archive's. Nothing is replaced if a checksum is wrong or the database differs."""
    manifest = backup_read_manifest(archive)
    if manifest.vendor != connection.vendor:
        raise BackupError(
            _("Bản sao lưu của %(a)s, không khôi phục được vào %(b)s.")
            % {"a": manifest.vendor, "b": connection.vendor}
        )
    with tempfile.TemporaryDirectory() as temp:
        staging = Path(temp)
        with tarfile.open(archive, "r:*") as tar:
            tar.extractall(staging, filter="data")
        for name, checksum in manifest.checksums.items():
            path = staging / name
            if not path.is_file() or sha256_file(path) != checksum:
                raise BackupError(_("Tệp %(name)s trong bản sao lưu bị hỏng.") % {"name": name})
        _load_database(staging / DB_NAMES[manifest.vendor])
        _replace_folder(staging / "files", Path(settings.MEDIA_ROOT))
        anchors = staging / "audit-anchors.jsonl"
        if anchors.exists():
            Path(settings.AUDIT_ANCHOR_FILE).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(anchors, settings.AUDIT_ANCHOR_FILE)
    return manifest


def _load_database(source: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(source) as copy:
            copy.backup(connection.connection)
        copy.close()
    else:
        connection.close()
        _pg(
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            str(source),
        )


def _replace_folder(source: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        target.mkdir(parents=True, exist_ok=True)
