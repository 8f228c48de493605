"""`dondoc backup` and `dondoc restore` round-trip the database, the uploaded files and the
audit anchors on SQLite and PostgreSQL: same checksums, and the restored audit chain verifies."""

import hashlib
import io
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from dondoc.agencies.models import Agency
from dondoc.audit.services import audit_anchor, audit_record
from dondoc.core.backup import backup_read_manifest, sha256_file

pytestmark = pytest.mark.django_db(transaction=True)


def database_checksum() -> str:
    out = io.StringIO()
    call_command("dumpdata", "--exclude=sessions", stdout=out)
    return hashlib.sha256(out.getvalue().encode()).hexdigest()


def files_checksums(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): sha256_file(p) for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture
def office_data(settings, tmp_path, admin_user, office_agency) -> Path:
    settings.MEDIA_ROOT = tmp_path / "files"
    (settings.MEDIA_ROOT / "attachments").mkdir(parents=True)
    (settings.MEDIA_ROOT / "attachments" / "bao-cao.pdf").write_bytes(b"%PDF-1.4 noi dung")
    for number in range(3):
        audit_record(admin_user, "update", office_agency, {"name": ["A", f"B{number}"]})
    audit_anchor()
    return settings.MEDIA_ROOT


def test_round_trip_restores_the_same_data_files_and_a_valid_chain(
    office_data, settings, tmp_path, admin_user, office_agency, capsys
):
    before = (database_checksum(), files_checksums(office_data))
    anchors_before = settings.AUDIT_ANCHOR_FILE.read_bytes()
    archive = tmp_path / "backups" / "dondoc.tar.gz"
    call_command("backup", str(archive))
    assert "Đã sao lưu" in capsys.readouterr().out

    # Life goes on after the backup: new entries and agencies, a file removed, another added.
    Agency.objects.create(code="MOI", name="Cơ quan mới")
    audit_record(admin_user, "update", office_agency, {"name": ["B", "C"]})
    audit_anchor()
    (office_data / "attachments" / "bao-cao.pdf").unlink()
    (office_data / "khac.txt").write_text("sau sao lưu")
    assert database_checksum() != before[0]

    call_command("restore", str(archive), "--yes")
    out = capsys.readouterr().out
    assert "Đã khôi phục" in out
    assert "Chuỗi nhật ký toàn vẹn: 3 bản ghi" in out
    assert (database_checksum(), files_checksums(office_data)) == before
    assert settings.AUDIT_ANCHOR_FILE.read_bytes() == anchors_before


def test_manifest_lists_a_checksum_for_every_member(office_data, tmp_path, connection_vendor):
    archive = tmp_path / "b.tar.gz"
    call_command("backup", str(archive))
    manifest = backup_read_manifest(archive)
    database = "database.sqlite3" if connection_vendor == "sqlite" else "database.pgdump"
    assert set(manifest.checksums) == {
        database,
        "files/attachments/bao-cao.pdf",
        "audit-anchors.jsonl",
    }
    assert manifest.vendor == connection_vendor


def test_damaged_archive_is_refused_and_nothing_is_replaced(office_data, tmp_path):
    archive, damaged = tmp_path / "b.tar.gz", tmp_path / "damaged.tar.gz"
    call_command("backup", str(archive))
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("files/"):
                data = data.replace(b"noi dung", b"noi dunG")
            target.addfile(member, io.BytesIO(data))
    Agency.objects.create(code="MOI", name="Cơ quan mới")
    with pytest.raises(
        CommandError, match=r"Tệp files/attachments/bao-cao\.pdf trong bản sao lưu bị hỏng"
    ):
        call_command("restore", str(damaged), "--yes")
    assert Agency.objects.filter(code="MOI").exists()


def test_restore_asks_for_confirmation(office_data, tmp_path):
    archive = tmp_path / "b.tar.gz"
    call_command("backup", str(archive))
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive))


@pytest.fixture
def connection_vendor() -> str:
    from django.db import connection

    return connection.vendor
