"""The synthesis pipeline, on plain lists (no database): the services feed it and store what
it finds, and `evaluate.py` measures it on labelled comments.

1. `normalize`: the project's Vietnamese normalization, lower case, syllables only.
2. `campaigns`: exact duplicates (same normalized text) and near-duplicates (MinHash LSH over
   character 5-grams, each candidate checked against the estimated Jaccard similarity), grouped
   with union-find; each comment gets the index of its campaign's first member.
3. `SectionAssigner`: explicit references first ("Điều 12", "mục II"), then a linear model
   learned from the comments whose commenter chose the section and from the sections' own
   text; below a margin the comment stays general (None).
4. `themes`: per section, TF-IDF over syllable 1-2-grams, reduced (SVD) and clustered
   (k-means); comments far from every centre form a separate "other" theme rather than being
   forced into a big one; each theme is labelled with its most distinctive syllable phrases
   and represented by its most typical substantive comment.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import itertools
import math
import random
import re
import zlib
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from threadpoolctl import threadpool_limits

if TYPE_CHECKING:  # imported where used: scikit-learn and datasketch take ~3 s to import, and
    # every web and worker process loads this module through the API's URLs (normalize, keys)
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion
    from sklearn.svm import LinearSVC

from dondoc.core.text import normalize as vi_normalize

_SYLLABLES = re.compile(r"\w+")
SHINGLE = 5
NUM_PERM = 64
NEAR_DUPLICATE = 0.6  # estimated Jaccard similarity of character 5-grams
MIN_NEAR_CHARS = 25  # shorter texts are grouped only when identical
OUTLIER_SIMILARITY = 0.15  # cosine to the theme centre below which a comment is "other"
STOPWORDS = frozenset(
    [
        "và",
        "là",
        "của",
        "có",
        "cho",
        "các",
        "những",
        "được",
        "trong",
        "với",
        "thì",
        "này",
        "để",
        "không",
        "cũng",
        "đã",
        "rất",
        "như",
        "khi",
        "một",
        "nên",
        "về",
        "theo",
        "từ",
        "ra",
        "vào",
        "lại",
        "làm",
        "đến",
        "còn",
        "mà",
        "nhưng",
        "bị",
        "sẽ",
        "đang",
        "hơn",
        "nhiều",
        "thêm",
        "hay",
        "hoặc",
        "tôi",
        "em",
        "mình",
        "chúng",
        "ta",
        "bạn",
        "nó",
        "họ",
        "ạ",
        "nhé",
        "ở",
        "đó",
        "đây",
        "nào",
        "gì",
        "vì",
        "do",
        "nếu",
        "thế",
        "vậy",
        "quá",
    ]
)


# control characters are spaces to `vi_normalize`; made spaces first, the text splits into the
# same words it would split into after normalizing
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")


def normalize(text: str) -> str:
    """The text's syllables, lower case, normalized (`core.text.normalize`), one space apart.
    Normalizing is per word (whitespace never joins or changes inside it), so each distinct
    word is normalized once per process and remembered: comments repeat a few tens of
    thousands of words, and normalizing character by character was the largest cost of the
    synthesis (a third of the signing, placing and themes jobs' CPU)."""
    words = map(_word, _CONTROLS.sub(" ", text).split())
    return " ".join(word for word in words if word)


def normalize_slow(text: str) -> str:
    """`normalize` as it was, the whole text at once: its test's reference."""
    return " ".join(_SYLLABLES.findall(vi_normalize(text).lower()))


@functools.lru_cache(maxsize=1 << 18)
def _word(word: str) -> str:
    return " ".join(_SYLLABLES.findall(vi_normalize(word).lower()))


# 2. Campaigns ------------------------------------------------------------------------------


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _union(parent: list[int], a: int, b: int) -> None:
    ra, rb = _find(parent, a), _find(parent, b)
    if ra != rb:
        parent[max(ra, rb)] = min(ra, rb)  # the earliest comment represents the campaign


def _shingles(text: str) -> set[bytes]:
    data = text.encode()
    return {data[k : k + SHINGLE] for k in range(max(1, len(data) - SHINGLE + 1))}


def text_key(normalized: str) -> int:
    """A 64-bit key of the normalized text (signed, as a database's bigint holds it): equal
    keys are exact duplicates."""
    return int.from_bytes(hashlib.blake2b(normalized.encode(), digest_size=8).digest(), "big",
                          signed=True)  # fmt: skip


def signatures(normalized: Sequence[str]) -> list[bytes]:
    """Each text's MinHash signature (64 uint32 values, 256 bytes); empty for a text shorter than
    `MIN_NEAR_CHARS`, which is grouped only when identical. Computed per comment, so chunk
    jobs compute them apart and store them."""
    from datasketch import MinHash

    long = [i for i, text in enumerate(normalized) if len(text) >= MIN_NEAR_CHARS]
    found = [b""] * len(normalized)
    hashed = MinHash.bulk(
        (_shingles(normalized[i]) for i in long), num_perm=NUM_PERM, hashfunc=zlib.crc32
    )
    for i, minhash in zip(long, hashed, strict=True):
        found[i] = minhash.hashvalues.astype("<u4").tobytes()
    return found


BANDS, ROWS = 10, 6  # datasketch's optimal banding for Jaccard 0.6 with 64 permutations


def campaigns(normalized: Sequence[str], threshold: float = NEAR_DUPLICATE) -> list[int]:
    """For each text (already `normalize`d), the index of its campaign's representative."""
    keys = np.fromiter((text_key(text) for text in normalized), dtype=np.int64,
                       count=len(normalized))  # fmt: skip
    found: list[int] = campaigns_from(
        keys, signature_matrix(signatures(normalized)), threshold
    ).tolist()
    return found


def signature_matrix(found: Sequence[bytes]) -> np.ndarray:
    """Stored signatures as one (n, 64) uint32 array; a row of zeros for a short text."""
    matrix = np.zeros((len(found), NUM_PERM), dtype=np.uint32)
    for i, data in enumerate(found):
        if data:
            matrix[i] = np.frombuffer(data, dtype="<u4")
    return matrix


def campaigns_from(keys: np.ndarray, matrix: np.ndarray, threshold: float = NEAR_DUPLICATE
                   ) -> np.ndarray:  # fmt: skip
    """Campaigns from the texts' keys and signatures (rows of zeros: too short to sign), on
    arrays only, so that one process holds 264 bytes per comment: exact duplicates share a
    key; near-duplicates share a band of the signature (LSH: `BANDS` bands of `ROWS` values) and their
    estimated Jaccard similarity is at least `threshold`. In each band's bucket a comment is
    checked against the bucket's first comment and the one before it, then the pairs are
    joined (union-find by label propagation). The representative is the earliest comment."""
    n = len(keys)
    pairs = [_exact_pairs(keys)]
    signed = np.flatnonzero(matrix.any(axis=1))
    for band in range(BANDS):
        pairs.extend(_band_pairs(matrix, signed, band, threshold))
    left = np.concatenate([a for a, _ in pairs]) if pairs else np.empty(0, np.int64)
    right = np.concatenate([b for _, b in pairs]) if pairs else np.empty(0, np.int64)
    return _components(n, left, right)


def _exact_pairs(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    starts = np.r_[True, ordered[1:] != ordered[:-1]]
    first = order[np.maximum.accumulate(np.where(starts, np.arange(len(keys)), 0))]
    return first, order


def _band_pairs(
    matrix: np.ndarray, signed: np.ndarray, band: int, threshold: float, chunk: int = 500_000
) -> list[tuple[np.ndarray, np.ndarray]]:
    rows = matrix[signed, band * ROWS : (band + 1) * ROWS].astype(np.uint64)
    bucket = np.zeros(len(signed), dtype=np.uint64)
    for column in range(ROWS):  # a 64-bit hash of the band's values
        bucket = bucket * np.uint64(0x100000001B3) ^ rows[:, column]
    order = np.argsort(bucket, kind="stable")  # earliest comment first within a bucket
    ordered = bucket[order]
    starts = np.r_[True, ordered[1:] != ordered[:-1]]
    first = order[np.maximum.accumulate(np.where(starts, np.arange(len(order)), 0))]
    previous = np.r_[order[:1], order[:-1]]
    found = []
    for candidate in (first, previous):
        keep = (candidate != order) & (bucket[candidate] == ordered)
        a, b = signed[candidate[keep]], signed[order[keep]]
        for start in range(0, len(a), chunk):
            x, y = a[start : start + chunk], b[start : start + chunk]
            similar = (matrix[x] == matrix[y]).mean(axis=1) >= threshold
            found.append((x[similar], y[similar]))
    return found


def _components(n: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Each item's smallest connected index, given the pairs (label propagation with pointer
    jumping, in NumPy)."""
    label = np.arange(n, dtype=np.int64)
    while True:
        low = np.minimum(label[left], label[right])
        before = label.copy()
        np.minimum.at(label, left, low)
        np.minimum.at(label, right, low)
        while True:  # point every item at its label's label
            jumped = label[label]
            if np.array_equal(jumped, label):
                break
            label = jumped
        if np.array_equal(label, before):
            return label


# 3. Sections -------------------------------------------------------------------------------

_REFERENCE = re.compile(r"\b(điều|khoản|mục|phần|chương|điểm)\s+(\d+[a-z]?|[ivxlc]+)\b")
_SPECIFICITY = {"chương": 1, "phần": 1, "mục": 2, "điều": 3, "khoản": 0, "điểm": 0}


def explicit_section(normalized: str, keys: Mapping[str, int]) -> int | None:
    """The section a comment names ("theo Điều 12 ...", "mục II"), the most specific first;
    a clause (khoản) or point (điểm) alone does not say which article."""
    best: tuple[int, int] | None = None
    for kind, number in _REFERENCE.findall(normalized):
        section = keys.get(f"{kind} {number}")
        if section is not None and (best is None or _SPECIFICITY[kind] > best[0]):
            best = (_SPECIFICITY[kind], section)
    return best[1] if best else None


def features() -> FeatureUnion:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    return FeatureUnion(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 3), sublinear_tf=True, min_df=1)),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
        ]
    )


class SectionAssigner:
    """Learns where comments go from the sections' text and the commenters' own choices: a
    linear model once enough commenters chose their section (`MIN_LABELLED` per section),
    before that the cosine similarity to each section's text."""

    MIN_LABELLED = 10
    MAX_TRAINING = 20_000
    CHUNK = 5_000  # a chunk's character n-grams are its memory peak
    MIN_SIMILARITY = 0.08

    def __init__(
        self,
        section_texts: Mapping[int, str],
        labelled: Sequence[tuple[str, int]] = (),
        keys: Mapping[str, int] | None = None,
        margin: float = -0.6,
    ) -> None:
        self.keys = dict(keys or {})
        self.margin = margin
        self.section_ids = list(section_texts)
        if len(labelled) > self.MAX_TRAINING:  # enough to learn from; memory stays bounded
            labelled = random.Random(0).sample(list(labelled), self.MAX_TRAINING)
        texts = [normalize(text) for text in section_texts.values()]
        texts += [text for text, _ in labelled]
        labels = [*section_texts.keys(), *(label for _, label in labelled)]
        self.sections = sorted(set(labels))
        self.model: LinearSVC | None = None
        self.vectorizer = features()
        matrix = self.vectorizer.fit_transform(texts) if texts else None
        self.section_matrix = matrix[: len(section_texts)] if matrix is not None else None
        enough = len(labelled) >= self.MIN_LABELLED * max(1, len(section_texts))
        if len(self.sections) >= 2 and enough:
            from sklearn.svm import LinearSVC

            with threadpool_limits(limits=1):
                self.model = LinearSVC(class_weight="balanced", C=0.5).fit(matrix, labels)

    def assign(self, normalized: Sequence[str]) -> list[int | None]:
        """Each comment's section, or None for a general comment."""
        found = [explicit_section(text, self.keys) for text in normalized]
        todo = [i for i, section in enumerate(found) if section is None and normalized[i]]
        if not todo or self.section_matrix is None or not self.sections:
            return found
        for start in range(0, len(todo), self.CHUNK):
            self._assign_chunk(normalized, todo[start : start + self.CHUNK], found)
        return found

    def _assign_chunk(
        self, normalized: Sequence[str], todo: list[int], found: list[int | None]
    ) -> None:
        from sklearn.preprocessing import normalize as l2_normalize

        matrix = self.vectorizer.transform([normalized[i] for i in todo])
        if self.model is None:
            similarity = np.asarray((l2_normalize(matrix) @ l2_normalize(self.section_matrix).T)
                                    .todense())  # fmt: skip
            for i, row in zip(todo, similarity, strict=True):
                best = int(np.argmax(row))
                if row[best] >= self.MIN_SIMILARITY:
                    found[i] = self.section_ids[best]
            return
        scores = self.model.decision_function(matrix)
        classes = self.model.classes_
        if scores.ndim == 1:  # two sections: one score for the second
            scores = np.column_stack([-scores, scores])
        for i, row in zip(todo, scores, strict=True):
            best = int(np.argmax(row))
            found[i] = int(classes[best]) if row[best] >= self.margin else None


# 4. Themes ---------------------------------------------------------------------------------


@dataclasses.dataclass
class FoundTheme:
    label: str
    members: list[int]  # indices into the texts given to `themes`
    representative: int
    terms: dict[str, float] = dataclasses.field(default_factory=dict)  # see `profile`


def theme_count(n: int) -> int:
    """How many themes to look for among n distinct comments: about √(n/2), at most 30."""
    return max(1, min(30, round(math.sqrt(n / 2))))


def _vectorize(texts: Sequence[str]) -> tuple[TfidfVectorizer, Any]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(
        ngram_range=(1, 2),
        sublinear_tf=True,
        min_df=2 if len(texts) > 50 else 1,
        max_df=0.5 if len(texts) > 50 else 1.0,
        max_features=50_000,
        token_pattern=r"(?u)\b\w+\b",  # noqa: S106 - not a password
        stop_words=list(STOPWORDS),
    )
    return vectorizer, vectorizer.fit_transform(texts)


def themes(
    texts: Sequence[str], k: int | None = None, seed: int = 0, reduce_to: int = 100
) -> list[FoundTheme]:
    """Group `texts` (normalized, one per campaign) into themes; small groups stay themes of
    their own and comments close to no theme form one "other" theme, never merged into a big
    one. One BLAS thread: a job is one worker's share of the cores (threads waiting on busy
    cores made one section 18 times slower on the 2-core machine)."""
    with threadpool_limits(limits=1):
        return _themes(texts, k, seed, reduce_to)


def _themes(texts: Sequence[str], k: int | None, seed: int, reduce_to: int) -> list[FoundTheme]:
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize as l2_normalize

    if not texts:
        return []
    k = k or theme_count(len(texts))
    try:
        vectorizer, matrix = _vectorize(texts)
    except ValueError:  # nothing but stop words
        return [FoundTheme(label="", members=list(range(len(texts))), representative=0)]
    points = matrix
    if matrix.shape[1] > reduce_to and len(texts) > reduce_to:
        points = TruncatedSVD(reduce_to, random_state=seed).fit_transform(matrix)
    points = l2_normalize(points)
    k = min(k, len(texts))
    model = MiniBatchKMeans(k, random_state=seed, n_init=3, batch_size=2048).fit(points)
    centres = l2_normalize(model.cluster_centers_)
    labels = model.labels_.copy()
    similarity = np.asarray(points @ centres.T)[np.arange(len(texts)), labels]
    labels[similarity < OUTLIER_SIMILARITY] = -1
    vocabulary = np.asarray(vectorizer.get_feature_names_out())
    found = []
    for label in sorted(set(labels.tolist())):
        members = np.flatnonzero(labels == label)
        found.append(
            FoundTheme(
                label=_label(matrix, members, vocabulary) if label >= 0 else "",
                members=members.tolist(),
                representative=_typical(texts, members, similarity),
                # the "other" theme has no profile: its members are close to no theme, so a
                # comment near their average is not near any of them; it takes no later comment
                terms=profile(matrix, members, vocabulary) if label >= 0 else {},
            )
        )
    return sorted(found, key=lambda theme: (-len(theme.members), theme.members[0]))


def _label(matrix: Any, members: np.ndarray, vocabulary: np.ndarray, top: int = 3) -> str:
    """The theme's most distinctive phrases: mean TF-IDF in the theme over that of all
    comments, two-syllable phrases first (syllables, not broken words)."""
    inside = np.asarray(matrix[members].mean(axis=0)).ravel()
    overall = np.asarray(matrix.mean(axis=0)).ravel() + 1e-9
    score = inside * np.log1p(inside / overall)
    score *= np.where(np.char.count(vocabulary.astype(str), " ") > 0, 1.5, 1.0)
    order = np.argsort(-score)
    chosen: list[str] = []
    for index in order[: top * 6]:
        phrase = str(vocabulary[index])
        if score[index] <= 0 or any(phrase in c or c in phrase for c in chosen):
            continue
        chosen.append(phrase)
        if len(chosen) == top:
            break
    return ", ".join(chosen)


PROFILE_TERMS = 50
ABSORB_SIMILARITY = 0.2  # cosine to a theme's profile below which a later comment stays apart
MAP_SIMILARITY = 0.5  # cosine of two profiles above which a new theme continues a kept one


def profile(matrix: Any, members: np.ndarray, vocabulary: np.ndarray) -> dict[str, float]:
    """A theme's centre in a few words: the `PROFILE_TERMS` heaviest phrases of its members'
    mean TF-IDF row, their weights scaled to unit length. Stored with the theme, so that a
    comment arriving later is compared with it without the whole section
    (`nearest_theme`)."""
    centre = np.asarray(matrix[members].mean(axis=0)).ravel()
    top = [i for i in np.argsort(-centre)[:PROFILE_TERMS] if centre[i] > 0]
    norm = float(np.sqrt(sum(float(centre[i]) ** 2 for i in top))) or 1.0
    return {str(vocabulary[i]): round(float(centre[i]) / norm, 4) for i in top}


def profile_of(texts: Sequence[str]) -> dict[str, float]:
    """The profile of a theme the office made or changed, from its members' texts alone."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    if not texts:
        return {}
    try:
        vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True,
                                     token_pattern=r"(?u)\b\w+\b",  # noqa: S106
                                     stop_words=list(STOPWORDS))  # fmt: skip
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # nothing but stop words
        return {}
    vocabulary = np.asarray(vectorizer.get_feature_names_out())
    return profile(matrix, np.arange(len(texts)), vocabulary)


def grams(normalized: str) -> set[str]:
    """The phrases `themes` counts: syllables and pairs of syllables, stop words out."""
    words = [w for w in normalized.split() if w not in STOPWORDS]
    return {*words, *(f"{a} {b}" for a, b in itertools.pairwise(words))}


def similarity(normalized: str, terms: Mapping[str, float]) -> float:
    """Cosine between a comment's phrases (each counted once) and a theme's profile."""
    found = grams(normalized)
    if not found or not terms:
        return 0.0
    return sum(terms.get(g, 0.0) for g in found) / math.sqrt(len(found))


def nearest_theme(
    normalized: Sequence[str],
    profiles: Mapping[int, Mapping[str, float]],
    threshold: float = ABSORB_SIMILARITY,
) -> list[int | None]:
    """For each comment arriving after a run, the theme whose profile it is closest to, or
    None ("new, in no theme yet") when it is close to none: never forced into a big one."""
    found: list[int | None] = []
    for text in normalized:
        best, score = None, threshold
        for theme, terms in profiles.items():
            value = similarity(text, terms)
            if value >= score:
                best, score = theme, value
        found.append(best)
    return found


def continued(
    found: Sequence[FoundTheme],
    before: Sequence[int | None],
    kept: Mapping[int, Mapping[str, float]],
) -> list[int | None]:
    """Which kept theme (renamed, merged, split or answered by the staff; id -> profile) each
    theme of a new run continues, or None for a new theme. `before` is each text's theme
    before the run. A found theme continues the kept theme that more than half of its
    previously themed members were in; a theme of comments new to every theme continues the
    kept theme whose profile is closest (cosine at least `MAP_SIMILARITY`). Several found
    themes may continue one kept theme: what the staff merged stays merged."""
    targets: list[int | None] = []
    for theme in found:
        votes: dict[int, int] = {}
        themed = 0
        for i in theme.members:
            previous = before[i]
            if previous is not None:
                themed += 1
                if previous in kept:
                    votes[previous] = votes.get(previous, 0) + 1
        target = max(votes, key=lambda t: (votes[t], -t)) if votes else None
        if target is not None and 2 * votes[target] > themed:
            targets.append(target)
        elif themed == 0 and kept and theme.terms:
            score = {t: _cosine(theme.terms, terms) for t, terms in kept.items()}
            best = max(score, key=lambda t: (score[t], -t))
            targets.append(best if score[best] >= MAP_SIMILARITY else None)
        else:
            targets.append(None)
    return targets


def _cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    return sum(value * b.get(term, 0.0) for term, value in a.items())


def _typical(texts: Sequence[str], members: np.ndarray, similarity: np.ndarray) -> int:
    """The member closest to the theme's centre among those of at least six syllables."""
    substantive = [int(i) for i in members if texts[i].count(" ") >= 5] or members.tolist()
    return max(substantive, key=lambda i: float(similarity[i]))


# The whole thing -----------------------------------------------------------------------------


@dataclasses.dataclass
class Synthesis:
    campaign: list[int]  # representative's index, per comment
    section: list[int | None]  # per comment (that of its representative)
    themes: dict[int | None, list[FoundTheme]]  # per section; member indices are comments'


def synthesize(
    texts: Sequence[str],
    chosen: Sequence[int | None],
    section_texts: Mapping[int, str],
    keys: Mapping[str, int] | None = None,
    on_section: Callable[[int | None, int], None] | None = None,
) -> Synthesis:
    """Run the four steps over `texts`; `chosen` is each commenter's own section, if any."""
    normalized = [normalize(text) for text in texts]
    campaign = campaigns(normalized)
    representatives = [i for i, rep in enumerate(campaign) if rep == i]
    labelled = [(normalized[i], s) for i in representatives if (s := chosen[i]) is not None]
    assigner = SectionAssigner(section_texts, labelled, keys)
    todo = [i for i in representatives if chosen[i] is None]
    placed = dict(zip(todo, assigner.assign([normalized[i] for i in todo]), strict=True))
    rep_section = {i: chosen[i] if chosen[i] is not None else placed[i] for i in representatives}
    by_section: dict[int | None, list[int]] = {}
    for i in representatives:
        by_section.setdefault(rep_section[i], []).append(i)
    found: dict[int | None, list[FoundTheme]] = {}
    for section, members in by_section.items():
        local = themes([normalized[i] for i in members])
        found[section] = [
            FoundTheme(t.label, [members[m] for m in t.members], members[t.representative])
            for t in local
        ]
        if on_section:
            on_section(section, len(members))
    return Synthesis(campaign, [rep_section[c] for c in campaign], found)
