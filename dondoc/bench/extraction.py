"""Time assisted entry on a long paste: `uv run python -m dondoc.bench.extraction`.

The text is the real directive texts of tests/tracking/extraction_real/ repeated until it
holds at least `--kb` kilobytes (UTF-8); the matcher is the reference registry built in memory
(as `dondoc.tracking.extraction_eval` builds it). Prints the size, the proposals found, and
the minimum, median and maximum seconds of `--runs` runs of `extract_tasks`.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Sequence


def long_text(kilobytes: int) -> str:
    from dondoc.tracking.extraction_eval import CORPUS

    pieces = [path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("r*.txt"))]
    text, size, index = [], 0, 0
    while size < kilobytes * 1000:
        piece = pieces[index % len(pieces)]
        text.append(piece)
        size += len(piece.encode("utf-8")) + 1
        index += 1
    return "\n".join(text)


def bench_extraction(kilobytes: int, runs: int) -> dict[str, float]:
    from dondoc.tracking.extraction import AgencyMatcher, extract_tasks
    from dondoc.tracking.extraction_eval import registry_rows

    text = long_text(kilobytes)
    matcher = AgencyMatcher(registry_rows())
    seconds, found = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        found = len(extract_tasks(text, dt.date(2025, 11, 20), matcher))
        seconds.append(time.perf_counter() - started)
    return {
        "kilobytes": len(text.encode("utf-8")) / 1000,
        "proposals": found,
        "min": min(seconds),
        "median": statistics.median(seconds),
        "max": max(seconds),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=int, default=100, help="size of the text (default 100)")
    parser.add_argument("--runs", type=int, default=5, help="runs to time (default 5)")
    arguments = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.settings")
    import django

    django.setup()
    figures = bench_extraction(arguments.kb, arguments.runs)
    sys.stdout.write(
        "text {kilobytes:.1f} KB, {proposals:.0f} proposals; seconds: "
        "min {min:.3f} median {median:.3f} max {max:.3f}\n".format(**figures)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
