"""The public comment page's intake over HTTP, under concurrency, against `dondoc serve`.

    uv run python bench/intake_http.py --clients 16 --comments 400
    DATABASE_URL=postgres://…/dondoc_bench uv run python bench/intake_http.py --clients 16 …

A scratch data folder (and, without DATABASE_URL, a scratch SQLite database in it) gets a
draft with a public round; `dondoc serve --no-jobs` starts gunicorn (gthread, `--workers`
processes x `--threads` threads) on it; `--clients` threads post comments as citizens would,
each comment from a new device: GET the page (a new signed challenge, the CSRF cookie), solve
the proof of work, POST the form. Accepted means 200 with the page's "ý kiến đã được ghi
nhận". At the end the server is stopped and the draft's comments are counted in the database:
`lost` = accepted - stored (must be 0), `extra` = stored - accepted (must be 0).

Plain HTTP (`DONDOC_SECURE=false`: TLS ends at the proxy in front of gunicorn, not measured).
Two things are set for the run and said in the output: the hourly limit per address is lifted
(every client posts from 127.0.0.1; the limit is per citizen, and a refusal by it is not a
loss), and the proof asks `--digits` zero hex digits (2 by default): the solving is the
browser's work on the citizen's machine, which this load generator would otherwise take from
the server's two cores; the server checks one hash whatever the difficulty."""

import argparse
import concurrent.futures
import datetime as dt
import hashlib
import html
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
DRAFT = """\
# Dự thảo Luật Đất đai (sửa đổi)

Điều 1. Phạm vi điều chỉnh
Luật này quy định về chế độ sở hữu đất đai, quyền hạn và trách nhiệm của Nhà nước.

Điều 2. Bồi thường khi Nhà nước thu hồi đất
Người có đất thu hồi được bồi thường theo giá đất cụ thể, sát giá thị trường.

Điều 3. Lấy ý kiến về quy hoạch
Quy hoạch sử dụng đất được công khai, lấy ý kiến nhân dân trước khi phê duyệt.
"""
TEXTS = [
    "Đề nghị bồi thường theo giá thị trường tại thời điểm thu hồi đất",
    "Khu tái định cư phải xây xong trước khi người dân phải di dời",
    "Quy hoạch sử dụng đất cần công khai để nhân dân giám sát",
    "Cần hỗ trợ đào tạo nghề cho nông dân mất đất sản xuất",
]
STANCES = ["agree", "disagree", "partial"]


def setup(env: dict[str, str]) -> int:
    """Migrate the scratch database and create a draft with a public round open today."""
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections, transaction

    from dondoc.accounts.models import User
    from dondoc.consultation import services
    from dondoc.consultation.sections import parse_markdown

    call_command("migrate", interactive=False, verbosity=0)
    actor, _ = User.objects.get_or_create(username="bench-intake")
    today = dt.date.today()  # noqa: DTZ011 - a scratch run, any day will do
    with transaction.atomic():
        draft = services._draft_create(actor, "Bench intake", parse_markdown(DRAFT))
        services._round_create(actor, draft, today - dt.timedelta(days=1), today, True)
    connections.close_all()
    return draft.pk


def stored(draft_id: int) -> int:
    from django.db import connections

    from dondoc.consultation.models import Comment

    connections.close_all()
    return Comment.objects.filter(draft_id=draft_id).count()


def serve(env: dict[str, str], port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "dondoc.cli", "serve", "--no-jobs", "--host=127.0.0.1",
               f"--port={port}", f"--workers={workers}", f"--threads={threads}"]  # fmt: skip
    log = open(Path(env["DONDOC_DATA_DIR"]) / "serve.log", "wb")  # noqa: SIM115 - the child's
    options: dict[str, Any] = {"env": env, "cwd": ROOT, "stdout": log, "stderr": subprocess.STDOUT}
    return subprocess.Popen(command, start_new_session=True, **options)  # noqa: S603 - our own


def wait_up(base: str, timeout: float = 300) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if requests.get(f"{base}/healthz", timeout=5).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise SystemExit("dondoc serve did not answer /healthz in time: see serve.log")


def solve(challenge: str, zeros: int) -> str:
    nonce = 0
    while not hashlib.sha256(f"{challenge}:{nonce}".encode()).hexdigest().startswith("0" * zeros):
        nonce += 1
    return str(nonce)


