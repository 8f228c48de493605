"""The seating solver, checked by an independent reading of its answer: every hard constraint
is verified here from the seats alone, not from the solver's own variables."""

import itertools
from collections import defaultdict

import pytest

from dondoc.bench.congress import changes, national
from dondoc.congress.hall import standard_hall
from dondoc.congress.seating import (
    FRONT_BLOCKS,
    Person,
    SeatingInfeasibleError,
    Spot,
    plan,
)


def violations(
    spots: list[Spot], people: list[Person], order: list[int], seats: dict[int, int]
) -> list[str]:
    """Every broken hard constraint, in words."""
    rank = {spot.id: i for i, spot in enumerate(spots)}
    accessible = {spot.id for spot in spots if spot.accessible}
    found = []
    if set(seats) != {p.id for p in people}:
        found.append("not everyone is seated exactly once")
    if len(set(seats.values())) != len(seats):
        found.append("two people share a seat")
    by_block: dict[int, list[int]] = defaultdict(list)
    for person in people:
        by_block[person.block].append(rank[seats[person.id]])
        if person.needs_accessible and seats[person.id] not in accessible:
            found.append(f"{person.id} needs an accessible seat")
    for block, ranks in by_block.items():
        if max(ranks) - min(ranks) + 1 != len(ranks):
            found.append(f"block {block} is not contiguous")
    front = [b for b in order if b in by_block][:FRONT_BLOCKS]
    for before, after in itertools.pairwise(front):
        if max(by_block[before]) > min(by_block[after]):
            found.append(f"block {before} is not before {after}")
    last_front = max(by_block[front[-1]])
    if any(min(r) < last_front for b, r in by_block.items() if b not in front):
        found.append("a block sits ahead of the front delegations")
    return found


def test_national_congress_is_seated_by_contiguous_blocks_in_protocol_order():
    spots, people, order = national()
    result = plan(spots, people, order)
    assert violations(spots, people, order, result.seats) == []
    assert result.moves == 0


def test_reseating_after_twenty_changes_moves_fewer_than_sixty_delegates():
    spots, people, order = national()
    first = plan(spots, people, order)
    changed = changes(people, 20)
    again = plan(spots, changed, order, first.seats)
    assert violations(spots, changed, order, again.seats) == []
    assert again.moves < 60
    stayed = sum(
        1 for p in changed if p.id in first.seats and again.seats[p.id] == first.seats[p.id]
    )
    assert stayed >= len(changed) - 20 - 60


def test_a_delegation_too_large_for_the_accessible_seats_it_needs_is_refused():
    spots = [Spot(i, "A", accessible=i == 0) for i in range(10)]
    people = [Person(i, 1, needs_accessible=True) for i in range(2)]
    with pytest.raises(SeatingInfeasibleError):
        plan(spots, people, [1])


def test_standard_hall_ranks_every_delegate_seat_once():
    hall = standard_hall(rows=20, width=25)
    ranks = [seat.rank for seat in hall if seat.zone == "delegates"]
    assert sorted(ranks) == list(range(2000))  # type: ignore[type-var]
    assert all(seat.rank is None for seat in hall if seat.zone != "delegates")
