"""Re-chaining, once, an audit log written before the chain was keyed (`dondoc audit rechain`).

Entries written before the HMAC key existed carry a plain sha256, so `audit_verify` reports
entry 1 as edited. `audit_rechain` checks that such a log is intact as it was written — a
prefix of unkeyed entries, then only keyed ones, every link and the head in place, and the
latest anchor, if any, still matching (a keyed entry's MAC covers every entry before it, so an
intruder who rewrote the prefix with plain hashes is caught) — and then, in one transaction,
recomputes every entry's MAC with the key, moves the head, appends an `audit_rechained` entry
saying who re-chained how many entries and from which old head, and writes a fresh anchor.
From then on the log verifies, and any later edit, deletion or cut is caught as before.

A log that already verifies is refused: there is nothing to re-chain. The rewrite lifts the
append-only triggers for its own transaction (PostgreSQL: ALTER TABLE … DISABLE TRIGGER, which
only the tables' owner may do, so run it with the migration role's DATABASE_URL).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils.translation import gettext as _

from dondoc.audit.models import GENESIS_HASH, HEAD_ID, AuditChainHead, AuditEntry
from dondoc.audit.services import (
    HASHED_FIELDS,
    Anchor,
    VerifyResult,
    _latest_anchor,
    audit_anchor,
    audit_record,
    entry_hash,
    legacy_entry_hash,
)

RECHAIN_ACTION = "audit_rechained"
BATCH_SIZE = 1000
TABLE = AuditEntry._meta.db_table


class RechainRefused(Exception):  # noqa: N818 - reads as the sentence it is
    """The log cannot (or need not) be re-chained; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class LegacyLog:
    """What a walk of the log found: `legacy` unkeyed entries followed by `keyed` ones."""

    legacy: int
    keyed: int
    head_hash: str


@dataclass(frozen=True)
class Rechained:
    entries: int
    legacy: int
    old_head_hash: str
    new_head_hash: str
    record_seq: int
    anchor: Anchor


def _rows(batch_size: int) -> Iterator[dict[str, Any]]:
    rows = AuditEntry.objects.order_by("seq").values(*HASHED_FIELDS, "hash")
    yield from rows.iterator(chunk_size=batch_size)


def audit_legacy_log(*, batch_size: int = BATCH_SIZE) -> LegacyLog:
    """Walk the log and describe it, or raise RechainRefused naming the first entry that is
    neither a legacy entry nor a keyed one in its place, a broken link, or a stale head."""
    anchor = _latest_anchor()
    if isinstance(anchor, VerifyResult):
        raise RechainRefused(anchor.reason)
    legacy = keyed = 0
    last_seq, last_hash, anchored_hash = 0, GENESIS_HASH, None
    for row in _rows(batch_size):
        seq = row["seq"]
        if seq != last_seq + 1:
            raise RechainRefused(_("thiếu bản ghi số %(seq)d") % {"seq": last_seq + 1})
        if row["prev_hash"] != last_hash:
            raise RechainRefused(
                _("bản ghi số %(seq)d không nối tiếp bản ghi trước") % {"seq": seq}
            )
        fields = {name: row[name] for name in HASHED_FIELDS}
        if entry_hash(**fields) == row["hash"]:
            keyed += 1
        elif not keyed and legacy_entry_hash(**fields) == row["hash"]:
            legacy += 1  # unkeyed entries only before the first keyed one
        else:
            raise RechainRefused(
                _("nội dung bản ghi số %(seq)d không khớp mã băm: đã bị sửa") % {"seq": seq}
            )
        last_seq, last_hash = seq, row["hash"]
        if anchor is not None and seq == anchor.seq:
            anchored_hash = last_hash
    head = AuditChainHead.objects.filter(pk=HEAD_ID).first()
    if head is None or (head.seq, head.hash) != (last_seq, last_hash):
        raise RechainRefused(_("đầu chuỗi nhật ký không khớp bản ghi cuối"))
    if anchor is not None and anchor.seq and anchored_hash != anchor.hash:
        raise RechainRefused(
            _("bản ghi số %(seq)d không khớp mốc neo lúc %(at)s")
            % {"seq": anchor.seq, "at": anchor.at}
        )
    return LegacyLog(legacy, keyed, last_hash)


def audit_rechain(operator: str, *, batch_size: int = BATCH_SIZE) -> Rechained:
    """Re-chain the log with the key, once (see the module's docstring). `operator` names who
    ran it; a user of that name, if there is one, is the new entry's actor."""
    with transaction.atomic():
        # Take the head's lock first: no entry is appended while the chain is rewritten.
        if AuditChainHead.objects.select_for_update().filter(pk=HEAD_ID).first() is None:
            raise RechainRefused(_("nhật ký trống: không có gì để nối lại"))
        found = audit_legacy_log(batch_size=batch_size)
        if not found.legacy:
            raise RechainRefused(
                _("chuỗi nhật ký đã được khóa bằng khóa bí mật: không có gì để nối lại")
            )
        new_head_hash = _rewrite(batch_size)
        AuditChainHead.objects.filter(pk=HEAD_ID).update(hash=new_head_hash)
        actor = get_user_model().objects.filter(username=operator).first()
        entries = found.legacy + found.keyed
        record = audit_record(
            actor,
            RECHAIN_ACTION,
            "audit.chain",
            {
                "operator": [None, operator],
                "entries": [None, entries],
                "legacy_entries": [None, found.legacy],
                "head_hash": [found.head_hash, new_head_hash],
            },
        )
    anchor = audit_anchor()  # after the commit: an anchor names only what the log holds
    return Rechained(entries, found.legacy, found.head_hash, new_head_hash, record.seq, anchor)


def _rewrite(batch_size: int) -> str:
    """Recompute every entry's MAC and link in sequence order; return the last hash."""
    prev_hash, batch = GENESIS_HASH, []
    with _triggers_lifted():
        for row in _rows(batch_size):
            row["prev_hash"] = prev_hash
            prev_hash = entry_hash(**{name: row[name] for name in HASHED_FIELDS})
            batch.append(AuditEntry(seq=row["seq"], prev_hash=row["prev_hash"], hash=prev_hash))
            if len(batch) >= batch_size:
                _save(batch)
                batch = []
        _save(batch)
    return prev_hash


def _save(batch: list[AuditEntry]) -> None:
    # The model's manager refuses bulk_update; the plain base manager writes what was chained.
    AuditEntry._base_manager.bulk_update(batch, ["prev_hash", "hash"])


class _triggers_lifted:  # noqa: N801 - used as a `with` statement
    """The append-only triggers off for the current transaction's rewrite, then on again; a
    failure rolls the whole transaction back, triggers included (DDL is transactional)."""

    def __enter__(self) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # ALTER TABLE refuses while deferred foreign-key checks are pending.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
                self.definitions: list[str] = []
            else:
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                    [TABLE],
                )
                found = cursor.fetchall()
                self.definitions = [sql for _name, sql in found]
                for name, _sql in found:
                    cursor.execute(f'DROP TRIGGER "{name}"')

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None:
            return  # the transaction rolls back and takes the change of triggers with it
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            else:
                for sql in self.definitions:
                    cursor.execute(sql)
