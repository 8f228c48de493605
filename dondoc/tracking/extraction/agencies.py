"""Finding agency names in pasted text: `AgencyMatcher`, and the agency groups.

The matcher is built once from (code, name, short name) rows and turns each name into the
spellings documents use for it, as sequences of folded words (see `folding`):

- the name itself, with "Trung ương" also as "TW" ("Ban Tổ chức TW"), without a final "Đảng"
  after "Trung ương" ("Văn phòng Trung ương"), without "và" ("Ban Tuyên giáo - Dân vận
  Trung ương"), "Ủy ban Kiểm tra" also as "UBKT" ("UBKT Trung ương");
- the short name when it is an abbreviation of four letters or more (BTCTW, VPTW), except
  right after "/" or "-", where it is part of a document symbol ("TB/VPTW");
- for a province's party committee ("Tỉnh ủy Quảng Ninh", "Thành ủy Thành phố Hồ Chí Minh"):
  "Tỉnh ủy", "Thành ủy", "Đảng bộ tỉnh", "Thành ủy TP." ... before the place name, and its
  initials for names of three words or more ("Thành ủy TP.HCM"); the bare place name ("Hải
  Phòng") is a *weak* mention, which the extractor accepts only inside a list that a province
  began ("Thành ủy Đà Nẵng, Hải Phòng, Cần Thơ"), so "tư tưởng Hồ Chí Minh" is never an agency;
- the extra spellings of `KNOWN_VARIANTS` and those passed in (names of agencies that merged
  into this one, for `from_database`).

Words, not characters, are compared, so punctuation and spacing do not matter ("Tp.HCM",
"Tp. HCM"), and the longest name starting at a word wins ("Thường trực Ban Bí thư" over "Ban
Bí thư", "Văn phòng Tổng Bí thư" over "Tổng Bí thư"). A few names of bodies that are not
agencies here ("Văn phòng Chính phủ" when the database has no such agency, "Chủ tịch Hồ Chí
Minh") are blockers: they consume their words so that no shorter name inside them matches.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from dondoc.tracking.extraction.folding import Folded, Token, fold_words

__all__ = ["GROUPS", "ISSUERS", "UNREGISTERED", "AgencyMatcher", "AgencyRef", "Mention"]


@dataclass(frozen=True)
class AgencyRef:
    code: str
    name: str

    @property
    def registered(self) -> bool:
        return self.code != UNREGISTERED


# The code of a body found by its name but not in the registry: shown by its words, unresolved.
UNREGISTERED = ""


Words = tuple[str, ...]


# Groups of agencies named together; a group is a lead or coordinator like an agency.
GROUPS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    # code: (name, spellings, weak spellings)
    "GROUP:PROVINCES": (
        "Các tỉnh ủy, thành ủy trực thuộc Trung ương",
        (
            "các tỉnh ủy, thành ủy",
            "các tỉnh ủy và thành ủy",
            "các thành ủy, tỉnh ủy",
            "các tỉnh, thành ủy",
            "các tỉnh ủy, thành ủy trực thuộc Trung ương",
            "cấp ủy các tỉnh, thành phố",
        ),
        (),
    ),
    "GROUP:CENTRAL_BODIES": (
        "Các ban, cơ quan đảng Trung ương",
        (
            "các ban đảng Trung ương",
            "các ban đảng",
            "các ban, cơ quan đảng Trung ương",
            "các ban đảng, cơ quan đảng Trung ương",
            "các cơ quan đảng Trung ương",
            "các cơ quan tham mưu, giúp việc Trung ương",
        ),
        (),
    ),
    "GROUP:CENTRAL_PARTY_COMMITTEES": (
        "Các đảng ủy trực thuộc Trung ương",
        ("các đảng ủy trực thuộc Trung ương", "đảng ủy trực thuộc Trung ương"),
        (),
    ),
    "GROUP:MINISTRIES": (
        "Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ",
        (
            "các bộ, ngành",
            "các bộ, ngành Trung ương",
            "các bộ, ngành, cơ quan Trung ương",
            "các bộ, cơ quan ngang bộ",
            "các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ",
        ),
        ("bộ, ngành",),
    ),
    "GROUP:LOCALITIES": (
        "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",
        (
            "các địa phương",
            "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",
            "Ủy ban nhân dân các tỉnh, thành phố",
            "UBND các tỉnh, thành phố",
            "các tỉnh, thành phố trực thuộc Trung ương",
            "các tỉnh, thành phố",
        ),
        ("địa phương",),
    ),
    "GROUP:PARTY_ORGANIZATIONS": (
        "Các cấp ủy, tổ chức đảng",
        ("các cấp ủy, tổ chức đảng", "cấp ủy, tổ chức đảng các cấp", "các cấp ủy đảng"),
        (),
    ),
}

# Leadership bodies that issue documents: never a lead or a coordinator of what they assign.
ISSUERS: frozenset[Words] = frozenset(
    fold_words(name)
    for name in (
        "Ban Chấp hành Trung ương",
        "Bộ Chính trị",
        "Ban Bí thư",
        "Tổng Bí thư",
        "Thường trực Ban Bí thư",
        "Chính phủ",
        "Thủ tướng Chính phủ",
        "Thủ tướng",
    )
)

# Spellings that the rules in the module docstring do not produce, keyed by the folded name.
KNOWN_VARIANTS: dict[Words, tuple[str, ...]] = {
    fold_words(name): spellings
    for name, spellings in {
        "Văn phòng Trung ương Đảng": ("Văn phòng TW Đảng",),
        "Ủy ban Kiểm tra Trung ương": ("UBKTTW", "UBKT TW"),
        "Ban Chính sách, chiến lược Trung ương": (
            "Ban Chính sách và Chiến lược Trung ương",
            "Ban Chính sách - Chiến lược Trung ương",
        ),
        "Đảng ủy Mặt trận Tổ quốc, các đoàn thể Trung ương": (
            "Đảng ủy Mặt trận Tổ quốc và các đoàn thể Trung ương",
            "Đảng ủy MTTQ, các đoàn thể Trung ương",
            "Đảng ủy MTTQ và các đoàn thể Trung ương",
        ),
        "Đảng ủy Chính phủ": ("Ban cán sự đảng Chính phủ",),
        "Đảng ủy Quốc hội": ("Đảng đoàn Quốc hội",),
        "Thành ủy Huế": ("Tỉnh ủy Thừa Thiên Huế", "Thành ủy Thừa Thiên Huế"),
        "Quân ủy Trung ương": ("QUTW",),
        "Thủ tướng Chính phủ": ("Thủ tướng",),
    }.items()
}

# Bodies that are not agencies here but contain an agency's name.
BLOCKERS: tuple[str, ...] = (
    "Chủ tịch Hồ Chí Minh",
    "tư tưởng Hồ Chí Minh",
    "Bác Hồ",
)

# State bodies that a central office's registry usually lacks: found so that their words are
# kept whole ("Bộ Giao thông vận tải", "Sở TN&MT") and shown unresolved, never replaced by a
# registered agency. A registered agency of the same name wins (it is added first).
STATE_FIELDS: tuple[str, ...] = (
    "Tài chính",
    "Nội vụ",
    "Tư pháp",
    "Công Thương",
    "Xây dựng",
    "Giao thông vận tải",
    "Kế hoạch và Đầu tư",
    "Nông nghiệp và Phát triển nông thôn",
    "Nông nghiệp và PTNT",
    "Nông nghiệp và Môi trường",
    "Nông nghiệp",
    "Tài nguyên và Môi trường",
    "Lao động - Thương binh và Xã hội",
    "Văn hóa, Thể thao và Du lịch",
    "Văn hóa và Thể thao",
    "Thông tin và Truyền thông",
    "Khoa học và Công nghệ",
    "Giáo dục và Đào tạo",
    "Y tế",
    "Ngoại giao",
    "Quốc phòng",
    "Công an",
    "Dân tộc và Tôn giáo",
)
STATE_ABBREVIATIONS: tuple[str, ...] = (
    "TC", "NV", "TP", "CT", "XD", "GTVT", "KH&ĐT", "KH-ĐT", "KHĐT", "NN&PTNT", "NN-PTNT",
    "NNPTNT", "NN&MT", "NNMT", "TN&MT", "TN-MT", "TNMT", "LĐ-TB&XH", "LĐTBXH", "VH-TT&DL",
    "VHTTDL", "TT&TT", "TTTT", "KH&CN", "KHCN", "GD&ĐT", "GDĐT", "YT",
)  # fmt: skip
STATE_BODIES: tuple[str, ...] = (
    "Ngân hàng Nhà nước Việt Nam",
    "Ngân hàng Nhà nước",
    "Thanh tra Chính phủ",
    "Văn phòng Chính phủ",
    "Văn phòng Quốc hội",
    "Văn phòng Chủ tịch nước",
    "Ủy ban Thường vụ Quốc hội",
    "Kiểm toán Nhà nước",
    "Tòa án nhân dân tối cao",
    "Viện kiểm sát nhân dân tối cao",
    "Ủy ban nhân dân tỉnh",
    "Ủy ban nhân dân thành phố",
    "Ủy ban nhân dân huyện",
    "Ủy ban nhân dân quận",
    "Ủy ban nhân dân thị xã",
    "UBND tỉnh",
    "UBND thành phố",
    "UBND TP",
    "UBND huyện",
    "UBND quận",
    "UBND thị xã",
    "UBND cấp tỉnh",
    "Ủy ban nhân dân cấp tỉnh",
    "Văn phòng UBND tỉnh",
    "Văn phòng Ủy ban nhân dân tỉnh",
    "Ban cán sự đảng UBND tỉnh",
    "Ban cán sự đảng Ủy ban nhân dân tỉnh",
    "Đảng đoàn HĐND tỉnh",
    "Đảng đoàn Hội đồng nhân dân tỉnh",
    "Ủy ban Kiểm tra Tỉnh ủy",
    "Ban Tổ chức Tỉnh ủy",
    "Ban Tuyên giáo Tỉnh ủy",
    "Ban Dân vận Tỉnh ủy",
    "Ban Nội chính Tỉnh ủy",
    "Ban Tuyên giáo và Dân vận Tỉnh ủy",
    "Văn phòng Tỉnh ủy",
    "Đài Tiếng nói Việt Nam",
    "Đài Truyền hình Việt Nam",
    "Thông tấn xã Việt Nam",
    "Bảo hiểm xã hội Việt Nam",
    "BHXH Việt Nam",
    "Ủy ban Quản lý vốn nhà nước tại doanh nghiệp",
)


# The last word of a state body's name that a place's proper name may follow ("UBND tỉnh Lào
# Cai", "Ủy ban nhân dân thành phố Hà Nội", "UBND TP. Hồ Chí Minh", "UBND huyện Sơn Hòa").
_PLACE_KINDS = frozenset({"tinh", "pho", "tp", "huyen", "quan", "xa"})
_PLACE_WORDS_MAX = 4
# A shared prefix before a list of fields ("các Bộ: Tư pháp, Nội vụ"; "các Tập đoàn: Điện
# lực Việt Nam, Công nghiệp Than - Khoáng sản Việt Nam").
_KINDS = {"bo": "Bộ", "so": "Sở", "tap doan": "Tập đoàn"}
# "các Bộ, cơ quan:", "các Bộ, ngành:": the same prefix, with the words that widen it.
_ALSO_KIND = {("co", "quan"): 2, ("nganh",): 1}


def _proper_name_at(folded: Folded, tokens: list[Token], k: int) -> tuple[int, AgencyRef] | None:
    """A field the registry does not know ("Điện lực Việt Nam" after "các Tập đoàn:"): from a
    capitalized word up to the next comma, ";", ":" or "và", or two words in lower case, less
    the words in lower case it ends with ("Dầu khí Việt Nam làm việc" is "Dầu khí Việt Nam")."""
    if not _capitalized(folded, tokens[k]):
        return None
    m = k + 1
    while m < len(tokens) and m - k < 10:
        gap = folded.folded[tokens[m - 1].end : tokens[m].start].strip()
        if gap not in ("", "-") or tokens[m].word == "va":
            break
        if not _capitalized(folded, tokens[m]) and not _capitalized(folded, tokens[m - 1]):
            break
        m += 1
    while m > k + 1 and not _capitalized(folded, tokens[m - 1]):
        m -= 1
    return m, AgencyRef(UNREGISTERED, folded.original(tokens[k].start, tokens[m - 1].end))


def _prefix_kind(folded: Folded, tokens: list[Token], i: int) -> tuple[str, int] | None:
    """The kind of a shared prefix starting at `tokens[i]` ("các Bộ:", "các Bộ, cơ quan:",
    "các Tập đoàn:") and the index of its first field, or None."""
    if i + 2 >= len(tokens) or tokens[i].word != "cac":
        return None
    kind, k = tokens[i + 1].word, i + 2
    if (kind, tokens[k].word) == ("tap", "doan"):
        kind, k = "tap doan", k + 1
    if kind not in _KINDS or k >= len(tokens):
        return None
    words = tuple(token.word for token in tokens[k : k + 2])
    after = _ALSO_KIND.get(words, 0) or _ALSO_KIND.get(words[:1], 0)
    if after and folded.folded[tokens[k - 1].end : tokens[k].start].strip() == ",":
        k += after
    if k >= len(tokens) or folded.folded[tokens[k - 1].end : tokens[k].start].strip() != ":":
        return None
    return kind, k


def _group_after_fields(folded: Folded, tokens: list[Token], k: int) -> list["Mention"]:
    """ "các Bộ, cơ quan: Tài chính, Xây dựng, Tập đoàn Điện lực Việt Nam": a group named in
    full after the fields."""
    if [token.word for token in tokens[k : k + 2]] != ["tap", "doan"] or k + 2 >= len(tokens):
        return []
    found = _proper_name_at(folded, tokens, k + 2)
    if found is None:
        return []
    stop = tokens[found[0] - 1].end
    name = AgencyRef(UNREGISTERED, folded.original(tokens[k].start, stop))
    return [Mention(tokens[k].start, stop, name, expanded=True)]


def _capitalized(folded: Folded, token: Token) -> bool:
    return folded.text[folded.origin[token.start]].isupper()


def _place_name_end(folded: Folded, tokens: list[Token], end: int) -> int:
    """The token index after a place's proper name that starts at `tokens[end]` (words that
    begin with a capital letter, only spaces or "TP." between), or `end` if there is none."""
    k = end
    while k < len(tokens) and k - end < _PLACE_WORDS_MAX:
        gap = folded.folded[tokens[k - 1].end : tokens[k].start]
        if gap.strip() not in ("", ".") or (gap.strip() == "." and tokens[k - 1].word != "tp"):
            break
        first = folded.text[folded.origin[tokens[k].start]]
        if not first.isupper():
            break
        k += 1
    return k


_PEOPLES_COMMITTEE: tuple[Words, ...] = (("uy", "ban", "nhan", "dan"), ("ubnd",))
_PROVINCES_WORDS = frozenset({"tinh", "thanh", "pho", "truc", "thuoc", "trung", "uong"})


def _committees_of_provinces(folded: Folded, tokens: list[Token], i: int) -> list["Mention"]:
    """ "Ủy ban nhân dân các tỉnh: Khánh Hòa, Đắk Lắk và Gia Lai" (also "UBND các tỉnh, thành
    phố trực thuộc Trung ương: ..."): one unregistered body per place, named in full ("Ủy ban
    nhân dân tỉnh Khánh Hòa"); the first one's words begin at the prefix."""
    prefix = next(
        (p for p in _PEOPLES_COMMITTEE if tuple(t.word for t in tokens[i : i + len(p)]) == p), None
    )
    if prefix is None or i + len(prefix) >= len(tokens) or tokens[i + len(prefix)].word != "cac":
        return []
    k = i + len(prefix) + 1
    while k < len(tokens) and tokens[k].word in _PROVINCES_WORDS:
        k += 1
    if k >= len(tokens) or k == i + len(prefix) + 1:
        return []
    if folded.folded[tokens[k - 1].end : tokens[k].start].strip() != ":":
        return []
    mentions: list[Mention] = []
    while k < len(tokens):
        if not folded.text[folded.origin[tokens[k].start]].isupper():
            break
        m = _place_name_end(folded, tokens, k + 1)
        place = folded.original(tokens[k].start, tokens[m - 1].end).strip()
        ref = AgencyRef(UNREGISTERED, f"Ủy ban nhân dân tỉnh {place}")
        start = tokens[i].start if not mentions else tokens[k].start
        mentions.append(Mention(start, tokens[m - 1].end, ref, expanded=True))
        if m >= len(tokens):
            break
        gap = folded.folded[tokens[m - 1].end : tokens[m].start].strip()
        if gap not in (",", "") or (gap == "" and tokens[m].word != "va"):
            break
        k = m + 1 if tokens[m].word == "va" else m
    return mentions


def _state_spellings() -> list[str]:
    spellings = [f"{kind} {field}" for kind in ("Bộ", "Sở") for field in STATE_FIELDS]
    spellings += [f"{kind} {short}" for kind in ("Bộ", "Sở") for short in STATE_ABBREVIATIONS]
    return spellings + list(STATE_BODIES)


_PROVINCE_COMMITTEES: tuple[Words, ...] = (
    ("tinh", "uy"),
    ("thanh", "uy"),
    ("tinh", "uy", "tinh"),
    ("thanh", "uy", "thanh", "pho"),
    ("thanh", "uy", "tp"),
    ("dang", "bo", "tinh"),
    ("dang", "bo", "thanh", "pho"),
    ("dang", "bo", "tp"),
    ("dang", "bo"),
)
_CITY: tuple[Words, ...] = (("thanh", "pho"), ("tp",))
_TW = ("trung", "uong")


@dataclass(frozen=True)
class Mention:
    """An agency name found in folded text; `ref` is None for a blocker."""

    start: int  # folded positions
    end: int
    ref: AgencyRef | None
    weak: bool = False
    province: bool = False
    group: bool = False
    issuer: bool = False
    expanded: bool = False  # "các Bộ: Tư pháp, Nội vụ": `ref.name` is the whole name


@dataclass
class _Entry:
    ref: AgencyRef | None
    weak: bool = False
    province: bool = False
    issuer: bool = False

    @property
    def group(self) -> bool:
        return self.ref is not None and self.ref.code.startswith("GROUP:")


@dataclass
class _Node:
    children: dict[str, "_Node"] = field(default_factory=dict)
    entry: _Entry | None = None


class AgencyMatcher:
    """Finds agencies (and groups of agencies) named in a text; build it once, use it often."""

    def __init__(
        self,
        agencies: Iterable[tuple[str, str, str]],
        variants: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        """`agencies`: (code, name, short name) rows; `variants`: more spellings per code."""
        self._root = _Node()
        rows = list(agencies)
        for code, name, short_name in rows:
            self._add_agency(AgencyRef(code, name), short_name)
        names = {code: name for code, name, _ in rows}
        for code, spellings in (variants or {}).items():
            if code in names:
                for spelling in spellings:
                    self._add(_tw_forms(fold_words(spelling)), _Entry(AgencyRef(code, names[code])))
        for code, (name, spellings, weak) in GROUPS.items():
            ref = AgencyRef(code, name)
            for spelling in spellings:
                self._add(_with_and_without_cac(fold_words(spelling)), _Entry(ref))
            for spelling in weak:
                self._add(_tw_forms(fold_words(spelling)), _Entry(ref, weak=True))
        ministries = AgencyRef("GROUP:MINISTRIES", GROUPS["GROUP:MINISTRIES"][0])
        self._add(_heads_of_ministries(), _Entry(ministries))
        for blocker in BLOCKERS:
            self._add([fold_words(blocker)], _Entry(None))
        for spelling in _state_spellings():
            words = fold_words(spelling)
            self._add(_tw_forms(words), _Entry(AgencyRef(UNREGISTERED, spelling)))

    @classmethod
    def from_database(cls, day: dt.date | None = None) -> "AgencyMatcher":
        """Active agencies (or those valid on `day`), with the names of the agencies that
        merged into them or were renamed to them, and the aliases the office taught
        (`AgencyAlias`), as extra spellings."""
        from dondoc.agencies.models import Agency, AgencyAlias

        agencies = Agency.objects.valid_on(day) if day else Agency.objects.active()
        rows = list(agencies.values_list("code", "name", "short_name"))
        variants = _former_names({code for code, _, _ in rows})
        for code, text in AgencyAlias.objects.values_list("agency__code", "text"):
            variants.setdefault(code, []).append(text)  # taught by the office
        return cls(rows, variants)

    def find_all(self, text: str) -> list[tuple[int, int, AgencyRef]]:
        """(start, end, agency) for each agency or group named in `text`, left to right."""
        folded = Folded(text)
        found = []
        for mention in self.scan(folded):
            if mention.ref is not None and mention.ref.registered and not mention.weak:
                start, end = folded.original_span(mention.start, mention.end)
                found.append((start, end, mention.ref))
        return found

    def scan(self, folded: Folded) -> list[Mention]:
        """Every mention in folded text, weak ones and blockers included: longest first."""
        tokens = folded.tokens()
        mentions: list[Mention] = []
        i = 0
        while i < len(tokens):
            shared = self._shared_prefix(folded, tokens, i)
            if shared:
                mentions += shared
                i = next(k for k, token in enumerate(tokens) if token.end == shared[-1].end) + 1
                continue
            node, best = self._root, None
            for j in range(i, len(tokens)):
                child = node.children.get(tokens[j].word)
                if child is None:
                    break
                node = child
                if node.entry is not None:
                    best = (j + 1, node.entry)
            start = tokens[i].start
            if best is None or (
                best[0] == i + 1 and start > 0 and folded.folded[start - 1] in "/-"
            ):
                i += 1  # nothing, or an abbreviation inside a document symbol (TB/VPTW)
                continue
            end, entry = best
            ref = entry.ref
            if ref is not None and not ref.registered:  # named by its words, as written
                if tokens[end - 1].word in _PLACE_KINDS:
                    end = _place_name_end(folded, tokens, end)
                ref = AgencyRef(UNREGISTERED, folded.original(start, tokens[end - 1].end).strip())
            mentions.append(
                Mention(
                    start,
                    tokens[end - 1].end,
                    ref,
                    entry.weak,
                    entry.province,
                    entry.group,
                    entry.issuer,
                )
            )
            i = end
        return mentions

    def _shared_prefix(self, folded: Folded, tokens: list[Token], i: int) -> list[Mention]:
        """ "các Bộ: Tư pháp, Nội vụ và Tài chính" (also "Sở", "các Bộ, cơ quan:", "các Tập
        đoàn:"): one mention per body, each named in full ("Bộ Tư pháp"); the first one's words
        begin at "các"."""
        provinces = _committees_of_provinces(folded, tokens, i)
        if provinces:
            return provinces
        prefix = _prefix_kind(folded, tokens, i)
        if prefix is None:
            return []
        kind, k = prefix
        mentions: list[Mention] = []
        while k < len(tokens):
            best = self._field_at(kind, tokens, k)
            if best is None and kind == "tap doan":
                best = _proper_name_at(folded, tokens, k)
            if best is None:
                mentions += _group_after_fields(folded, tokens, k)
                break
            m, ref = best
            if not ref.registered:
                words = folded.original(tokens[k].start, tokens[m - 1].end).strip()
                ref = AgencyRef(UNREGISTERED, f"{_KINDS[kind]} {words}")
            start = tokens[i].start if not mentions else tokens[k].start
            mentions.append(Mention(start, tokens[m - 1].end, ref, expanded=True))
            if m >= len(tokens):
                break
            gap = folded.folded[tokens[m - 1].end : tokens[m].start].strip()
            if gap not in (",", "") or (gap == "" and tokens[m].word != "va"):
                break  # the list ends: ";", ":", or words that go on after the last name
            k = m + 1 if tokens[m].word == "va" else m
        return mentions

    def _field_at(self, kind: str, tokens: list[Token], k: int) -> tuple[int, AgencyRef] | None:
        """The longest "<kind> <field>" body whose field's words start at `tokens[k]`."""
        node, best = self._root.children.get(kind), None
        for j in range(k, len(tokens)):
            node = node.children.get(tokens[j].word) if node is not None else None
            if node is None:
                break
            if node.entry is not None and node.entry.ref is not None:
                best = (j + 1, node.entry.ref)
        return best

    def _add_agency(self, ref: AgencyRef, short_name: str) -> None:
        words = fold_words(ref.name)
        issuer = words in ISSUERS
        province = words[:2] in (("tinh", "uy"), ("thanh", "uy"))
        forms = _name_forms(words)
        forms += [fold_words(spelling) for spelling in KNOWN_VARIANTS.get(words, ())]
        abbreviation = fold_words(short_name)
        if len(abbreviation) == 1 and len(abbreviation[0]) >= 4 and not province:
            forms.append(abbreviation)
        self._add(_expand(forms), _Entry(ref, province=province, issuer=issuer))
        if province:
            strong, weak = _province_forms(words[2:])
            self._add(strong, _Entry(ref, province=True))
            self._add(weak, _Entry(ref, weak=True, province=True))

    def _add(self, forms: Iterable[Words], entry: _Entry) -> None:
        for words in forms:
            if not words:
                continue
            node = self._root
            for word in words:
                node = node.children.setdefault(word, _Node())
            if node.entry is None or (node.entry.weak and not entry.weak):
                node.entry = entry


def _name_forms(words: Words) -> list[Words]:
    forms = [words]
    if words[-3:] == (*_TW, "dang"):
        forms.append(words[:-1])  # Văn phòng Trung ương (Đảng)
    if "va" in words:
        forms.append(tuple(word for word in words if word != "va"))
    if words[:4] == ("uy", "ban", "kiem", "tra"):
        forms.append(("ubkt", *words[4:]))
    return forms


def _expand(forms: list[Words]) -> list[Words]:
    return [variant for form in forms for variant in _tw_forms(form)]


def _tw_forms(words: Words) -> list[Words]:
    """The spelling, and with every "trung uong" written "tw"."""
    short: list[str] = []
    i = 0
    while i < len(words):
        if words[i : i + 2] == _TW:
            short.append("tw")
            i += 2
        else:
            short.append(words[i])
            i += 1
    return [words] if tuple(short) == words else [words, tuple(short)]


def _heads_of_ministries() -> list[Words]:
    """The heads of the ministries addressed together, as công điện and notices name them
    ("Bộ trưởng, Thủ trưởng cơ quan ngang Bộ, cơ quan thuộc Chính phủ", "Các đồng chí Bộ
    trưởng, Thủ trưởng các cơ quan ngang Bộ"): the group of ministries."""
    prefixes: list[Words] = [(), ("cac",), ("cac", "dong", "chi"), ("dong", "chi")]
    governed = ("thuoc", "chinh", "phu")
    tails: list[Words] = [()]
    for head in [(), ("thu", "truong")]:
        for cac in [(), ("cac",)]:
            for truc in [(), ("truc",)]:
                tails.append((*head, *cac, "co", "quan", *truc, *governed))
    forms = []
    for prefix in prefixes:
        for ministries in [(), ("cac", "bo")]:
            for cac in [(), ("cac",)]:
                core = (
                    "bo",
                    "truong",
                    *ministries,
                    "thu",
                    "truong",
                    *cac,
                    "co",
                    "quan",
                    "ngang",
                    "bo",
                )
                forms += [(*prefix, *core, *tail) for tail in tails]
    return forms


def _with_and_without_cac(words: Words) -> list[Words]:
    bare = words[1:] if words[:1] == ("cac",) else words
    return _tw_forms(("cac", *bare)) + _tw_forms(bare)


def _province_forms(place: Words) -> tuple[list[Words], list[Words]]:
    """Strong and weak spellings of a province's party committee, from its place name."""
    core = (
        place[2:] if place[:2] == ("thanh", "pho") else place[1:] if place[:1] == ("tp",) else place
    )
    cores = [core]
    if len(core) >= 3:
        cores.append(("".join(word[0] for word in core),))  # Hồ Chí Minh -> hcm
    strong = [(*committee, *name) for committee in _PROVINCE_COMMITTEES for name in cores]
    city = [(*prefix, *name) for prefix in _CITY for name in cores]
    is_city = core != place
    weak = [*cores, ("tinh", *core)]
    return (strong + city, weak) if is_city else (strong, weak + city)


def _former_names(active: set[str]) -> dict[str, list[str]]:
    """Names of merged or renamed agencies, listed under the active agency that took over."""
    from dondoc.agencies.models import Reorganization, ReorganizationKind

    successor: dict[str, str] = {}
    names: dict[str, str] = {}
    reorganizations = Reorganization.objects.filter(
        kind__in=[ReorganizationKind.MERGE, ReorganizationKind.RENAME]
    ).prefetch_related("predecessors", "successors")
    for reorganization in reorganizations:
        after = list(reorganization.successors.all())
        if len(after) != 1:
            continue
        for before in reorganization.predecessors.all():
            successor[before.code] = after[0].code
            names[before.code] = before.name
    former: dict[str, list[str]] = {}
    for code, name in names.items():
        target, seen = successor[code], {code}
        while target not in active and target in successor and target not in seen:
            seen.add(target)
            target = successor[target]
        if target in active and code not in active:
            former.setdefault(target, []).append(name)
    return former
