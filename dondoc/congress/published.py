"""The agenda as published to the delegates (`AgendaPublication.agenda`): what changed between
two snapshots, one line each in Vietnamese as delegates read it, and which sessions of a
snapshot a reader is shown (a closed session only to those entitled, `access.py`)."""

import dataclasses
from collections.abc import Sequence
from typing import Any

from dondoc.congress.models import SessionKind

ItemSpec = tuple[str, str, int]  # title, presenter, minutes
Snapshot = list[dict[str, Any]]


def agenda_changes(where: str, before: Sequence[ItemSpec], after: Sequence[ItemSpec]) -> list[str]:
    """What changed in a session's items, one line each, in Vietnamese as delegates read it."""
    old = {title: (presenter, minutes) for title, presenter, minutes in before}
    new = {title: (presenter, minutes) for title, presenter, minutes in after}
    lines = [f"{where}: bỏ «{title}»" for title in old if title not in new]
    lines += [
        f"{where}: thêm «{title}» ({new[title][1]} phút)" for title in new if title not in old
    ]
    for title in new.keys() & old.keys():
        (p0, m0), (p1, m1) = old[title], new[title]
        if m0 != m1:
            lines.append(
                f"{where}: «{title}» từ {m0} còn {m1} phút"
                if m1 < m0
                else f"{where}: «{title}» từ {m0} lên {m1} phút"
            )
        if p0 != p1:
            lines.append(f"{where}: «{title}» do {p1 or '—'} trình bày (trước: {p0 or '—'})")
    if not lines and [t for t, _p, _m in before] != [t for t, _p, _m in after]:
        lines.append(f"{where}: đổi thứ tự các mục")
    return lines


def _speech_key(speech: dict[str, Any]) -> tuple[str, str]:
    return speech["delegation"], speech["title"]


def speech_changes(
    where: str, before: list[dict[str, Any]], after: list[dict[str, Any]]
) -> list[str]:
    """What changed in a session's selected oral speeches (tham luận), one line each."""
    old = {_speech_key(s): s for s in before}
    new = {_speech_key(s): s for s in after}
    lines = [f"{where}: bỏ tham luận «{t}» ({d})" for d, t in old if (d, t) not in new]
    lines += [
        f"{where}: thêm tham luận «{t}» ({d}, {new[d, t]['minutes']} phút)"
        for d, t in new
        if (d, t) not in old
    ]
    for key in [k for k in new if k in old]:
        was, now = old[key], new[key]
        if was["minutes"] != now["minutes"]:
            lines.append(
                f"{where}: tham luận «{key[1]}» từ {was['minutes']} thành {now['minutes']} phút"
            )
        if was["speaker"] != now["speaker"]:
            lines.append(
                f"{where}: tham luận «{key[1]}» do {now['speaker'] or '—'} trình bày "
                f"(trước: {was['speaker'] or '—'})"
            )
    if not lines and [_speech_key(s) for s in before] != [_speech_key(s) for s in after]:
        lines.append(f"{where}: đổi thứ tự các tham luận")
    return lines


def publication_changes(old: Snapshot, new: Snapshot) -> list[str]:
    """What changed between two published agendas, one line each as delegates read it."""
    before = {s["session"]: s for s in old}
    lines: list[str] = []
    for session in new:
        was = before.pop(session["session"], None)
        where = session["label"]
        if was is None:
            lines.append(f"Thêm phiên: {where}")
            continue
        if was["kind"] != session["kind"]:
            lines.append(f"{where}: nay là {session['kind_label']} (trước: {was['kind_label']})")

        def spec(items: list[dict[str, Any]]) -> list[ItemSpec]:
            return [(i["title"], i["presenter"], i["minutes"]) for i in items]

        lines += agenda_changes(where, spec(was["items"]), spec(session["items"]))
        docs = {i["title"]: i["document"] for i in was["items"]}
        lines += [
            f"{where}: «{i['title']}» có tài liệu mới ({i['document_name']})"
            for i in session["items"]
            if i["title"] in docs and i["document"] and docs[i["title"]] != i["document"]
        ]
        # a publication made before the speeches were published has none
        lines += speech_changes(where, was.get("speeches", []), session.get("speeches", []))
    lines += [f"Bỏ phiên: {s['label']}" for s in before.values()]
    return lines


def open_sessions(agenda: Snapshot) -> Snapshot:
    """The sessions of a published agenda less the closed ones (phiên họp kín)."""
    return [s for s in agenda if s["kind"] != SessionKind.CLOSED]


@dataclasses.dataclass(frozen=True)
class Audience:
    """Whom a new publication concerns, decided by what changed between two snapshots:
    `everyone` for a change every delegate reads (a session added or removed, a session's
    kind, an item of an open session: its title, minutes, presenter, order, document);
    `entitled` for a change of a closed session's items (only those who read closed sessions);
    `delegations` (names) whose selected speeches changed in an open session, and
    `entitled_delegations` those whose speeches changed in a closed one (their entitled
    members)."""

    everyone: bool = False
    entitled: bool = False
    delegations: frozenset[str] = frozenset()
    entitled_delegations: frozenset[str] = frozenset()


def _speech_delegations(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> set[str]:
    """The delegations whose speeches in a session were added, removed, given other minutes or
    another speaker, or moved in the order."""
    old = {_speech_key(s): s for s in before}
    new = {_speech_key(s): s for s in after}
    changed = set(old.keys() ^ new.keys())
    for key in old.keys() & new.keys():
        was, now = old[key], new[key]
        if was["minutes"] != now["minutes"] or was["speaker"] != now["speaker"]:
            changed.add(key)
    kept_old = [k for k in (_speech_key(s) for s in before) if k in new]
    kept_new = [k for k in (_speech_key(s) for s in after) if k in old]
    changed |= {a for a, b in zip(kept_old, kept_new, strict=True) if a != b}
    return {delegation for delegation, _title in changed}


def publication_audience(old: Snapshot, new: Snapshot) -> Audience:
    """Whom the change from `old` to `new` concerns (see `Audience`)."""
    before = {s["session"]: s for s in old}
    after = {s["session"]: s for s in new}
    everyone = entitled = False
    delegations: set[str] = set()
    closed_delegations: set[str] = set()
    for pk in before.keys() | after.keys():
        was, now = before.get(pk), after.get(pk)
        if was is None or now is None:
            closed = (was or now or {}).get("kind") == SessionKind.CLOSED
            everyone |= not closed
            entitled |= closed
            continue
        if was["kind"] != now["kind"]:
            everyone = True
            continue
        closed = now["kind"] == SessionKind.CLOSED
        items = [
            (i["title"], i["presenter"], i["minutes"], i["document"]) for i in was["items"]
        ] != [(i["title"], i["presenter"], i["minutes"], i["document"]) for i in now["items"]]
        if items:
            everyone |= not closed
            entitled |= closed
        speakers = _speech_delegations(was.get("speeches", []), now.get("speeches", []))
        (closed_delegations if closed else delegations).update(speakers)
    return Audience(everyone, entitled, frozenset(delegations), frozenset(closed_delegations))
