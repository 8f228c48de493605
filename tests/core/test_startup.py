"""A process starts quickly: loading the site's URLs (every web and worker process does, and
the first e-mail link a sweep builds) imports none of the heavy numeric libraries, nor the PDF,
chart and spreadsheet writers. They load only where a synthesis, a seating plan or a forecast
is computed, or a PDF, chart or workbook is read or written. With the numeric ones at import,
a process spent 7.6 s loading the URLs; without, 3.7 s (measured on the shared CI machine);
the writers cost about 2 s more (docs/benchmarks.md, "Process start")."""

import os
import subprocess
import sys

HEAVY = ("sklearn", "ortools", "pandas", "datasketch", "fpdf", "matplotlib", "openpyxl", "pypdf")

PROBE = f"""
import sys, django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns
print(",".join(name for name in {HEAVY!r} if name in sys.modules))
"""


def test_loading_the_sites_urls_imports_no_heavy_library():
    probe = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "dondoc.settings"},
    )
    assert probe.stdout.strip() == "", f"imported at start: {probe.stdout.strip()}"