def one_comment(url: str, number: int, digits: int) -> dict[str, Any]:
    """GET, solve, POST as a new device; the latencies and the answer."""
    session = requests.Session()
    started = time.perf_counter()
    try:
        page = session.get(url, timeout=60)
        got = time.perf_counter()
        challenge = re.search(r'name="challenge" value="([^"]+)"', page.text)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if page.status_code != 200 or not challenge or not token:
            return {"outcome": f"page {page.status_code}", "page_s": got - started}
        sent = html.unescape(challenge.group(1))
        data = {"csrfmiddlewaretoken": token.group(1), "stance": STANCES[number % 3],
                "category": "citizen", "text": f"{TEXTS[number % 4]} (ý kiến số {number})",
                "challenge": sent, "nonce": solve(sent, digits)}  # fmt: skip
        posting = time.perf_counter()
        answer = session.post(url, data=data, timeout=60, headers={"Referer": url})
        done = time.perf_counter()
    except requests.RequestException as error:
        return {"outcome": f"error {type(error).__name__}", "page_s": None}
    accepted = answer.status_code == 200 and "ý kiến đã được ghi nhận" in answer.text
    return {"outcome": "accepted" if accepted else f"post {answer.status_code}",
            "page_s": got - started, "post_s": done - posting,
            "comment_s": (got - started) + (done - posting)}  # fmt: skip


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16, help="concurrent posters")
    parser.add_argument("--comments", type=int, default=400, help="comments in all")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn process")
    parser.add_argument("--digits", type=int, default=2, help="proof-of-work zero hex digits")
    parser.add_argument("--port", type=int, default=8731)
    parser.add_argument("--keep", action="store_true", help="keep the scratch data folder")
    arguments = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="dondoc-intake-"))
    # plain HTTP: in production TLS ends at the proxy in front of gunicorn (not measured here)
    env = {**os.environ, "DONDOC_DATA_DIR": str(folder), "DONDOC_DEMO": "false",
           "DONDOC_SECURE": "false",
           "CONSULTATION_PUBLIC_PER_HOUR": str(10**9),
           "CONSULTATION_POW_DIGITS": str(arguments.digits)}  # fmt: skip
    database = "postgresql" if env.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    draft_id = setup(env)
    server = serve(env, arguments.port, arguments.workers, arguments.threads)
    base = f"http://127.0.0.1:{arguments.port}"
    url = f"{base}/consultation/public/{draft_id}/"
    results: list[dict[str, Any]] = []
    lock = threading.Lock()
    try:
        wait_up(base)
        load_before = os.getloadavg()
        wall = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(arguments.clients) as pool:
            for result in pool.map(lambda n: one_comment(url, n, arguments.digits),
                                   range(arguments.comments)):  # fmt: skip
                with lock:
                    results.append(result)
        wall = time.perf_counter() - wall
        load_after = os.getloadavg()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    outcomes = Counter(r["outcome"] for r in results)
    accepted = outcomes["accepted"]
    in_database = stored(draft_id)
    ok = [r for r in results if r["outcome"] == "accepted"]
    figures = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": database, "clients": arguments.clients, "comments": arguments.comments,
        "gunicorn": f"{arguments.workers} workers x {arguments.threads} threads (gthread)",
        "pow_digits": arguments.digits, "per_address_limit": "lifted for the run",
        "outcomes": dict(outcomes), "accepted": accepted,
        "errors": arguments.comments - accepted,
        "stored_in_database": in_database, "lost": accepted - in_database,
        "extra": in_database - accepted,
        "wall_s": round(wall, 1), "accepted_per_s": round(accepted / wall, 1),
        "post_ms": {"p50": percentile([r["post_s"] for r in ok], 0.5),
                    "p95": percentile([r["post_s"] for r in ok], 0.95),
                    "max": percentile([r["post_s"] for r in ok], 1.0)},
        "page_ms": {"p50": percentile([r["page_s"] for r in ok], 0.5),
                    "p95": percentile([r["page_s"] for r in ok], 0.95)},
        "comment_ms_page_and_post": {"p50": percentile([r["comment_s"] for r in ok], 0.5),
                                     "p95": percentile([r["comment_s"] for r in ok], 0.95)},
        "mean_post_ms": round(statistics.mean(r["post_s"] for r in ok) * 1000, 1) if ok else None,
        "load_average_before_after": [round(load_before[0], 2), round(load_after[0], 2)],
        "cpus": os.cpu_count(),
    }  # fmt: skip
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    name = f"intake-http-{database}-{arguments.clients}c-{stamp}.json"
    (out / name).write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    sys.stdout.write(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    if arguments.keep:
        sys.stdout.write(f"data folder kept: {folder}\n")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    if figures["lost"] or figures["extra"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
