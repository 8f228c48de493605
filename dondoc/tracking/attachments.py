"""Files kept with documents (their text, annexes) and with progress reports (evidence): what a
file may be, how it is named, who may open it.

A file's type is read from its content, never from its name or from what the browser says: a
PDF starts with `%PDF-` and is read through by pypdf to at least one page (a `%PDF-` line
followed by HTML is not a PDF); a Word or Excel file (OOXML) is a ZIP holding `[Content_Types].xml` and
`word/document.xml` or `xl/workbook.xml` (and no macros). Anything else is refused with a
message naming the file. A ZIP is only read for its directory, never unpacked; one declaring
more than `ZIP_MAX_UNPACKED` bytes or `ZIP_MAX_ENTRIES` members is refused, so that no zip
bomb is handed on to whoever opens it.

Files are stored by the default storage in MEDIA_ROOT, outside the web root, under a random
name (`models.attachment_upload_to`). The uploader's file name is kept, cleaned
(`display_name`), for display and download only (`content_disposition`). Nothing serves
MEDIA_ROOT: a file is sent only by the view that first calls `attachment_access`.
"""

import hashlib
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any, cast
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.http import Http404
from django.utils.translation import gettext as _

from dondoc.tracking.access import document_access, task_access
from dondoc.tracking.models import Attachment, Task

MB = 1024 * 1024
ZIP_MAX_UNPACKED = 200 * MB  # what a Word or Excel file's members may add up to, unpacked
ZIP_MAX_ENTRIES = 5_000
NAME_MAX = 200  # characters of a file name kept for display
FALLBACK_NAME = "tep-dinh-kem"

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
CONTENT_TYPES_PART = "[Content_Types].xml"
MACRO_PART = "vbaproject.bin"  # macro-enabled Word/Excel (.docm, .xlsm) hide code here


@dataclass(frozen=True)
class Kind:
    content_type: str
    extension: str
    label: str


PDF = Kind("application/pdf", ".pdf", "PDF")
DOCX = Kind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".docx",
    "Word (.docx)",
)
XLSX = Kind(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xlsx",
    "Excel (.xlsx)",
)
DOCUMENT_KINDS = (PDF, DOCX)
EVIDENCE_KINDS = (PDF, DOCX, XLSX)
KINDS_BY_TYPE = {kind.content_type: kind for kind in EVIDENCE_KINDS}
OOXML_MAIN_PARTS = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml"}

# Characters Windows or a Content-Disposition header cannot take in a file name.
_UNSAFE = str.maketrans(dict.fromkeys('<>:"/\\|?*', "_"))


def max_bytes() -> int:
    """The largest file accepted: `ATTACHMENT_MAX_MB` megabytes (20 unless set)."""
    return int(getattr(settings, "ATTACHMENT_MAX_MB", 20)) * MB


# Checking ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Content:
    """What a file holds, as far as its first bytes and (for a ZIP) its directory tell."""

    kind: Kind | None  # None: not a PDF, Word or Excel file
    unpacked: int = 0  # the bytes a ZIP declares its members hold, in all
    entries: int = 0  # a ZIP's members


@dataclass(frozen=True)
class CheckedFile:
    name: str  # cleaned, for display and download
    kind: Kind
    size: int
    sha256: str


def check_file(file: "File[Any]", kinds: Sequence[Kind]) -> CheckedFile:
    """The file's cleaned name, detected type, size and sha256 if it may be kept as one of
    `kinds`; otherwise a `ValidationError` naming the file."""
    name = display_name(file.name or "")
    size = file.size or 0
    if size == 0:
        raise _refuse(_("Tệp “%(name)s” không có nội dung."), "file_empty", name=name)
    if size > max_bytes():
        raise _refuse(
            _("Tệp “%(name)s” có dung lượng %(size)s MB, vượt quá mức tối đa %(limit)s MB."),
            "file_too_large",
            name=name,
            size=f"{size / MB:.1f}".replace(".", ","),
            limit=max_bytes() // MB,
        )
    content = inspect(file)
    if content.kind is None or content.kind not in kinds:
        raise _refuse(
            _("Tệp “%(name)s” không được nhận: nội dung tệp không phải %(kinds)s."),
            "file_type",
            name=name,
            kinds=kinds_text(kinds),
        )
    if content.unpacked > ZIP_MAX_UNPACKED or content.entries > ZIP_MAX_ENTRIES:
        raise _refuse(
            _(
                "Tệp “%(name)s” không được nhận: nội dung khi giải nén quá lớn "
                "(trên %(limit)s MB) hoặc có quá nhiều thành phần."
            ),
            "file_unpacked_too_large",
            name=name,
            limit=ZIP_MAX_UNPACKED // MB,
        )
    digest, counted = _sha256(file)
    return CheckedFile(name=name, kind=content.kind, size=counted, sha256=digest)


