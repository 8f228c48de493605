"""Writing the audit log and checking that nobody has rewritten it.

Record a change with `audit_record` inside the service's own `transaction.atomic()` block,
after the data changes it describes: the entry then commits or rolls back with them. Appending
takes the chain head's row lock (PostgreSQL) or the write lock (SQLite) until the caller's
transaction ends, so audited writes are serialized; keep those transactions short, and take
the head last, after the locks on the audited rows, so writers never wait on each other in
opposite orders.
"""

import datetime as dt
import decimal
import enum
import hashlib
import hmac
import json
import logging
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from dondoc.audit.models import GENESIS_HASH, HEAD_ID, AuditChainHead, AuditEntry

Actor = AbstractBaseUser | AnonymousUser | None
Changes = dict[str, list[Any]]

VERIFY_BATCH_SIZE = 2000

log = logging.getLogger("dondoc.audit")


class AuditChainError(Exception):
    """The chain cannot be extended: its head is missing while entries exist."""


# ---------------------------------------------------------------------------------------------
# Values and diffs


def jsonable(value: Any) -> Any:
    """A JSON value that survives a round trip through SQLite and PostgreSQL jsonb unchanged.

    Dates, times, decimals and UUIDs become ISO / plain strings, model instances "name (#pk)",
    choices their value. Floats become strings too: jsonb rewrites 1e16 as an integer, which
    would change the entry's hash.
    """
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, float | decimal.Decimal | uuid.UUID | Promise):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, models.Model):
        return f"{value} (#{value.pk})"
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((jsonable(item) for item in value), key=str)
    if isinstance(value, Iterable):
        return [jsonable(item) for item in value]
    return str(value)


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> Changes:
    """The fields whose value differs, as {field: [before, after]}; a missing field is None."""
    changes: Changes = {}
    for field in sorted(before.keys() | after.keys()):
        old, new = jsonable(before.get(field)), jsonable(after.get(field))
        if old != new:
            changes[field] = [old, new]
    return changes


def _clean_changes(changes: Mapping[str, Any]) -> Changes:
    cleaned: Changes = {}
    for field, pair in jsonable(changes).items():
        if not isinstance(pair, list) or len(pair) != 2:
            raise ValueError(f"Change of {field!r} must be a [before, after] pair, not {pair!r}.")
        cleaned[field] = pair
    # What the database hands back later must hash the same: refuse NaN, normalize containers.
    result: Changes = json.loads(json.dumps(cleaned, allow_nan=False))
    return result


# ---------------------------------------------------------------------------------------------
# Hashing


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(
    *,
    seq: int,
    at: dt.datetime,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    object_repr: str,
    changes: Any,
    agency_id: int | None,
    prev_hash: str,
) -> str:
    """HMAC-SHA256 (hex), keyed with `settings.AUDIT_KEY`, of the canonical JSON of an entry's
    content and its predecessor's hash: whoever can write the database but not read the key
    cannot forge an entry."""
    return _mac(_entry_content(**locals()))


def legacy_entry_hash(**fields: Any) -> str:
    """The plain sha256 that entries were chained with before the chain was keyed: what
    `audit_rechain` accepts, once, in a log written before then."""
    return hashlib.sha256(_entry_content(**fields).encode("utf-8")).hexdigest()


def _entry_content(
    *,
    seq: int,
    at: dt.datetime,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    object_repr: str,
    changes: Any,
    agency_id: int | None,
    prev_hash: str,
) -> str:
    content = {
        "seq": seq,
        "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_label": actor_label,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "object_repr": object_repr,
        "changes": changes,
        "agency_id": agency_id,
        "prev_hash": prev_hash,
    }
    return canonical_json(content)


def _mac(text: str) -> str:
    key = settings.AUDIT_KEY.encode("utf-8")
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


HASHED_FIELDS = (
    "seq",
    "at",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
    "agency_id",
    "prev_hash",
)


# ---------------------------------------------------------------------------------------------
# Recording


@dataclass(frozen=True)
class _ObjectRef:
    type: str
    id: str
    repr: str


def _object_ref(obj_or_label: models.Model | str) -> _ObjectRef:
    if isinstance(obj_or_label, str):
        if not obj_or_label:
            raise ValueError("An audit entry needs an object or a label.")
        return _ObjectRef(obj_or_label[:100], "", "")
    if obj_or_label.pk is None:
        raise ValueError("Record an audit entry for a deletion before calling delete().")
    return _ObjectRef(
        obj_or_label._meta.label_lower, str(obj_or_label.pk)[:64], jsonable(str(obj_or_label))[:255]
    )


