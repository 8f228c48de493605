"""The reference hierarchy of agencies, loaded from `shared/data/agencies.json`.

What the file holds, and what becomes of it:

- `issuing_bodies`: the leadership bodies that issue documents (Ban Chấp hành Trung ương,
  Bộ Chính trị, Ban Bí thư, Tổng Bí thư, Thường trực Ban Bí thư, Chính phủ, Thủ tướng Chính
  phủ), kind `leadership`. The Central Committee (BCHTW) is the root of the party hierarchy;
  the Government (CP) of the state one.
- `central_bodies`: the central party bodies (ban, văn phòng, ủy ban), under BCHTW, coded by
  their document symbol. Those `formed_from` older bodies start on `formed_on`; the older
  bodies end the day before, linked by a merge (several) or rename (one) reorganization.
- `party_committees_under_central_committee_created_YYYY_MM` and
  `other_party_committees_under_central_committee`: party committees directly under the
  Central Committee (created on the first day of that month, for the former).
- `dissolved_YYYY_MM`: bodies dissolved in that month, ending the day before its first day,
  with one dissolution reorganization.
- `provinces_from_2025_07_01`: the 34 provinces and centrally run cities (their party
  committees, tỉnh ủy / thành ủy, under BCHTW). Each keeps its identity; the former provinces
  `merged` into it end on 30/06/2025 and are linked to it by a merge reorganization effective
  01/07/2025 (Nghị quyết 60-NQ/TW of the 11th plenum, 12/04/2025).

The file gives some dates only to the month: they are taken as that month's first day. It has
no ministries' party committees, so none are loaded. Codes are short upper-case ASCII: the
document symbol where the file has one, the initials of the name otherwise ("Trung ương"
giving "TW": "Đảng ủy Quốc hội" is DUQH), and the unaccented name for provinces (HANOI).

Loading is idempotent: agencies are matched by code (`update_or_create`), names, kinds and
parents are brought back to the file's, reference dates set; dates an administrator gave to
agencies the file has no dates for are kept. Reorganizations are matched by kind, date and
their first predecessor.
"""

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from dondoc.agencies.models import Agency, AgencyKind, Reorganization, ReorganizationKind
from dondoc.agencies.services import work_transfer
from dondoc.audit.services import audit_record
from dondoc.core.text import search_key

DEFAULT_PATH = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "agencies.json"

CENTRAL_COMMITTEE = "BCHTW"
PROVINCES_MERGED_ON = dt.date(2025, 7, 1)
PROVINCES_DECISION = "60-NQ/TW"

ONE_DAY = dt.timedelta(days=1)

# Leadership bodies: which one each sits under (the others are roots), and the codes and short
# names that initials would not give.
LEADERSHIP_PARENTS = {
    "Bộ Chính trị": "Ban Chấp hành Trung ương",
    "Ban Bí thư": "Ban Chấp hành Trung ương",
    "Tổng Bí thư": "Ban Chấp hành Trung ương",
    "Thường trực Ban Bí thư": "Ban Bí thư",
    "Thủ tướng Chính phủ": "Chính phủ",
}
CODES = {"Thủ tướng Chính phủ": "TTG", "Thành phố Hồ Chí Minh": "HCM", "Bà Rịa - Vũng Tàu": "BRVT"}
SHORT_NAMES = {"Thủ tướng Chính phủ": "TTg", "Thành phố Hồ Chí Minh": "TP. Hồ Chí Minh"}


def initials_code(name: str) -> str:
    """ "Đảng ủy Công an Trung ương" -> "DUCATW": initials, with "Trung ương" as "TW"."""
    if name in CODES:
        return CODES[name]
    words = re.findall(r"[a-z0-9]+", search_key(name))
    letters = []
    while words:
        if words[:2] == ["trung", "uong"]:
            letters.append("tw")
            del words[:2]
        else:
            letters.append(words.pop(0)[0])
    return "".join(letters).upper()


def province_code(name: str) -> str:
    """ "Hà Nội" -> "HANOI": the name without accents, spaces or punctuation."""
    return CODES.get(name) or re.sub(r"[^a-z0-9]", "", search_key(name)).upper()


def _month_start(year_month: str) -> dt.date:
    """ "2025-01" or "2025_01" -> 1 January 2025."""
    year, month = re.split(r"[-_]", year_month)
    return dt.date(int(year), int(month), 1)


def _keys_dated(data: dict[str, Any], prefix: str) -> Iterable[tuple[dt.date, list[str]]]:
    for key, names in data.items():
        if key.startswith(prefix):
            yield _month_start(key.removeprefix(prefix)), names


