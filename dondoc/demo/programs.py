"""Demo data for programs, loaded after the tracking demo through programs's services."""

import datetime as dt


def load(today: dt.date, seed: int) -> dict[str, int]:
    """Create the demo's programs data; returns what was created, by kind."""
    return {}
