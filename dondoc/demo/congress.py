"""Demo data for congress, loaded after the tracking demo through congress's services."""

import datetime as dt


def load(today: dt.date, seed: int) -> dict[str, int]:
    """Create the demo's congress data; returns what was created, by kind."""
    return {}
