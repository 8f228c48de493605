"""Demo data for consultation, loaded after the tracking demo through consultation's services."""

import datetime as dt


def load(today: dt.date, seed: int) -> dict[str, int]:
    """Create the demo's consultation data; returns what was created, by kind."""
    return {}
