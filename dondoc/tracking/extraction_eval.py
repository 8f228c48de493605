"""Measure assisted entry on real directive texts: `python -m dondoc.tracking.extraction_eval`.

    uv run python -m dondoc.tracking.extraction_eval --half dev     # tune on this one
    uv run python -m dondoc.tracking.extraction_eval --half test    # read once, at the end
    uv run python -m dondoc.tracking.extraction_eval --half heldout # the texts added later: once
    uv run python -m dondoc.tracking.extraction_eval --half heldout3  # Nov 2025 texts, products
    uv run python -m dondoc.tracking.extraction_eval --half dev3      # Nov 2025 texts: tune here
    uv run python -m dondoc.tracking.extraction_eval --half heldout4  # Nov 2025 texts: once
    uv run python -m dondoc.tracking.extraction_eval --half heldout5  # other genres: once
    uv run python -m dondoc.tracking.extraction_eval --half dev4      # provincial plans, chỉ thị: tune
    uv run python -m dondoc.tracking.extraction_eval --half dev5      # plans, letters (Nov 2025): tune
    uv run python -m dondoc.tracking.extraction_eval --half heldout6  # plans, ministry letters: once
    uv run python -m dondoc.tracking.extraction_eval --half heldout7  # plans, letters (seed 1616): once
    uv run python -m dondoc.tracking.extraction_eval --half dev6      # seed-1717 draw: tune here
    uv run python -m dondoc.tracking.extraction_eval --half heldout8  # seed-1717 draw: dev now
    uv run python -m dondoc.tracking.extraction_eval --half heldout9  # new source, 1818: dev now
    uv run python -m dondoc.tracking.extraction_eval --half heldout10 # rest of the 1818 draw: once

`--half` is any list of `SPLIT.json` (dev, test; dev2 and heldout for the texts added later,
cut with their own seed before the extractor read them; heldout2 and heldout3 for the last
texts, wholly held out); several joined by "+" are measured
together ("dev+dev2").

The corpus is tests/tracking/extraction_real/ (texts, `labels.json`, `SPLIT.json`; the
annotation rules are in docs/assisted-entry.md). The registry is the reference one of a central
office (party bodies, leadership bodies, provinces: `dondoc/demo/data/agencies.json`), built in
memory, so most ministries, departments and district bodies are *not* registered: their leads
are judged on the words the extractor keeps (`lead_text`).

Scores, over proposals and labelled assignments paired greedily in text order by lead:

- lead precision, recall, F1: a proposal is right when its lead words (or its registered
  agency's name) fold to the labelled lead or one of its written aliases;
- coordinators precision, recall, F1 on the paired tasks (named agencies only: groups such as
  "các bộ, ngành" and fillers such as "các cơ quan liên quan" are not labelled);
- deadline exact: paired tasks whose due date equals the label's (both none counts as right);
- leads not in the text: proposals whose lead words do not occur in the document;
- product precision, recall, F1 (labels with a `product` key only, `heldout3` on): a paired
  task's first proposed product kind ("báo cáo", "đề án", "nghị định" ...) against the label's
  kind or its `product_aliases`; recall counts every labelled product, paired or not.
"""

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dondoc.tracking.extraction import AgencyMatcher, ProposedTask

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "tracking" / "extraction_real"
REGISTRY = Path(__file__).resolve().parents[1] / "demo" / "data" / "agencies.json"


def registry_rows(path: Path = REGISTRY) -> list[tuple[str, str, str]]:
    """(code, name, short name) of the reference agencies, as a central office holds them."""
    data = json.loads(path.read_text(encoding="utf-8"))
    names: list[str] = list(data["issuing_bodies"])
    names += [body["name"] for body in data["central_bodies"]]
    for key, value in data.items():
        if key.startswith(("party_committees", "other_party")):
            names += list(value)
    provinces = data["provinces_from_2025_07_01"]
    names += [f"Thành ủy {city['name']}" for city in provinces["centrally_run_cities"]]
    names += [f"Tỉnh ủy {province['name']}" for province in provinces["provinces"]]
    return [(name, name, "") for name in dict.fromkeys(names)]


def key(text: str) -> str:
    from dondoc.tracking.extraction.folding import fold_words

    return " ".join(fold_words(text))


@dataclass
class Score:
    proposals: int = 0
    labelled: int = 0
    lead_right: int = 0
    coordinators_proposed: int = 0
    coordinators_labelled: int = 0
    coordinators_right: int = 0
    deadline_right: int = 0
    leads_not_in_text: int = 0
    products_proposed: int = 0
    products_labelled: int = 0
    products_right: int = 0
    misses: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        lead = _prf(self.lead_right, self.proposals, self.labelled)
        coordinators = _prf(
            self.coordinators_right, self.coordinators_proposed, self.coordinators_labelled
        )
        deadline = self.deadline_right / self.lead_right if self.lead_right else 0.0
        product = _prf(self.products_right, self.products_proposed, self.products_labelled)
        not_in_text = self.leads_not_in_text / self.proposals if self.proposals else 0.0
        return [
            f"assignments labelled {self.labelled}, proposals {self.proposals}",
            "lead          P {:.3f}  R {:.3f}  F1 {:.3f}".format(*lead),
            "coordinators  P {:.3f}  R {:.3f}  F1 {:.3f}".format(*coordinators),
            f"deadline exact on paired tasks {deadline:.3f} ({self.deadline_right}/{self.lead_right})",
            f"leads not in the text {self.leads_not_in_text}/{self.proposals} ({not_in_text:.3f})",
            "product       P {:.3f}  R {:.3f}  F1 {:.3f}".format(*product)
            + f" ({self.products_right} right, {self.products_proposed} proposed,"
            f" {self.products_labelled} labelled)",
        ]


