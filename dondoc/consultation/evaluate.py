"""Measure the pipeline on labelled real Vietnamese comments kept outside the repository.

    uv run python -m dondoc.consultation.evaluate /work/shared/data/eval --split dev
    uv run python -m dondoc.consultation.evaluate /work/shared/data/eval --split test

UIT-VSFC (students' feedback: topic per sentence) and UIT-ViSFD (smartphone reviews: aspects
per comment) stand in for comments on a draft: a topic or the first aspect is the "section".
Tuning used `dev` only; `test` was run once for docs/consultation.md.

- Section assignment: the assigner learns from the train split (the commenters who chose
  their section) and places the others; against the README's baseline (TF-IDF word 1-2-grams
  + logistic regression).
- Themes: unsupervised clustering of the split's comments, agreement with the labels (NMI,
  ARI); baseline TF-IDF -> SVD -> k-means with k = number of labels.
- Near-duplicates: each of 600 comments gets reworded, reordered and typo'd copies; pairs in
  one campaign against the true pairs (precision, recall); baseline exact normalized match.
"""

import argparse
import csv
import itertools
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    accuracy_score,
    adjusted_rand_score,
    f1_score,
    normalized_mutual_info_score,
)

from dondoc.consultation import pipeline

VSFC_TOPICS = {
    0: "Giảng viên: giảng dạy, thầy cô, nhiệt tình, dạy hay, giải đáp",
    1: "Chương trình đào tạo: môn học, giáo trình, nội dung, tín chỉ, đề thi",
    2: "Cơ sở vật chất: phòng học, máy chiếu, wifi, thư viện, điều hòa",
    3: "Ý kiến khác",
}
ASPECTS = ["BATTERY", "CAMERA", "DESIGN", "FEATURES", "GENERAL", "PERFORMANCE", "PRICE",
           "SCREEN", "SER&ACC", "STORAGE"]  # fmt: skip
Labelled = tuple[list[str], list[int]]
_LABEL = re.compile(r"\{([A-Z&]+)#")


def vsfc(root: Path, split: str) -> tuple[list[str], list[int]]:
    folder = root / "uit-vsfc"
    texts = (folder / f"{split}_sents.txt").read_text(encoding="utf-8").splitlines()
    topics = (folder / f"{split}_topics.txt").read_text(encoding="utf-8").split()
    return texts, [int(t) for t in topics]


def visfd(root: Path, split: str) -> tuple[list[str], list[int]]:
    """Comments with their first aspect (OTHERS-only comments dropped)."""
    name = {"train": "Train", "dev": "Dev", "test": "Test"}[split]
    texts, labels = [], []
    with (root / "uit-visfd" / f"{name}.csv").open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            aspects = [a for a in _LABEL.findall(row["label"]) if a in ASPECTS]
            if aspects:
                texts.append(row["comment"])
                labels.append(ASPECTS.index(aspects[0]))
    return texts, labels


def baseline_classifier(
    train: Sequence[str], labels: Sequence[int], test: Sequence[str]
) -> list[int]:
    vectorizer = TfidfVectorizer(ngram_range=(1, 2))
    model = LogisticRegression(max_iter=1000).fit(vectorizer.fit_transform(train), labels)
    return [int(p) for p in model.predict(vectorizer.transform(test))]


def assignment(train: Labelled, test: Labelled, descriptions: dict[int, str]) -> dict[str, float]:
    norm_train = [pipeline.normalize(t) for t in train[0]]
    norm_test = [pipeline.normalize(t) for t in test[0]]
    assigner = pipeline.SectionAssigner(
        descriptions, list(zip(norm_train, train[1], strict=True)), margin=-np.inf
    )
    ours = assigner.assign(norm_test)
    base = baseline_classifier(train[0], train[1], test[0])
    general = pipeline.SectionAssigner(descriptions, list(zip(norm_train, train[1], strict=True)))
    left_general = sum(s is None for s in general.assign(norm_test)) / len(norm_test)
    return {
        "ours_macro_f1": f1_score(test[1], ours, average="macro"),
        "ours_accuracy": accuracy_score(test[1], ours),
        "baseline_macro_f1": f1_score(test[1], base, average="macro"),
        "baseline_accuracy": accuracy_score(test[1], base),
        "share_left_general_at_default_margin": left_general,
    }


def _cluster_labels(found: list[pipeline.FoundTheme], n: int) -> list[int]:
    labels = [0] * n
    for number, theme in enumerate(found):
        for i in theme.members:
            labels[i] = number
    return labels


def theme_agreement(texts: Sequence[str], truth: Sequence[int]) -> dict[str, float]:
    k = len(set(truth))
    normalized = [pipeline.normalize(t) for t in texts]
    matrix = TfidfVectorizer().fit_transform(texts)
    points = TruncatedSVD(100, random_state=0).fit_transform(matrix)
    base = KMeans(k, random_state=0, n_init=10).fit_predict(points)
    fixed = _cluster_labels(pipeline.themes(normalized, k=k), len(texts))
    free = pipeline.themes(normalized)
    default = _cluster_labels(free, len(texts))
    return {
        "baseline_nmi": normalized_mutual_info_score(truth, base),
        "baseline_ari": adjusted_rand_score(truth, base),
        "ours_k_labels_nmi": normalized_mutual_info_score(truth, fixed),
        "ours_k_labels_ari": adjusted_rand_score(truth, fixed),
        "ours_default_nmi": normalized_mutual_info_score(truth, default),
        "ours_default_ari": adjusted_rand_score(truth, default),
        "ours_default_themes": len(free),
    }


