"""Congress benchmark: `uv run python -m dondoc.bench.congress [seating|badges ...]` (both
when none is named).

A national congress in a 2,000-seat hall: 1,600 official delegates in 46 delegations (sizes 20
to 50, about 2% needing an accessible seat). Solves the first seating five times and reports
the median seconds, then makes 20 changes (delegates leave, alternates come in, a delegate
switches delegation, accessibility needs appear) and re-seats, reporting seconds and moves.
No database: the solver alone (`dondoc.congress.seating`).

Badges: the PDF of 2,000 badges (1,600 delegates, 200 guests, 200 journalists, real signed codes; unsaved rows, no
database), wall and CPU seconds of the process (`resource.getrusage`), and the PDF's size.
"""

import datetime as dt
import os
import random
import resource
import statistics
import sys
import time

from dondoc.congress.hall import standard_hall
from dondoc.congress.seating import Person, Plan, Spot, plan


def national(seed: int = 7) -> tuple[list[Spot], list[Person], list[int]]:
    rng = random.Random(seed)
    hall = [s for s in standard_hall(rows=20, width=25) if s.rank is not None]
    spots = [
        Spot(i, s.section, s.accessible)
        for i, s in enumerate(sorted(hall, key=lambda s: s.rank or 0))
    ]
    sizes = [20 + rng.randrange(31) for _ in range(46)]
    scale = 1600 / sum(sizes)
    sizes = [max(5, round(size * scale)) for size in sizes]
    sizes[-1] += 1600 - sum(sizes)
    people, pid = [], 0
    for block, size in enumerate(sizes):
        for _ in range(size):
            people.append(Person(pid, block, rng.random() < 0.02))
            pid += 1
    return spots, people, list(range(46))


def changes(people: list[Person], count: int, seed: int = 11) -> list[Person]:
    """`count` changes: a quarter leave, a quarter arrive (alternates), a quarter switch
    delegation, a quarter come to need an accessible seat."""
    rng = random.Random(seed)
    people = list(people)
    next_id = max(p.id for p in people) + 1
    for i in range(count):
        kind = i % 4
        victim = rng.randrange(len(people))
        if kind == 0:
            people.pop(victim)
        elif kind == 1:
            people.append(Person(next_id, people[victim].block))
            next_id += 1
        elif kind == 2:
            old = people[victim]
            people[victim] = Person(old.id, rng.randrange(46), old.needs_accessible)
        else:
            old = people[victim]
            people[victim] = Person(old.id, old.block, True)
    return people


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def badges(count: int = 2000) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.settings")
    django.setup()
    from dondoc.congress.badges import cards_pdf, delegate_card, guest_card, press_card
    from dondoc.congress.models import Congress, Delegate, Delegation, Guest, PressPass

    congress = Congress(
        pk=1,
        name="Đại hội đại biểu toàn quốc lần thứ XIV của Đảng",
        kind="congress",
        opens_on=dt.date(2026, 1, 19),
        closes_on=dt.date(2026, 1, 23),
    )
    delegation = Delegation(pk=1, congress=congress, code="HN", name="Đảng bộ thành phố Hà Nội")
    delegates = count * 4 // 5
    cards = [
        delegate_card(
            Delegate(
                pk=i + 1,
                congress=congress,
                delegation=delegation,
                full_name=f"Nguyễn Văn Thành {i + 1}",
                kind="elected",
                standing="official",
            ),
            f"B-{i % 20 + 1}-{i % 25 + 1}",
        )
        for i in range(delegates)
    ]
    visitors = count - delegates
    cards += [
        guest_card(
            Guest(
                pk=i + 1,
                congress=congress,
                kind="international" if i % 4 == 0 else "domestic",
                full_name=f"Khách mời {i + 1}",
                organization="Đảng Nhân dân Cách mạng Lào",
                seating_area="K-1",
            )
        )
        for i in range(visitors // 2)
    ]
    cards += [
        press_card(
            PressPass(
                pk=i + 1,
                congress=congress,
                full_name=f"Phóng viên {i + 1}",
                outlet="Thông tấn xã Việt Nam",
                role="photo",
            )
        )
        for i in range(visitors - visitors // 2)
    ]
    started, cpu = time.perf_counter(), _cpu()
    body = cards_pdf(congress, cards)
    print(  # noqa: T201
        f"badges={len(cards)}: {time.perf_counter() - started:.1f} s wall, "
        f"{_cpu() - cpu:.1f} s CPU, {len(body) / 1e6:.1f} MB"
    )


def seating() -> None:
    spots, people, order = national()
    times, first = [], None
    for _ in range(5):
        started = time.perf_counter()
        first = plan(spots, people, order)
        times.append(time.perf_counter() - started)
    assert first is not None
    print(  # noqa: T201
        f"seats={len(spots)} delegates={len(people)} delegations={len(order)}"
    )
    print(  # noqa: T201
        f"first seating: median {statistics.median(times):.2f} s (runs {', '.join(f'{t:.2f}' for t in times)}); crossings {first.crossings}; optimal {first.optimal}"
    )
    changed = changes(people, 20)
    started = time.perf_counter()
    again: Plan = plan(spots, changed, order, first.seats)
    print(  # noqa: T201
        f"re-seat after 20 changes: {time.perf_counter() - started:.2f} s; moves {again.moves}; optimal {again.optimal}"
    )


def main() -> None:
    parts = sys.argv[1:] or ["seating", "badges"]
    if "seating" in parts:
        seating()
    if "badges" in parts:
        badges()


if __name__ == "__main__":
    main()