def _create_missing_head() -> None:
    """Recreate the head of an empty log (a test's flush empties every table)."""
    if AuditEntry.objects.exists():
        raise AuditChainError(
            "The audit chain head is missing while entries exist; run `dondoc audit verify`."
        )
    try:
        with transaction.atomic():
            AuditChainHead.objects.create(id=HEAD_ID, seq=0, hash=GENESIS_HASH)
    except IntegrityError:
        pass  # a concurrent writer created it first


def chain_head_hold() -> None:
    """Take the chain head's lock now, in the caller's transaction (a no-op when it already
    holds it). A service that locks shared rows of its own after its audit entry calls this
    first, so every writer takes the head before those rows and none waits in a circle."""
    if not AuditChainHead.objects.select_for_update().filter(pk=HEAD_ID).exists():
        _create_missing_head()
        AuditChainHead.objects.select_for_update().filter(pk=HEAD_ID).exists()


def _claim_next_seq() -> AuditChainHead:
    """Advance the head by one, taking its lock first; return it (seq = the new entry's)."""
    claim = AuditChainHead.objects.filter(pk=HEAD_ID)
    if not claim.update(seq=F("seq") + 1):
        _create_missing_head()
        claim.update(seq=F("seq") + 1)
    return AuditChainHead.objects.get(pk=HEAD_ID)


def audit_record(
    actor: Actor,
    action: str,
    obj_or_label: models.Model | str,
    changes: Mapping[str, Any],
    *,
    agency_id: int | None = None,
) -> AuditEntry:
    """Append one entry: `actor` (None for system jobs) did `action` to a model instance, or to
    what a label such as "accounts.session" names, changing fields as {field: [before, after]}
    (see `diff`). `agency_id` is the agency whose staff may later be shown the entry.
    """
    if not action or len(action) > 32:
        raise ValueError(f"An audit action is a short code (1-32 characters), not {action!r}.")
    ref = _object_ref(obj_or_label)
    cleaned = _clean_changes(changes)
    user = actor if isinstance(actor, AbstractBaseUser) and actor.is_authenticated else None
    with transaction.atomic():
        head = _claim_next_seq()
        entry = AuditEntry(
            seq=head.seq,
            at=timezone.now(),
            actor_id=user.pk if user else None,
            actor_label=user.get_username() if user else "",
            action=action,
            object_type=ref.type,
            object_id=ref.id,
            object_repr=ref.repr,
            changes=cleaned,
            agency_id=agency_id,
            prev_hash=head.hash,
        )
        entry.hash = entry_hash(**{name: getattr(entry, name) for name in HASHED_FIELDS})
        entry.save()
        AuditChainHead.objects.filter(pk=HEAD_ID).update(hash=entry.hash)
    return entry


@dataclass(frozen=True)
class Change:
    """One entry of `audit_record_many`: what `audit_record` takes after the action."""

    obj: models.Model
    changes: Mapping[str, Any]
    agency_id: int | None = None


AUDIT_BATCH_SIZE = 1000


def audit_record_many(actor: Actor, action: str, items: Sequence[Change]) -> int:
    """Append one entry per item, as `audit_record` would one by one, but claiming the
    sequence numbers with one UPDATE of the head and inserting in batches: a bulk service
    (10,000 tasks imported) keeps one entry per object at a small cost. Returns the count."""
    if not items:
        return 0
    if not action or len(action) > 32:
        raise ValueError(f"An audit action is a short code (1-32 characters), not {action!r}.")
    prepared = [(_object_ref(item.obj), _clean_changes(item.changes), item) for item in items]
    user = actor if isinstance(actor, AbstractBaseUser) and actor.is_authenticated else None
    at = timezone.now()
    with transaction.atomic():
        head = _claim_seqs(len(prepared))
        prev_hash, entries = head.hash, []
        for offset, (ref, cleaned, item) in enumerate(prepared):
            entry = AuditEntry(
                seq=head.seq - len(prepared) + 1 + offset,
                at=at,
                actor_id=user.pk if user else None,
                actor_label=user.get_username() if user else "",
                action=action,
                object_type=ref.type,
                object_id=ref.id,
                object_repr=ref.repr,
                changes=cleaned,
                agency_id=item.agency_id,
                prev_hash=prev_hash,
            )
            entry.hash = prev_hash = entry_hash(
                **{name: getattr(entry, name) for name in HASHED_FIELDS}
            )
            entries.append(entry)
        # The model's manager refuses bulk_create so that nobody bypasses the chaining above;
        # the plain base manager inserts what was chained here.
        AuditEntry._base_manager.bulk_create(entries, batch_size=AUDIT_BATCH_SIZE)
        AuditChainHead.objects.filter(pk=HEAD_ID).update(hash=prev_hash)
    return len(entries)


