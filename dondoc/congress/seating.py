"""The seating solver: delegation blocks placed in the hall with OR-Tools CP-SAT.

The delegate seats of the hall are laid out in one line, `rank` order (front to back, row by
row, each row walked in the opposite direction to the one before, so neighbours in the line are
neighbours in the hall). A delegation's block is then a run of consecutive places in that line,
and the model has one interval per delegation instead of a variable per delegate and seat
(1,600 x 2,000 of them): the solver places the intervals, and the delegates are put in their
block's seats afterwards.

Hard constraints:
- every block is one run of consecutive seats, and blocks do not overlap;
- the front delegations (the first `FRONT_BLOCKS` in protocol order) come first, in that order;
- a block holds at least as many accessible seats as its delegates who need one.

Objective: first seating (`plan`) keeps blocks within one section of the hall (a block split
by an aisle is penalised) and the others near their protocol order; re-seating (`plan` with
`previous`) minimises the delegates who must move: a delegate already seated keeps their seat
when it lies inside their delegation's new block.

Pure Python, no database: the services feed it and store the answer; the benchmark
(`python -m dondoc.bench.congress`) and the tests call it directly.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where a plan is solved: OR-Tools (with pandas) takes ~1 s to
    # import, and every web and worker process loads this module through the API's URLs
    from ortools.sat.python import cp_model

FRONT_BLOCKS = 6
CROSSING_COST = 1_000


@dataclasses.dataclass(frozen=True)
class Spot:
    """A delegate seat, in rank order."""

    id: int
    section: str
    accessible: bool = False


@dataclasses.dataclass(frozen=True)
class Person:
    id: int
    block: int  # the delegation
    needs_accessible: bool = False


@dataclasses.dataclass(frozen=True)
class Plan:
    seats: dict[int, int]  # person id -> spot id
    moves: int  # people seated before whose seat changed
    crossings: int  # blocks split between two sections
    optimal: bool


class SeatingInfeasibleError(ValueError):
    """The hall cannot hold the delegations under the hard constraints."""


def _block_sizes(people: Sequence[Person]) -> dict[int, tuple[int, int]]:
    sizes: dict[int, tuple[int, int]] = {}
    for person in people:
        size, needs = sizes.get(person.block, (0, 0))
        sizes[person.block] = (size + 1, needs + person.needs_accessible)
    return sizes


def _crossings_at(spots: Sequence[Spot], size: int) -> list[int]:
    """For each start, how many section boundaries a run of `size` seats from it straddles."""
    changes = [
        0,
        *itertools.accumulate(
            int(spots[i].section != spots[i - 1].section) if i else 0 for i in range(len(spots))
        ),
    ]
    # boundaries strictly inside (start, start + size)
    return [changes[s + size] - changes[s + 1] for s in range(len(spots) - size + 1)]


def _section_starts(spots: Sequence[Spot]) -> list[int]:
    return [i for i in range(1, len(spots)) if spots[i].section != spots[i - 1].section]


def _crossing_vars(
    model: cp_model.CpModel,
    start: cp_model.IntVar,
    end: cp_model.IntVar,
    boundaries: Sequence[int],
) -> list[cp_model.IntVar]:
    """One boolean per section boundary: false keeps the block to one side of it."""
    out = []
    for boundary in boundaries:
        crosses, before, after = (model.new_bool_var("") for _ in range(3))
        model.add(end <= boundary).only_enforce_if(before)
        model.add(start >= boundary).only_enforce_if(after)
        model.add_bool_or([before, after, crosses])
        out.append(crosses)
    return out


def _moves(
    model: cp_model.CpModel,
    start: cp_model.IntVar,
    end: cp_model.IntVar,
    ranks: Sequence[int],
    bound: int,
) -> cp_model.IntVar:
    """How many of the block's people seated before (at `ranks`) its new run leaves out: the
    span they occupied less its overlap with the run (a seat freed inside the span counts as
    kept, so this is a bound the reported `moves` can only beat)."""
    ranks = _main_cluster(ranks)
    if not ranks:
        return model.new_constant(0)
    lo, hi = min(ranks), max(ranks) + 1
    right, left = model.new_int_var(0, bound, ""), model.new_int_var(0, bound, "")
    model.add_min_equality(right, [end, model.new_constant(hi)])
    model.add_max_equality(left, [start, model.new_constant(lo)])
    overlap = model.new_int_var(-bound, bound, "")
    model.add(overlap == right - left)
    kept = model.new_int_var(0, hi - lo, "")
    model.add_max_equality(kept, [overlap, model.new_constant(0)])
    moved = model.new_int_var(0, hi - lo, "")
    model.add(moved == (hi - lo) - kept)
    return moved


def _main_cluster(ranks: Sequence[int], gap: int = 3) -> list[int]:
    """The largest group of the ranks lying close together: where the block sat. A delegate
    who came from another delegation sat elsewhere, and is seated like a newcomer."""
    clusters: list[list[int]] = []
    for rank in sorted(ranks):
        if clusters and rank - clusters[-1][-1] <= gap:
            clusters[-1].append(rank)
        else:
            clusters.append([rank])
    return max(clusters, key=len, default=[])


def plan(
    spots: Sequence[Spot],
    people: Sequence[Person],
    order: Sequence[int],
    previous: Mapping[int, int] | None = None,
    *,
    areas: Mapping[int, frozenset[int]] | None = None,
    seconds: float = 4.0,
    workers: int = 2,
) -> Plan:
    """Seat `people` (in the order they should sit within their block) in `spots` (rank
    order) by delegation blocks in protocol `order`. With `previous` (person id -> spot id),
    move as few of those people as possible. `areas` (block -> the spot ids it may take) keeps
    a block inside one area of the hall (a guest's seating area: a section, a row); protocol
    order then holds among the blocks of the same area, and among the free ones."""
    sizes = _block_sizes(people)
    order = [block for block in order if block in sizes]
    if len(people) > len(spots):
        raise SeatingInfeasibleError(f"{len(people)} delegates for {len(spots)} seats")
    index = {spot.id: rank for rank, spot in enumerate(spots)}
    rank_of = {pid: index[sid] for pid, sid in (previous or {}).items() if sid in index}
    previous_ranks: dict[int, list[int]] | None = None
    if previous is not None:
        previous_ranks = {}
        for person in people:
            if person.id in rank_of:
                previous_ranks.setdefault(person.block, []).append(rank_of[person.id])
    hint = None
    if previous_ranks is not None:
        try:  # the blocks slide along the line in the order they sat
            hint, _ = _solve(
                spots,
                _previous_order(order, previous_ranks),
                sizes,
                None,
                None,
                seconds / 4,
                workers,
                areas,
            )
            order = _previous_order(order, previous_ranks)
        except SeatingInfeasibleError:  # a block must pass another: protocol order again
            hint, _ = _solve(spots, order, sizes, None, None, seconds / 4, workers, areas)
    chosen, optimal = _solve(spots, order, sizes, previous_ranks, hint, seconds, workers, areas)
    seats = _fill(spots, people, chosen, rank_of)
    moves = sum(1 for pid, rank in rank_of.items() if pid in seats and seats[pid] != spots[rank].id)
    crossings = sum(_crossings_at(spots, sizes[b][0])[s] for b, s in chosen.items())
    return Plan(seats, moves, crossings, optimal)


def _previous_order(order: Sequence[int], previous_ranks: Mapping[int, list[int]]) -> list[int]:
    """The blocks in the order they sat before (a block new to the hall keeps its protocol
    place among them): re-seating slides blocks along the line, it does not swap them."""
    placed = {b: min(_main_cluster(ranks)) for b, ranks in previous_ranks.items() if ranks}
    protocol = {block: i for i, block in enumerate(order)}
    position: dict[int, float] = {}
    last = -1.0
    for block in order:
        last = placed.get(block, last + 0.5)
        position[block] = last
    return sorted(order, key=lambda b: (position[b], protocol[b]))


def _solve(
    spots: Sequence[Spot],
    order: Sequence[int],
    sizes: Mapping[int, tuple[int, int]],
    previous_ranks: Mapping[int, list[int]] | None,
    hint: Mapping[int, int] | None,
    seconds: float,
    workers: int,
    areas: Mapping[int, frozenset[int]] | None = None,
) -> tuple[dict[int, int], bool]:
    """Each block's start, and whether the solver proved them optimal."""
    from ortools.sat.python import cp_model

    model, blocks = _model(spots, order, sizes, previous_ranks, areas or {})
    model.minimize(sum(b.cost for b in blocks.values()))
    for block, start in (hint or {}).items():  # a complete hint: start, end and cost
        model.add_hint(blocks[block].start, start)
        model.add_hint(blocks[block].end, start + sizes[block][0])
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = workers
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise SeatingInfeasibleError(solver.status_name(status))
    chosen = {block: solver.value(b.start) for block, b in blocks.items()}
    return chosen, status == cp_model.OPTIMAL


@dataclasses.dataclass(frozen=True)
class _Block:
    start: cp_model.IntVar
    end: cp_model.IntVar
    cost: cp_model.IntVar


def _model(
    spots: Sequence[Spot],
    order: Sequence[int],
    sizes: Mapping[int, tuple[int, int]],
    previous_ranks: Mapping[int, list[int]] | None,
    areas: Mapping[int, frozenset[int]],
) -> tuple[cp_model.CpModel, dict[int, _Block]]:
    """One start per block, restricted to the starts whose run holds enough accessible seats
    (and lies inside the block's area, if it has one); the runs do not overlap; the blocks
    keep protocol order among those of the same area; each block's cost read from its table
    by its start."""
    from ortools.sat.python import cp_model

    model, n = cp_model.CpModel(), len(spots)
    accessible = [0, *itertools.accumulate(int(spot.accessible) for spot in spots)]
    blocks: dict[int, _Block] = {}
    intervals = []
    for block in order:
        size, needs = sizes[block]
        allowed = [s for s in range(n - size + 1) if accessible[s + size] - accessible[s] >= needs]
        if block in areas:
            inside = [0, *itertools.accumulate(int(spot.id in areas[block]) for spot in spots)]
            allowed = [s for s in allowed if inside[s + size] - inside[s] == size]
        if not allowed:
            raise SeatingInfeasibleError(
                f"no run of {size} seats has {needs} accessible ones"
                + (" in its area" if block in areas else "")
            )
        start = model.new_int_var_from_domain(cp_model.Domain.from_values(allowed), "")
        end = model.new_int_var(size, n, "")
        intervals.append(model.new_interval_var(start, size, end, ""))
        if previous_ranks is None:
            cost = model.new_int_var(0, n * (CROSSING_COST + 1), "")
            crossings = _crossing_vars(model, start, end, _section_starts(spots))
            model.add(cost == CROSSING_COST * sum(crossings) + start)
        else:
            cost = _moves(model, start, end, previous_ranks.get(block, []), n)
        blocks[block] = _Block(start, end, cost)
    model.add_no_overlap(intervals)
    lanes: dict[frozenset[int] | None, list[int]] = {}
    for block in order:
        lanes.setdefault(areas.get(block), []).append(block)
    for lane in lanes.values():
        for before, after in itertools.pairwise(lane):
            model.add(blocks[before].end <= blocks[after].start)
    return model, blocks


def _fill(
    spots: Sequence[Spot],
    people: Sequence[Person],
    starts: Mapping[int, int],
    rank_of: Mapping[int, int],
) -> dict[int, int]:
    """Put each block's people in its run: those who need an accessible seat on one, those
    already inside the run on their seat, the others on the free seats in order."""
    members: dict[int, list[Person]] = {}
    for person in people:
        members.setdefault(person.block, []).append(person)
    seats: dict[int, int] = {}
    for block, group in members.items():
        run = range(starts[block], starts[block] + len(group))
        seats.update(_fill_block(spots, group, run, rank_of))
    return seats


def _fill_block(
    spots: Sequence[Spot], group: Sequence[Person], run: range, rank_of: Mapping[int, int]
) -> dict[int, int]:
    free = set(run)
    placed: dict[int, int] = {}  # person -> rank
    needing = [p for p in group if p.needs_accessible]
    others = [p for p in group if not p.needs_accessible]
    # who keeps their seat: those needing one already on an accessible seat, then the others
    # (an accessible seat still needed by someone is given up)
    for person in needing:
        rank = rank_of.get(person.id)
        if rank in free and spots[rank].accessible:
            placed[person.id] = rank
            free.discard(rank)
    open_accessible = sorted(r for r in free if spots[r].accessible)
    still_needing = [p for p in needing if p.id not in placed]
    reserved = set(open_accessible[: len(still_needing)])
    for person in others:
        rank = rank_of.get(person.id)
        if rank in free and rank not in reserved:
            placed[person.id] = rank
            free.discard(rank)
    for person, rank in zip(still_needing, sorted(reserved), strict=False):
        placed[person.id] = rank
        free.discard(rank)
    remaining = iter(sorted(free))
    for person in group:
        if person.id not in placed:
            placed[person.id] = next(remaining)
    return {pid: spots[rank].id for pid, rank in placed.items()}
