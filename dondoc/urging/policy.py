"""When a task's reminders fall due: pure date arithmetic, no database.

A rule set (`ReminderRuleSet`, edited by the office) becomes a `Policy`. For a task whose
effective deadline is `d`, the policy defines a series of *steps*, each a date with the kinds of
reminder due on it:

- ``due_soon`` on ``d - k`` for each ``k`` in `days_before` (e.g. 7 and 2 days before);
- ``due_today`` on ``d`` itself, if `on_due_day`;
- ``overdue`` on ``d + 1`` (the first day overdue), then every `overdue_every` days
  (``d + 1``, ``d + 4``, ``d + 7``… for 3); `overdue_every` 0 means the ``d + 1`` notice only;
- ``escalation`` once, on ``d + escalate_after`` (the task has been overdue that many days);
  `escalate_after` 0 means never.

A reminder is identified by its kind and the date of its step (its *reference date*), so the
same reminder is the same whatever day the sweep that sends it runs on.

Catching up: when a schedule is processed on day ``D`` and its next step ``S`` is in the past
(new task, changed deadline, a sweep that did not run for days), only the *latest* step on or
before ``D`` is sent — a task due tomorrow gets one "due soon" reminder, not every one it missed
— plus the escalation if it fell between ``S`` and ``D``, because an escalation is never skipped.
"""

import datetime as dt
from dataclasses import dataclass

DUE_SOON, DUE_TODAY, OVERDUE, ESCALATION = "due_soon", "due_today", "overdue", "escalation"
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Policy:
    days_before: tuple[int, ...] = (7, 2)
    on_due_day: bool = True
    overdue_every: int = 3
    escalate_after: int = 7
    revision: int = 0


def _overdue_after(policy: Policy, deadline: dt.date, day: dt.date) -> dt.date | None:
    """The first overdue step strictly after `day`."""
    first = deadline + DAY
    if day < first:
        return first
    if policy.overdue_every <= 0:
        return None
    passed = (day - first).days // policy.overdue_every + 1
    return first + dt.timedelta(days=passed * policy.overdue_every)


def _overdue_until(policy: Policy, deadline: dt.date, day: dt.date) -> dt.date | None:
    """The last overdue step on or before `day`."""
    first = deadline + DAY
    if day < first:
        return None
    if policy.overdue_every <= 0:
        return first
    done = (day - first).days // policy.overdue_every
    return first + dt.timedelta(days=done * policy.overdue_every)


def _fixed_steps(policy: Policy, deadline: dt.date) -> dict[dt.date, set[str]]:
    """The steps that happen once: before the deadline, on it, and the escalation."""
    steps: dict[dt.date, set[str]] = {}
    for days in policy.days_before:
        if days > 0:
            steps.setdefault(deadline - days * DAY, set()).add(DUE_SOON)
    if policy.on_due_day:
        steps.setdefault(deadline, set()).add(DUE_TODAY)
    if policy.escalate_after > 0:
        steps.setdefault(escalation_on(policy, deadline), set()).add(ESCALATION)
    return steps


def escalation_on(policy: Policy, deadline: dt.date) -> dt.date:
    return deadline + policy.escalate_after * DAY


def kinds_on(policy: Policy, deadline: dt.date, day: dt.date) -> set[str]:
    """The kinds of reminder whose step is `day`."""
    kinds = set(_fixed_steps(policy, deadline).get(day, set()))
    if _overdue_until(policy, deadline, day) == day:
        kinds.add(OVERDUE)
    return kinds


def first_step(policy: Policy, deadline: dt.date) -> dt.date | None:
    """The earliest step of the series (where a new schedule starts)."""
    candidates = [*_fixed_steps(policy, deadline), _overdue_after(policy, deadline, deadline)]
    return min((c for c in candidates if c is not None), default=None)


def step_after(policy: Policy, deadline: dt.date, day: dt.date) -> dt.date | None:
    """The first step strictly after `day`; None when the series has ended."""
    candidates = [d for d in _fixed_steps(policy, deadline) if d > day]
    overdue = _overdue_after(policy, deadline, day)
    if overdue is not None:
        candidates.append(overdue)
    return min(candidates, default=None)


def step_until(policy: Policy, deadline: dt.date, day: dt.date) -> dt.date | None:
    """The last step on or before `day`."""
    candidates = [d for d in _fixed_steps(policy, deadline) if d <= day]
    overdue = _overdue_until(policy, deadline, day)
    if overdue is not None:
        candidates.append(overdue)
    return max(candidates, default=None)


def reminders_due(
    policy: Policy, deadline: dt.date, since: dt.date, today: dt.date
) -> list[tuple[str, dt.date]]:
    """What to send on `today` for a schedule whose next step was `since` (<= today): the
    reminders of the latest step in [since, today], and an escalation that fell in that range.
    Each is (kind, reference date)."""
    latest = step_until(policy, deadline, today)
    if latest is None or latest < since:
        return []
    due = [(kind, latest) for kind in sorted(kinds_on(policy, deadline, latest))]
    escalation = escalation_on(policy, deadline)
    if policy.escalate_after > 0 and since <= escalation < latest:
        due.append((ESCALATION, escalation))
    return due


def step_label(policy: Policy, deadline: dt.date, day: dt.date | None) -> str:
    """A readable name for the step on `day` (stored with the schedule, for people reading it)."""
    return "" if day is None else "+".join(sorted(kinds_on(policy, deadline, day)))