def _claim_seqs(count: int) -> AuditChainHead:
    """Advance the head by `count`, taking its lock first; its seq is then the last claimed."""
    claim = AuditChainHead.objects.filter(pk=HEAD_ID)
    if not claim.update(seq=F("seq") + count):
        _create_missing_head()
        claim.update(seq=F("seq") + count)
    return AuditChainHead.objects.get(pk=HEAD_ID)


# ---------------------------------------------------------------------------------------------
# Verifying


class Problem(enum.StrEnum):
    EDITED = "edited"  # the entry's content no longer matches its hash
    MISSING = "missing"  # a sequence number is skipped: an entry was deleted
    BROKEN_LINK = "broken_link"  # prev_hash is not the previous entry's hash
    HEAD_MISMATCH = "head_mismatch"  # the head disagrees with the last entry
    HEAD_MISSING = "head_missing"
    ANCHOR_MISMATCH = "anchor_mismatch"  # the log no longer holds the anchored entry as anchored
    ANCHOR_FORGED = "anchor_forged"  # an anchor line whose MAC is wrong


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    reason: str = ""
    problem: Problem | None = None


def _broken(checked: int, seq: int | None, problem: Problem, reason: str) -> VerifyResult:
    return VerifyResult(False, checked, seq, reason, problem)


def _entries_after(seq: int, batch_size: int) -> Iterator[dict[str, Any]]:
    rows = AuditEntry.objects.filter(seq__gt=seq).order_by("seq").values(*HASHED_FIELDS, "hash")
    yield from rows.iterator(chunk_size=batch_size)


def _check_entry(row: dict[str, Any], expected_seq: int, prev_hash: str) -> VerifyResult | None:
    checked = expected_seq - 1
    seq = row["seq"]
    if seq != expected_seq:
        return _broken(
            checked,
            expected_seq,
            Problem.MISSING,
            _("thiếu bản ghi số %(seq)d (bản ghi kế tiếp là số %(next)d): đã bị xóa")
            % {"seq": expected_seq, "next": seq},
        )
    if entry_hash(**{name: row[name] for name in HASHED_FIELDS}) != row["hash"]:
        return _broken(
            checked,
            seq,
            Problem.EDITED,
            _("nội dung bản ghi số %(seq)d không khớp mã băm: đã bị sửa hoặc đổi chỗ")
            % {"seq": seq},
        )
    if row["prev_hash"] != prev_hash:
        return _broken(
            checked,
            seq,
            Problem.BROKEN_LINK,
            _(
                "bản ghi số %(seq)d không nối tiếp bản ghi trước: "
                "bản ghi trước đã bị sửa, thay thế hoặc đổi chỗ"
            )
            % {"seq": seq},
        )
    return None


def _check_head(head: AuditChainHead | None, last_seq: int, last_hash: str) -> VerifyResult | None:
    """Compare the head, read after walking up to `last_seq`, with the last entry walked."""
    if head is None:
        if last_seq == 0:
            return None  # an empty log whose head a flush removed; audit_record recreates it
        return _broken(
            last_seq, None, Problem.HEAD_MISSING, _("không còn đầu chuỗi nhật ký: đã bị xóa")
        )
    if head.seq > last_seq:
        return _broken(
            last_seq,
            last_seq + 1,
            Problem.MISSING,
            _("đầu chuỗi ghi %(head)d bản ghi nhưng chỉ còn %(last)d: các bản ghi cuối đã bị xóa")
            % {"head": head.seq, "last": last_seq},
        )
    if head.seq < last_seq:
        return _broken(
            last_seq,
            head.seq + 1,
            Problem.HEAD_MISMATCH,
            _("bản ghi số %(seq)d trở đi không được ghi nhận ở đầu chuỗi: đã bị chèn thêm")
            % {"seq": head.seq + 1},
        )
    if head.hash != last_hash:
        return _broken(
            last_seq,
            last_seq,
            Problem.HEAD_MISMATCH,
            _("mã băm ở đầu chuỗi không khớp bản ghi cuối số %(seq)d") % {"seq": last_seq},
        )
    return None