def inspect(file: "File[Any]") -> Content:
    """Read the type from the content: the first bytes, and a ZIP's directory (not unpacked)."""
    file.seek(0)
    head = file.read(max(len(PDF_MAGIC), len(ZIP_MAGIC)))
    if head.startswith(PDF_MAGIC):
        return _pdf(cast(IO[bytes], file))
    if not head.startswith(ZIP_MAGIC):  # a ZIP at the start, not one glued after an .exe
        return Content(None)
    return _ooxml(cast(IO[bytes], file))


def _pdf(file: IO[bytes]) -> Content:
    """A PDF if pypdf finds its cross-reference table and at least one page (leniently, as
    readers do: scanners write slightly broken files)."""
    from pypdf import PdfReader  # here: every process loads this module, few read a PDF

    file.seek(0)
    try:
        reader = PdfReader(file, strict=False)
        if reader.is_encrypted:
            reader.decrypt("")  # opens without a password, or is refused below
        pages = len(reader.pages)
    except Exception:  # whatever pypdf raises on a file it cannot read: not a PDF we can keep
        return Content(None)
    finally:
        file.seek(0)
    return Content(PDF if pages > 0 else None)


def _ooxml(file: IO[bytes]) -> Content:
    file.seek(0)
    if not zipfile.is_zipfile(file):
        return Content(None)
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return Content(None)
    names = {member.filename for member in members}
    unpacked = sum(member.file_size for member in members)
    kind = next((k for k, part in OOXML_MAIN_PARTS.items() if part in names), None)
    macros = any(name.lower().endswith(MACRO_PART) for name in names)
    if CONTENT_TYPES_PART not in names or macros:
        kind = None
    return Content(kind, unpacked=unpacked, entries=len(members))


def _sha256(file: "File[Any]") -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for chunk in file.chunks():  # from the start
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    return digest.hexdigest(), size


def kinds_text(kinds: Sequence[Kind]) -> str:
    """The kinds as a message names them: PDF, Word (.docx) hoặc Excel (.xlsx)."""
    labels = [kind.label for kind in kinds]
    if len(labels) < 2:
        return "".join(labels)
    return _("%(first)s hoặc %(last)s") % {"first": ", ".join(labels[:-1]), "last": labels[-1]}


def _refuse(message: str, code: str, **params: Any) -> ValidationError:
    return ValidationError(message, code=code, params=params)


# Names -------------------------------------------------------------------------------------


def display_name(raw: str) -> str:
    """The uploader's file name, safe to show and to send back: NFC (a Mac sends Vietnamese
    decomposed), no folders, no control or direction-override characters, none that Windows
    refuses, at most `NAME_MAX` characters with the extension kept."""
    name = unicodedata.normalize("NFC", raw).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(" " if unicodedata.category(char)[0] == "C" else char for char in name)
    name = " ".join(name.translate(_UNSAFE).split()).strip(" .")
    if len(name) > NAME_MAX:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = f"{stem[: NAME_MAX - len(extension) - 1].rstrip()}.{extension}"
        else:
            name = name[:NAME_MAX].rstrip()
    return name or FALLBACK_NAME


def download_name(attachment: Attachment) -> str:
    """The name to download under, ending with the extension of the detected type (a PDF sent
    as "bao-cao.exe" comes back as "bao-cao.exe.pdf")."""
    name = attachment.original_name or FALLBACK_NAME
    kind = KINDS_BY_TYPE.get(attachment.content_type)
    if kind is not None and not name.lower().endswith(kind.extension):
        name += kind.extension
    return name


def ascii_name(name: str) -> str:
    """The name without diacritics, for clients that ignore `filename*`."""
    folded = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    plain = folded.encode("ascii", "ignore").decode("ascii").translate(_UNSAFE)
    plain = " ".join(plain.split())
    stem, dot, extension = plain.rpartition(".")
    if not plain or (dot and not stem.strip()):
        return f"{FALLBACK_NAME}{dot}{extension}"
    return plain


def content_disposition(name: str) -> str:
    """`attachment` with an ASCII `filename` and the exact name as RFC 5987 `filename*`."""
    return f"attachment; filename=\"{ascii_name(name)}\"; filename*=UTF-8''{quote(name, safe='')}"


# Reading -----------------------------------------------------------------------------------


def evidence_by_report(task: Task) -> dict[int, list[Attachment]]:
    """The evidence files of a task's progress reports, by report id: one query, however many
    reports (the task page's query count does not grow with its history)."""
    files: dict[int, list[Attachment]] = {}
    for attachment in Attachment.objects.filter(report__task=task).order_by("uploaded_at", "id"):
        if attachment.report_id is not None:
            files.setdefault(attachment.report_id, []).append(attachment)
    return files


# Access ------------------------------------------------------------------------------------


def attachment_access(user: Any, pk: int) -> Attachment:
    """The file if `user` may open its parent: a document's file needs the document (clearance),
    evidence needs the report's task (agency and clearance). 404 otherwise, as for a file that
    does not exist."""
    attachment = Attachment.objects.select_related("report").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    if attachment.document_id is not None:
        document_access(user, attachment.document_id)
    elif attachment.report is not None:
        task_access(user, attachment.report.task_id)
    else:  # the check constraint forbids it
        raise Http404
    return attachment