# Near-duplicates ---------------------------------------------------------------------------

FILLERS = ["Theo tôi,", "Tôi thấy", "Ý kiến của tôi:", "Tóm lại", "Nói chung"]


def _typo(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(max(1, len(chars) // 30)):
        i = rng.randrange(len(chars))
        action = rng.choice(("drop", "swap", "double"))
        if action == "drop":
            chars.pop(i)
        elif action == "swap" and i + 1 < len(chars):
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        else:
            chars.insert(i, chars[i])
    return "".join(chars)


def _reorder(text: str, rng: random.Random) -> str:
    parts = [p.strip() for p in re.split(r"[,.;]", text) if p.strip()]
    rng.shuffle(parts)
    return ", ".join(parts)


def _reword(text: str, rng: random.Random) -> str:
    words = text.split()
    if len(words) > 6:
        words.pop(rng.randrange(len(words)))
    return f"{rng.choice(FILLERS)} {' '.join(words)}"


def near_duplicates(texts: Sequence[str], seed: int = 0, originals: int = 600) -> dict[str, float]:
    rng = random.Random(seed)
    unique = list(dict.fromkeys(t for t in texts if len(pipeline.normalize(t)) >= 40))
    chosen = set(rng.sample(range(len(unique)), min(originals, len(unique))))
    corpus, group = [], []
    for i, text in enumerate(unique):
        corpus.append(text)
        group.append(i)
        if i in chosen:
            for make in (_typo, _reorder, _reword):
                corpus.append(make(text, rng))
                group.append(i)
    truth = _pairs(group)
    normalized = [pipeline.normalize(t) for t in corpus]
    found = _pairs(pipeline.campaigns(normalized))
    exact = _pairs([normalized.index(t) for t in normalized])
    return {"comments": len(corpus), "true_pairs": len(truth)} | {
        f"{name}_{metric}": value
        for name, pairs in (("ours", found), ("baseline_exact", exact))
        for metric, value in _precision_recall(pairs, truth).items()
    }


def _pairs(groups: Sequence[int]) -> set[tuple[int, int]]:
    members: dict[int, list[int]] = {}
    for i, g in enumerate(groups):
        members.setdefault(g, []).append(i)
    return {pair for m in members.values() for pair in itertools.combinations(m, 2)}


def _precision_recall(found: set[tuple[int, int]], truth: set[tuple[int, int]]) -> dict[str, float]:
    hit = len(found & truth)
    return {"precision": hit / len(found) if found else 1.0, "recall": hit / len(truth)}


# Thresholds of later runs: absorption (ABSORB_SIMILARITY) and mapping (MAP_SIMILARITY) ------

SWEEP = (0.05, 0.08, 0.1, 0.12, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)


def _majority(found: list[pipeline.FoundTheme], labels: Sequence[int]) -> list[int]:
    return [Counter(labels[i] for i in t.members).most_common(1)[0][0] for t in found]


def _best(scores: list[list[float]]) -> tuple[np.ndarray, np.ndarray]:
    matrix = np.asarray(scores)
    return matrix.argmax(axis=1), matrix.max(axis=1)


def later_runs(root: Path, split: str) -> dict[str, dict[str, float]]:
    """ViSFD's train split is what a first run themed (default k); `split`'s comments arrive
    later. Absorption: each is put in its nearest theme by profile when the cosine reaches the
    threshold; right when the theme's majority aspect is its own. Unrelated comments (VSFC's
    student feedback, as many) should be left out. Mapping: themes found on `split` continue
    the first run's theme of closest profile when the cosine reaches the threshold; right when
    the majority aspects agree; VSFC's themes should map onto none."""
    texts, labels = visfd(root, "train")
    later, later_labels = visfd(root, split)
    off = [pipeline.normalize(t) for t in vsfc(root, split)[0][: len(later)]]
    found = pipeline.themes([pipeline.normalize(t) for t in texts])
    majority, profiles = _majority(found, labels), [t.terms for t in found]
    norm = [pipeline.normalize(t) for t in later]
    near, score = _best([[pipeline.similarity(t, p) for p in profiles] for t in norm])
    _, off_score = _best([[pipeline.similarity(t, p) for p in profiles] for t in off])
    right = np.array([majority[near[i]] == later_labels[i] for i in range(len(norm))])
    new = pipeline.themes(norm)
    new_major = _majority(new, later_labels)
    cos = [[pipeline._cosine(t.terms, p) for p in profiles] for t in new]
    target, map_score = _best(cos)
    map_right = np.array([majority[target[i]] == new_major[i] for i in range(len(new))])
    _, off_map = _best([[pipeline._cosine(t.terms, p) for p in profiles]
                        for t in pipeline.themes(off)])  # fmt: skip
    result: dict[str, dict[str, float]] = {}
    for t in SWEEP:
        taken = score >= t
        mapped = map_score >= t
        result[f"{t:.2f}"] = {
            "absorbed_share": float(taken.mean()),
            "absorbed_right": float(right[taken].mean()) if taken.any() else 0.0,
            "unrelated_left_out": float((off_score < t).mean()),
            "mapped_share": float(mapped.mean()),
            "mapped_right": float(map_right[mapped].mean()) if mapped.any() else 0.0,
            "unrelated_themes_not_mapped": float((off_map < t).mean()),
        }
    result["sizes"] = {"first_run_themes": len(found), "later": len(norm),
                       "later_themes": len(new), "unrelated": len(off)}  # fmt: skip
    # the ceiling of "absorbed_right": the share of the first run's own comments whose theme's
    # majority aspect is theirs (a comment absorbed perfectly is right this often)
    themed = {i: majority[n] for n, t in enumerate(found) for i in t.members}
    result["first_run_purity"] = {"share": float(np.mean([themed[i] == labels[i] for i in themed]))}
    return result


def other_theme(root: Path, split: str) -> dict[str, dict[str, float]]:
    """Per section (a VSFC topic, a ViSFD first aspect), as a draft's sections are themed:
    the train split is what a first run themed; `split`'s comments of the same section
    arrive later and are absorbed (`nearest_theme`). The share of the first run's comments in
    the "other" theme (label ""), the share of later comments absorbed, and of those put in
    the "other" theme; the same for as many unrelated comments (the other data set)."""
    result: dict[str, dict[str, float]] = {}
    for name, loader, unrelated in (("visfd", visfd, vsfc), ("vsfc", vsfc, visfd)):
        first, later = _by_section(*loader(root, "train")), _by_section(*loader(root, split))
        off = [pipeline.normalize(t) for t in unrelated(root, split)[0]]
        counts = Counter[str]()
        for section, texts in later.items():
            found = pipeline.themes(first[section])
            profiles = {i: t.terms for i, t in enumerate(found)}
            other = {i for i, t in enumerate(found) if not t.label}
            counts["first"] += len(first[section])
            counts["first_other"] += sum(len(found[i].members) for i in other)
            for kind, batch in (("later", texts), ("off", off[: len(texts)])):
                near = pipeline.nearest_theme(batch, profiles)
                counts[kind] += len(batch)
                counts[f"{kind}_absorbed"] += sum(n is not None for n in near)
                counts[f"{kind}_other"] += sum(n in other for n in near)
        result[name] = {
            "first_run_other_share": counts["first_other"] / counts["first"],
            "later_absorbed": counts["later_absorbed"] / counts["later"],
            "later_into_other": counts["later_other"] / counts["later"],
            "unrelated_absorbed": counts["off_absorbed"] / counts["off"],
            "unrelated_into_other": counts["off_other"] / counts["off"],
        }
    return result


def _by_section(texts: Sequence[str], labels: Sequence[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for text, label in zip(texts, labels, strict=True):
        found.setdefault(label, []).append(pipeline.normalize(text))
    return found


def evaluate(root: Path, split: str) -> dict[str, dict[str, float]]:
    vsfc_train, vsfc_test = vsfc(root, "train"), vsfc(root, split)
    visfd_train, visfd_test = visfd(root, "train"), visfd(root, split)
    aspects = {i: name.lower() for i, name in enumerate(ASPECTS)}
    return {
        "vsfc_topic_assignment": assignment(vsfc_train, vsfc_test, VSFC_TOPICS),
        "visfd_aspect_assignment": assignment(visfd_train, visfd_test, aspects),
        "vsfc_themes": theme_agreement(*vsfc_test),
        "visfd_themes": theme_agreement(*visfd_test),
        "visfd_near_duplicates": near_duplicates(visfd_test[0]),
        "sizes": dict(Counter({"vsfc": len(vsfc_test[0]), "visfd": len(visfd_test[0])})),
    }


def _rounded(value: object) -> object:
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    return round(float(value), 4) if isinstance(value, float) else value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="the folder holding uit-vsfc/ and uit-visfd/")
    parser.add_argument("--split", choices=("dev", "test"), default="dev")
    parser.add_argument("--later-runs", action="store_true",
                        help="only the thresholds of absorption and mapping (later_runs)")  # fmt: skip
    parser.add_argument("--other", action="store_true",
                        help="only what the 'other' theme takes (other_theme)")  # fmt: skip
    arguments = parser.parse_args()
    if arguments.other:
        result = other_theme(arguments.data, arguments.split)
    elif arguments.later_runs:
        result = later_runs(arguments.data, arguments.split)
    else:
        result = evaluate(arguments.data, arguments.split)
    sys.stdout.write(json.dumps(_rounded(result), indent=2) + "\n")


if __name__ == "__main__":
    main()