def audit_verify(*, batch_size: int = VERIFY_BATCH_SIZE) -> VerifyResult:
    """Walk the whole chain in sequence order, `batch_size` rows at a time, and report the first
    entry that was edited, deleted or moved, or a head that disagrees with the last entry; then
    compare the log with the latest anchor (`audit_anchor`), which reveals a cut tail even when
    the head was moved back with it.

    Writers may append while the walk runs: when the head has moved past the last entry walked
    and newer entries exist, those are walked too, until the walk catches up with the head.
    """
    anchor = _latest_anchor()
    if isinstance(anchor, VerifyResult):
        return anchor
    anchored_hash: str | None = None
    last_seq, last_hash = 0, GENESIS_HASH
    while True:
        for row in _entries_after(last_seq, batch_size):
            problem = _check_entry(row, last_seq + 1, last_hash)
            if problem:
                return problem
            last_seq, last_hash = row["seq"], row["hash"]
            if anchor is not None and last_seq == anchor.seq:
                anchored_hash = last_hash
        head = AuditChainHead.objects.filter(pk=HEAD_ID).first()
        appended_meanwhile = head is not None and head.seq > last_seq
        if not (appended_meanwhile and AuditEntry.objects.filter(seq__gt=last_seq).exists()):
            return (
                _check_head(head, last_seq, last_hash)
                or _check_anchor(anchor, last_seq, anchored_hash)
                or VerifyResult(True, last_seq)
            )


# ---------------------------------------------------------------------------------------------
# Anchors: the head's number and hash, written outside the database


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    at: str

    def mac(self) -> str:
        return _mac(canonical_json({"seq": self.seq, "hash": self.hash, "at": self.at}))


def audit_anchor() -> Anchor:
    """Append the chain head (number and hash) to `settings.AUDIT_ANCHOR_FILE` and to the log.

    The file lives outside the database: an intruder who cuts the newest entries and moves the
    head back cannot move the anchor back, so `audit_verify` sees the cut. Each line carries its
    own HMAC, so a line cannot be forged without the key either."""
    head = AuditChainHead.objects.filter(pk=HEAD_ID).first()
    seq, hash_ = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    anchor = Anchor(seq, hash_, timezone.now().isoformat(timespec="seconds"))
    line = {"seq": anchor.seq, "hash": anchor.hash, "at": anchor.at, "mac": anchor.mac()}
    path = settings.AUDIT_ANCHOR_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as anchors:
        anchors.write(canonical_json(line) + "\n")
    log.info("audit anchor: seq=%s hash=%s at=%s", anchor.seq, anchor.hash, anchor.at)
    return anchor


def _latest_anchor() -> Anchor | VerifyResult | None:
    """The last anchor in the file, None without one, or the problem if its MAC is wrong."""
    path = settings.AUDIT_ANCHOR_FILE
    if not path.exists():
        return None
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not lines:
        return None
    try:
        data = json.loads(lines[-1])
        anchor = Anchor(int(data["seq"]), str(data["hash"]), str(data["at"]))
        genuine = hmac.compare_digest(anchor.mac(), str(data["mac"]))
    except (ValueError, KeyError, TypeError):
        genuine = False
    if not genuine:
        return _broken(
            0, None, Problem.ANCHOR_FORGED, _("mốc neo cuối cùng không hợp lệ: đã bị sửa")
        )
    return anchor


def _check_anchor(
    anchor: Anchor | None, last_seq: int, anchored_hash: str | None
) -> VerifyResult | None:
    if anchor is None or anchor.seq == 0:
        return None
    if last_seq < anchor.seq:
        return _broken(
            last_seq,
            last_seq + 1,
            Problem.ANCHOR_MISMATCH,
            _(
                "mốc neo lúc %(at)s ghi %(anchor)d bản ghi nhưng nhật ký chỉ còn %(last)d: "
                "các bản ghi từ số %(first)d đã bị xóa"
            )
            % {"at": anchor.at, "anchor": anchor.seq, "last": last_seq, "first": last_seq + 1},
        )
    if anchored_hash != anchor.hash:
        return _broken(
            last_seq,
            anchor.seq,
            Problem.ANCHOR_MISMATCH,
            _("bản ghi số %(seq)d không khớp mốc neo lúc %(at)s: đã bị thay thế")
            % {"seq": anchor.seq, "at": anchor.at},
        )
    return None
