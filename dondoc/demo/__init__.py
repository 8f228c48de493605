"""Realistic demo data: real agencies and documents, a few thousand generated tasks with history.

Lateness in the generated history depends on features the forecast can see, in a documented
way (see `docs/demo-data.md`): each agency has a hidden reliability; tight windows, open
dependencies and normal priority make lateness likelier; late tasks report less often and their
progress lags the calendar. Everything is drawn from one seeded random generator, so a given
seed and day always produce the same data.
"""