@dataclass
class _Loader:
    created: int = 0
    events_created: int = 0
    by_code: dict[str, Agency] = field(default_factory=dict)

    def agency(
        self,
        code: str,
        name: str,
        kind: str,
        parent: str | None = CENTRAL_COMMITTEE,
        *,
        short_name: str = "",
        valid_from: dt.date | None = None,
        valid_to: dt.date | None = None,
    ) -> Agency:
        if code in self.by_code and self.by_code[code].name != name:
            raise ValueError(f"{name!r} and {self.by_code[code].name!r} would share code {code}.")
        values: dict[str, Any] = {
            "name": name,
            "short_name": short_name,
            "kind": kind,
            "parent": self._loaded(parent) if parent else None,
        }
        if valid_from is not None:
            values["valid_from"] = valid_from
        if valid_to is not None:
            values["valid_to"] = valid_to
        agency, created = Agency.objects.update_or_create(code=code, defaults=values)
        self.created += created
        self.by_code[code] = agency
        return agency

    def _loaded(self, code: str) -> Agency:
        if code not in self.by_code:
            raise ValueError(f"The file does not describe {code}, which other agencies sit under.")
        return self.by_code[code]

    def event(
        self,
        kind: str,
        effective_on: dt.date,
        predecessors: list[Agency],
        successors: list[Agency],
        decision: str = "",
    ) -> None:
        reorganization = Reorganization.objects.filter(
            kind=kind, effective_on=effective_on, predecessors=predecessors[0]
        ).first()
        created = reorganization is None
        if reorganization is None:
            reorganization = Reorganization.objects.create(
                kind=kind, effective_on=effective_on, decision=decision
            )
        reorganization.predecessors.set(predecessors)
        reorganization.successors.set(successors)
        if created:
            self.events_created += 1
            work_transfer(None, reorganization)  # loaded by the system, not by a person

    def leadership(self, names: list[str]) -> None:
        def depth(name: str) -> int:
            parent = LEADERSHIP_PARENTS.get(name)
            return 0 if parent is None else 1 + depth(parent)

        for name in sorted(names, key=depth):  # each body after the one it sits under
            code = initials_code(name)
            parent = LEADERSHIP_PARENTS.get(name)
            self.agency(
                code,
                name,
                AgencyKind.LEADERSHIP,
                initials_code(parent) if parent else None,
                short_name=SHORT_NAMES.get(name, code),
            )

    def central_bodies(self, bodies: list[dict[str, Any]]) -> None:
        for body in bodies:
            formed_on = _month_start(body["formed_on"]) if "formed_on" in body else None
            agency = self.agency(
                body.get("symbol_code") or body["short"],
                body["name"],
                AgencyKind.CENTRAL_BODY,
                short_name=body.get("short", ""),
                valid_from=formed_on,
            )
            if formed_on is None or not body.get("formed_from"):
                continue
            predecessors = [
                self.agency(
                    initials_code(name),
                    name,
                    AgencyKind.CENTRAL_BODY,
                    valid_to=formed_on - ONE_DAY,
                )
                for name in body["formed_from"]
            ]
            kind = ReorganizationKind.MERGE if len(predecessors) > 1 else ReorganizationKind.RENAME
            self.event(kind, formed_on, predecessors, [agency])

    def party_committees(self, data: dict[str, Any]) -> None:
        prefix = "party_committees_under_central_committee_created_"
        for created_on, names in _keys_dated(data, prefix):
            for name in names:
                code = initials_code(name)
                self.agency(code, name, AgencyKind.CENTRAL_PARTY_COMMITTEE, valid_from=created_on)
        for name in data.get("other_party_committees_under_central_committee", []):
            self.agency(initials_code(name), name, AgencyKind.CENTRAL_PARTY_COMMITTEE)

    def dissolved(self, data: dict[str, Any]) -> None:
        for dissolved_on, names in _keys_dated(data, "dissolved_"):
            ended = [
                self.agency(
                    initials_code(name),
                    name,
                    AgencyKind.CENTRAL_BODY
                    if name.startswith("Ban ")
                    else AgencyKind.CENTRAL_PARTY_COMMITTEE,
                    valid_to=dissolved_on - ONE_DAY,
                )
                for name in names
            ]
            if ended:
                self.event(ReorganizationKind.DISSOLVE, dissolved_on, ended, [])

    def provinces(self, groups: dict[str, Any]) -> None:
        for group, committee in (("centrally_run_cities", "Thành ủy"), ("provinces", "Tỉnh ủy")):
            for unit in groups[group]:
                successor = self.province(unit["name"], committee)
                former = [
                    self.province(name, "Tỉnh ủy", valid_to=PROVINCES_MERGED_ON - ONE_DAY)
                    for name in unit.get("merged", [])
                ]
                if former:
                    self.event(
                        ReorganizationKind.MERGE,
                        PROVINCES_MERGED_ON,
                        former,
                        [successor],
                        PROVINCES_DECISION,
                    )

    def province(self, name: str, committee: str, *, valid_to: dt.date | None = None) -> Agency:
        return self.agency(
            province_code(name),
            f"{committee} {name}",
            AgencyKind.PROVINCE,
            short_name=SHORT_NAMES.get(name, name),
            valid_to=valid_to,
        )


def load_reference_agencies(path: Path) -> int:
    """Create or update the reference agencies and reorganizations described by the JSON file
    at `path` (see the module's docstring), in one transaction; returns how many agencies were
    created (0 when loading the same file again)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    loader = _Loader()
    with transaction.atomic():
        loader.leadership(data["issuing_bodies"])
        loader.central_bodies(data["central_bodies"])
        loader.party_committees(data)
        loader.dissolved(data)
        loader.provinces(data["provinces_from_2025_07_01"])
        if loader.created or loader.events_created:
            audit_record(
                None,
                "agency.load_reference",
                "agencies.reference",
                {
                    "source": [None, path.name],
                    "agencies_created": [None, loader.created],
                    "reorganizations_created": [None, loader.events_created],
                },
            )
    return loader.created