def _prf(right: int, proposed: int, labelled: int) -> tuple[float, float, float]:
    precision = right / proposed if proposed else 0.0
    recall = right / labelled if labelled else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def lead_words(task: "ProposedTask") -> str:
    return task.lead_text or (task.lead.name if task.lead else "")


def coordinator_keys(task: "ProposedTask") -> set[str]:
    named = [ref.name for ref in task.coordinating if not ref.code.startswith("GROUP:")]
    return {key(name) for name in [*named, *task.coordinating_text]}


def score_document(document: dict[str, Any], matcher: "AgencyMatcher", score: Score) -> None:
    from dondoc.tracking.extraction import extract_tasks

    text = (CORPUS / document["file"]).read_text(encoding="utf-8")
    issued_on = dt.date.fromisoformat(document["issued_on"]) if document["issued_on"] else None
    proposals = extract_tasks(text, issued_on, matcher)
    labels: list[dict[str, Any]] = document["assignments"]
    score.proposals += len(proposals)
    score.labelled += len(labels)
    folded_text = key(text)
    for proposal in proposals:
        if key(lead_words(proposal)) not in folded_text:
            score.leads_not_in_text += 1
    unpaired = list(proposals)
    for label in labels:
        if label.get("product"):
            score.products_labelled += 1
        wanted = {key(label["lead"]), *(key(alias) for alias in label.get("lead_aliases", []))}
        found = next((p for p in unpaired if _lead_keys(p) & wanted), None)
        if found is None:
            score.misses.append(f"{document['id']}: no proposal for lead {label['lead']!r}")
            continue
        unpaired.remove(found)
        score.lead_right += 1
        co_leads = {key(lead) for lead in label.get("leads", [])}
        proposed = coordinator_keys(found) - co_leads  # several leads: flagged, not coordinators
        labelled = {key(c) for c in label["coordinators"]}
        score.coordinators_proposed += len(proposed)
        score.coordinators_labelled += len(labelled)
        score.coordinators_right += len(proposed & labelled)
        due = (
            found.deadline.due_on.isoformat() if found.deadline and found.deadline.due_on else None
        )
        if due == label["deadline"]:
            score.deadline_right += 1
        else:
            score.misses.append(f"{document['id']}: deadline {due} for {label['deadline']}")
        if proposed != labelled:
            score.misses.append(f"{document['id']}: coordinators {proposed} for {labelled}")
        _score_product(document["id"], found, label, score)
    for proposal in unpaired:
        score.misses.append(f"{document['id']}: extra proposal, lead {lead_words(proposal)!r}")


def _score_product(
    document_id: str, found: "ProposedTask", label: dict[str, Any], score: Score
) -> None:
    """The expected product (sản phẩm): right when the proposal's first product kind folds to the
    label's or one of its `product_aliases`; labels without a `product` key are not counted."""
    if "product" not in label:
        return
    products: Sequence[str] = getattr(found, "products", ())
    proposed = key(products[0]) if products else ""
    wanted = {key(label["product"] or ""), *(key(a) for a in label.get("product_aliases", []))}
    if proposed:
        score.products_proposed += 1
    if proposed and label["product"] and proposed in wanted:
        score.products_right += 1
    elif proposed or label["product"]:
        score.misses.append(f"{document_id}: product {proposed or None} for {label['product']}")


def _lead_keys(task: "ProposedTask") -> set[str]:
    keys = {key(task.lead_text)} if task.lead_text else set()
    return keys | ({key(task.lead.name)} if task.lead else set())


def evaluate(half: str, matcher: "AgencyMatcher | None" = None) -> Score:
    from dondoc.tracking.extraction import AgencyMatcher

    documents = json.loads((CORPUS / "labels.json").read_text(encoding="utf-8"))["documents"]
    split = json.loads((CORPUS / "SPLIT.json").read_text(encoding="utf-8"))
    chosen = {doc_id for part in half.split("+") for doc_id in split[part]}
    matcher = matcher or AgencyMatcher(registry_rows())
    score = Score()
    for document in documents:
        if document["id"] in chosen:
            score_document(document, matcher, score)
    return score


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--half",
        required=True,
        help="dev, test, dev2 ... dev6, heldout, heldout2 ... heldout10 or a+b",
    )
    parser.add_argument("--misses", action="store_true", help="list what went wrong")
    arguments = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.settings")
    import django

    django.setup()
    score = evaluate(arguments.half)
    _print([f"half: {arguments.half}", *score.lines()])
    if arguments.misses:
        _print(score.misses)
    return 0


def _print(lines: Iterable[str]) -> None:
    sys.stdout.write("".join(f"{line}\n" for line in lines))


if __name__ == "__main__":
    raise SystemExit(main())
