"""Speed and memory of the synthesis pipeline (`pipeline.py`) on generated comments:

    uv run python -m dondoc.bench.consultation --comments 100000 [--eval /work/shared/data/eval]
    DATABASE_URL=sqlite:////tmp/b.sqlite3 uv run dondoc migrate &&
    DATABASE_URL=sqlite:////tmp/b.sqlite3 uv run python -m dondoc.bench.consultation --database

Comments are built from real-looking templates about a draft's sections followed (with --eval)
by one real sentence of public feedback from that folder (read there, never copied); 40% of
them are copies of 200 campaign texts (a word dropped, a phrase put before). Each stage is timed in this one
process, as one Celery worker would run it; the peak is this process's peak resident set.
"""

import argparse
import csv
import html
import itertools
import json
import multiprocessing
import os
import random
import re
import resource
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from dondoc.consultation import pipeline

T = TypeVar("T")

SECTIONS = {
    1: "Điều 1. Phạm vi điều chỉnh: chế độ sở hữu đất đai, quyền và trách nhiệm của Nhà nước",
    2: "Điều 2. Bồi thường, hỗ trợ, tái định cư khi Nhà nước thu hồi đất theo giá thị trường",
    3: "Điều 3. Quy hoạch, kế hoạch sử dụng đất được công khai và lấy ý kiến nhân dân",
    4: "Điều 4. Giao đất, cho thuê đất thông qua đấu giá quyền sử dụng đất minh bạch",
    5: "Điều 5. Cấp giấy chứng nhận quyền sử dụng đất, thủ tục hành chính đơn giản",
    6: "Điều 6. Đất nông nghiệp, hạn mức nhận chuyển nhượng, tích tụ ruộng đất",
}
SUBJECTS = {
    1: ["phạm vi điều chỉnh", "quyền sở hữu toàn dân", "trách nhiệm của Nhà nước"],
    2: ["giá bồi thường", "tái định cư", "hỗ trợ chuyển đổi nghề", "giá đất cụ thể"],
    3: ["quy hoạch treo", "công khai quy hoạch", "lấy ý kiến người dân về quy hoạch"],
    4: ["đấu giá quyền sử dụng đất", "cho thuê đất trả tiền hằng năm", "giao đất không đấu giá"],
    5: ["cấp sổ đỏ", "thủ tục cấp giấy chứng nhận", "thời gian giải quyết hồ sơ"],
    6: ["hạn mức đất nông nghiệp", "tích tụ ruộng đất", "chuyển mục đích đất lúa"],
}
OPENINGS = ["Đề nghị", "Tôi đề nghị", "Kiến nghị Ban soạn thảo", "Cần", "Nên", "Đề xuất"]
VERBS = ["làm rõ", "bổ sung quy định về", "sửa đổi", "quy định chặt chẽ hơn về", "bỏ quy định về"]
REASONS = [
    "vì thực tế ở địa phương còn nhiều bất cập",
    "để bảo đảm quyền lợi chính đáng của người dân",
    "nhằm tránh tham nhũng, lãng phí",
    "vì hiện nay người dân rất khó khăn",
    "để phù hợp với Hiến pháp",
    "",
]


def _comment(rng: random.Random, public: list[str]) -> tuple[str, int | None]:
    """A comment on one section: a template sentence, and (with the labelled data) one real
    sentence of public feedback after it, so that no two comments are alike by accident."""
    section = rng.choice(list(SUBJECTS))
    text = (
        f"{rng.choice(OPENINGS)} {rng.choice(VERBS)} {rng.choice(SUBJECTS[section])} "
        f"{rng.choice(REASONS)} tại {rng.choice(['xã', 'phường', 'thôn'])} {rng.randrange(5000)}."
    )
    if public:
        text = f"{text} {rng.choice(public)}"
    chosen = section if rng.random() < 0.4 else None  # 40% chose their section on the form
    return text, chosen


def _copy(text: str, rng: random.Random) -> str:
    words = text.split()
    if len(words) > 6 and rng.random() < 0.5:
        words.pop(rng.randrange(len(words)))
    if rng.random() < 0.5:
        words.insert(0, rng.choice(["Theo tôi,", "Tôi thấy", "Nói chung"]))
    return " ".join(words)


def comments(
    n: int, seed: int = 0, eval_dir: Path | None = None
) -> Iterator[tuple[str, int | None]]:
    """`n` comments one at a time (text, the section the commenter chose), about 40% of them
    copies of 200 campaign texts."""
    rng = random.Random(seed)
    public: list[str] = []
    if eval_dir is not None:
        path = eval_dir / "uit-vsfc" / "train_sents.txt"
        public = path.read_text(encoding="utf-8").splitlines()
        with (eval_dir / "uit-visfd" / "Train.csv").open(encoding="utf-8") as stream:
            public += [row["comment"].replace("\n", " ") for row in csv.DictReader(stream)]
    campaigns = [_comment(rng, [])[0] + " và " + rng.choice(REASONS) for _ in range(200)]
    for _ in range(n):
        if rng.random() < 0.4:
            yield _copy(rng.choice(campaigns), rng), None
        else:
            yield _comment(rng, public)


def generate(
    n: int, seed: int = 0, eval_dir: Path | None = None
) -> tuple[list[str], list[int | None]]:
    """`comments` as two lists."""
    texts: list[str] = []
    chosen: list[int | None] = []
    for text, section in comments(n, seed, eval_dir):
        texts.append(text)
        chosen.append(section)
    return texts, chosen


def _timed(figures: dict[str, float], name: str, work: Callable[[], T]) -> T:
    """Run `work`, recording its wall-clock seconds as `name` and its CPU seconds beside."""
    start, cpu = time.perf_counter(), time.process_time()
    result = work()
    figures[name] = round(time.perf_counter() - start, 2)
    figures[name.replace("_s", "_cpu_s")] = round(time.process_time() - cpu, 2)
    return result


def run(n: int, eval_dir: Path | None = None) -> dict[str, Any]:
    figures: dict[str, float] = {}
    cpu = time.process_time()
    texts, chosen = _timed(figures, "generate_s", lambda: generate(n, eval_dir=eval_dir))
    normalized = _timed(figures, "normalize_s", lambda: [pipeline.normalize(t) for t in texts])
    campaign = _timed(figures, "campaigns_s", lambda: pipeline.campaigns(normalized))
    reps = [i for i, rep in enumerate(campaign) if rep == i]
    labelled = [(normalized[i], s) for i in reps if (s := chosen[i]) is not None]
    todo = [i for i in reps if chosen[i] is None]
    assigner = _timed(figures, "assign_fit_s", lambda: pipeline.SectionAssigner(SECTIONS, labelled))
    placed = _timed(figures, "assign_s", lambda: assigner.assign([normalized[i] for i in todo]))
    where = dict(zip(todo, placed, strict=True)) | {i: chosen[i] for i in reps if chosen[i]}
    by_section: dict[int | None, list[int]] = {}
    for i in reps:
        by_section.setdefault(where[i], []).append(i)
    slowest, themes = 0.0, 0
    start, cpu_start = time.perf_counter(), time.process_time()
    for members in by_section.values():
        one = time.process_time()
        themes += len(pipeline.themes([normalized[i] for i in members]))
        slowest = max(slowest, time.process_time() - one)
    figures["themes_s"] = round(time.perf_counter() - start, 2)
    figures["themes_cpu_s"] = round(time.process_time() - cpu_start, 2)
    figures["themes_slowest_section_cpu_s"] = round(slowest, 2)
    stages = ("normalize_s", "campaigns_s", "assign_fit_s", "assign_s", "themes_s")
    return figures | {
        "comments": n,
        "distinct_after_campaigns": len(reps),
        "sections": len(by_section),
        "themes": themes,
        "pipeline_s": round(sum(figures[s] for s in stages), 2),
        "cpu_s": round(time.process_time() - cpu, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000, 1),
    }


def _in_child(work: Callable[[], Any]) -> dict[str, Any]:
    """Run `work` in a fresh child process (as a worker would run one job): its result, CPU
    seconds and its own peak resident set."""
    return _fan_out(lambda _: work(), [None], 1)[0]


def _fan_out(work: Callable[[Any], Any], items: list[Any], workers: int) -> list[dict[str, Any]]:
    """Each item's job in its own forked child process, `workers` at a time."""
    from django.db import connections

    connections.close_all()  # each child opens its own
    context = multiprocessing.get_context("fork")
    found: list[dict[str, Any]] = []
    waiting = list(items)
    running: list[tuple[Any, Any]] = []
    while waiting or running:
        while waiting and len(running) < workers:
            receive, send = context.Pipe(duplex=False)
            child = context.Process(target=_measured, args=(work, waiting.pop(0), send))
            child.start()
            send.close()
            running.append((child, receive))
        child, receive = running.pop(0)
        found.append(receive.recv())
        child.join()
    return found


def _measured(work: Callable[[Any], Any], item: Any, send: Any) -> None:
    from django.db import connections

    cpu = time.process_time()
    result = work(item)
    connections.close_all()
    send.send({"result": result, "cpu_s": time.process_time() - cpu,
               "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000})  # fmt: skip
    send.close()


def _stage(figures: dict[str, Any], name: str, measured: list[dict[str, Any]], wall: float) -> None:
    figures[name] = {
        "jobs": len(measured),
        "cpu_s": round(sum(m["cpu_s"] for m in measured), 1),
        "wall_s": round(wall, 1),
        "peak_mb_per_process": round(max((m["peak_mb"] for m in measured), default=0), 1),
    }


def run_database(n: int, eval_dir: Path | None = None, workers: int = 2) -> dict[str, Any]:
    """The whole thing through the database, from import to report, as the jobs run it, each
    job in its own child process (`workers` at a time), so that each job's peak is its own:
    the generated comments written to a CSV file, read by the streaming import; the comments
    signed by chunk jobs; the one merge job (campaigns, section model); the placing chunk jobs;
    one themes job per section; the XLSX and DOCX reports. Run it against a scratch database
    (`DATABASE_URL`), migrated."""
    import datetime as dt
    import tempfile

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.settings")
    django.setup()
    from django.core.files.base import File
    from django.db import transaction

    from dondoc.accounts.models import User
    from dondoc.consultation import report, services
    from dondoc.consultation.models import CommentImport, SynthesisRun
    from dondoc.consultation.sections import parse_markdown

    figures: dict[str, Any] = {"comments": n, "workers": workers}
    actor, _ = User.objects.get_or_create(username="bench-consultation")
    today = dt.date.today()  # noqa: DTZ011 - a scratch run, any day will do
    with transaction.atomic():
        draft = services._draft_create(actor, "Bench", parse_markdown("\n".join(SECTIONS.values())))
        found = services._round_create(actor, draft, today, today, True)
    with tempfile.NamedTemporaryFile("w+", suffix=".csv", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["Ý kiến", "Nội dung góp ý", "Phần"])
        for text, section in comments(n, eval_dir=eval_dir):
            writer.writerow(["Đồng ý một phần", text, f"Điều {section}" if section else ""])
        file.flush()
        file.seek(0)
        with open(file.name, "rb") as stream:
            started = CommentImport.objects.create(
                draft=draft, round=found, file=File(stream, name="bench.csv"),
                file_name="bench.csv", created_by=actor,
            )  # fmt: skip
    wall = time.perf_counter()
    done = _in_child(lambda: services.comment_import_run(started.pk).rows_done)
    _stage(figures, "import", [done], time.perf_counter() - wall)
    started.refresh_from_db()
    figures["import"] |= {"accepted": started.accepted, "rejected": started.rejected}

    run = SynthesisRun.objects.create(draft=draft)
    wall = time.perf_counter()
    chunks = services.synthesis_plan(run.pk)
    signed = _fan_out(lambda chunk: services.synthesis_chunk_run(chunk, f"b{chunk}"), chunks,
                      workers)  # fmt: skip
    _stage(figures, "sign_chunks", signed, time.perf_counter() - wall)
    wall = time.perf_counter()
    merged = _in_child(lambda: services.synthesis_merge(run.pk))
    _stage(figures, "merge", [merged], time.perf_counter() - wall)
    wall = time.perf_counter()
    placed = _fan_out(lambda chunk: services.synthesis_chunk_run(chunk, f"p{chunk}"),
                      merged["result"], workers)  # fmt: skip
    _stage(figures, "place_chunks", placed, time.perf_counter() - wall)
    sections = next(p["result"].sections for p in placed if p["result"].sections is not None)
    wall = time.perf_counter()
    themed = _fan_out(lambda section: services.section_themes(run.pk, section), sections, workers)
    _stage(figures, "themes", themed, time.perf_counter() - wall)
    wall = time.perf_counter()
    reported = _in_child(lambda: len(report.report_xlsx(draft)) + len(report.report_docx(draft)))
    _stage(figures, "report", [reported], time.perf_counter() - wall)
    run.refresh_from_db()
    stages = ("import", "sign_chunks", "merge", "place_chunks", "themes", "report")
    return figures | {
        "run_stage": run.stage,
        "run_figures": run.figures,
        "cpu_s": round(sum(figures[s]["cpu_s"] for s in stages), 1),
        "wall_s": round(sum(figures[s]["wall_s"] for s in stages), 1),
        "peak_mb_any_process": max(figures[s]["peak_mb_per_process"] for s in stages),
    }


def _proc_cpu(pid: int) -> float:
    """CPU seconds of process `pid` and of its children it has waited for (0 once gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0.0
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / os.sysconf("SC_CLK_TCK")


def _peak_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(found[1]) / 1000 if found else 0.0


def _descendants(roots: list[int]) -> list[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int(
                    (entry / "stat").read_text().rsplit(")", 1)[1].split()[1]
                )
            except (FileNotFoundError, ProcessLookupError, IndexError):
                continue
    found, todo = set(roots), list(roots)
    while todo:
        parent = todo.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in found:
                found.add(pid)
                todo.append(pid)
    return sorted(found)


class _CpuMeter:
    """The CPU seconds of the Celery workers (each worker's process tree) and of this database's
    PostgreSQL server processes (found in pg_stat_activity at each poll; a backend's last
    reading is kept once it has gone), and the machine's 1-minute load average, sampled."""

    def __init__(self, workers: list[int]) -> None:
        self.workers = workers
        self.seen: dict[int, float] = {}
        self.server: dict[int, float] = {}
        self.loads: list[float] = []
        self.peak_mb = 0.0  # the largest peak resident set of any worker process
        self.marks: list[tuple[str, float, float, float, int]] = []  # name, wall, CPU, CPU, loads

    def poll(self) -> None:
        from django.db import connection

        for pid in _descendants(self.workers):
            self.seen[pid] = max(self.seen.get(pid, 0.0), _proc_cpu(pid))
            self.peak_mb = max(self.peak_mb, _peak_mb(pid))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                    " AND pid <> pg_backend_pid()"
                )
                for (pid,) in cursor.fetchall():
                    self.server[pid] = max(self.server.get(pid, 0.0), _proc_cpu(pid))
        self.loads.append(os.getloadavg()[0])

    def mark(self, name: str) -> None:
        """The end of stage `name` (or the start, "start")."""
        self.poll()
        used, served = sum(self.seen.values()), sum(self.server.values())
        self.marks.append((name, time.perf_counter(), used, served, len(self.loads)))

    def stages(self) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for (_, at, used, served, loads), (name, end, used2, served2, loads2) in itertools.pairwise(
            self.marks
        ):
            during = self.loads[loads:loads2] or self.loads[-1:]
            found[name] = {
                "wall_s": round(end - at, 1), "workers_cpu_s": round(used2 - used, 1),
                "postgres_cpu_s": round(served2 - served, 1),
                "load_avg_1m": [round(min(during), 2), round(max(during), 2)],
            }  # fmt: skip
        return found


def _through_workers(meter: _CpuMeter, started: Any, workers: int) -> Any:
    """Once the workers answer: the import job, then the synthesis, waited for stage by stage."""
    from dondoc.celery import app
    from dondoc.consultation import tasks
    from dondoc.consultation.models import CommentImport, ImportState, RunStage, SynthesisRun

    while len(app.control.ping(timeout=1.0)) < workers:  # started: not timed, as a
        time.sleep(1)  # deployment's workers are running already
    meter.mark("start")
    tasks.comment_import_task.delay(started.pk)
    ended = [ImportState.DONE, ImportState.FAILED]
    while not CommentImport.objects.filter(pk=started.pk, state__in=ended).exists():
        time.sleep(0.5)
        meter.poll()
    meter.mark("import")
    run = SynthesisRun.objects.create(draft_id=started.draft_id)
    tasks.synthesis_task.delay(run.pk)
    stage: str = RunStage.SIGN
    while stage not in (RunStage.DONE, RunStage.FAILED):
        time.sleep(0.5)
        now = SynthesisRun.objects.values_list("stage", flat=True).get(pk=run.pk)
        if now != stage:
            meter.mark(str(stage))
            stage = now
        else:
            meter.poll()
    return run


def run_celery(n: int, eval_dir: Path | None = None, workers: int = 2) -> dict[str, Any]:
    """The whole thing as production runs it: `workers` Celery worker processes (prefork, one
    child each) on the Redis of `REDIS_URL`, a queue of their own (`CELERY_QUEUE`), the
    database of `DATABASE_URL` (PostgreSQL, migrated). The generated comments are written to a
    CSV file and imported by `comment_import_task`; then `synthesis_task` plans the chunks and
    the workers take the chunk, merge and section jobs from Redis; then the XLSX and DOCX
    reports, in this process. Each stage's wall-clock time (the run's stage polled every 0.5 s),
    CPU seconds of the workers and of the PostgreSQL backends, and the load average during it."""
    import datetime as dt
    import subprocess
    import tempfile

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.settings")
    django.setup()
    from django.conf import settings
    from django.core.files.base import File
    from django.db import transaction

    from dondoc.accounts.models import User
    from dondoc.consultation import report, services
    from dondoc.consultation.models import CommentImport
    from dondoc.consultation.sections import parse_markdown

    if not settings.REDIS_URL:
        raise SystemExit("--celery needs REDIS_URL (and a CELERY_QUEUE of its own)")
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    figures: dict[str, Any] = {"comments": n, "workers": workers, "queue": queue,
                               "load_before": os.getloadavg()}  # fmt: skip
    actor, _ = User.objects.get_or_create(username="bench-consultation")
    today = dt.date.today()  # noqa: DTZ011 - a scratch run, any day will do
    with transaction.atomic():
        draft = services._draft_create(actor, "Bench", parse_markdown("\n".join(SECTIONS.values())))
        found = services._round_create(actor, draft, today, today, True)
    wall = time.perf_counter()
    with tempfile.NamedTemporaryFile("w+", suffix=".csv", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["Ý kiến", "Nội dung góp ý", "Phần"])
        for text, section in comments(n, eval_dir=eval_dir):
            writer.writerow(["Đồng ý một phần", text, f"Điều {section}" if section else ""])
        file.flush()
        with open(file.name, "rb") as stream:
            started = CommentImport.objects.create(
                draft=draft, round=found, file=File(stream, name="bench.csv"),
                file_name="bench.csv", created_by=actor,
            )  # fmt: skip
    figures["generate_csv_s"] = round(time.perf_counter() - wall, 1)
    command = [sys.executable, "-m", "celery", "-A", "dondoc", "worker", "-Q", queue, "-c", "1",
               "-P", "prefork", "--without-gossip", "--without-mingle", "-l", "warning"]  # fmt: skip
    children = [
        subprocess.Popen([*command, "-n", f"bench{i}-{os.getpid()}@%h"])  # noqa: S603 - ours
        for i in range(workers)
    ]
    meter = _CpuMeter([child.pid for child in children])
    try:
        run = _through_workers(meter, started, workers)
    finally:
        for child in children:
            child.terminate()
        for child in children:
            child.wait(60)
    cpu = time.process_time()
    wall = time.perf_counter()
    size = len(report.report_xlsx(draft)) + len(report.report_docx(draft))
    figures["report"] = {"wall_s": round(time.perf_counter() - wall, 1),
                         "cpu_s": round(time.process_time() - cpu, 1), "bytes": size}  # fmt: skip
    figures |= meter.stages()
    run.refresh_from_db()
    started.refresh_from_db()
    names = [name for name, *_ in meter.marks[1:]]
    return figures | {
        "import_accepted": started.accepted, "import_rejected": started.rejected,
        "run_stage": run.stage, "run_error": run.error, "run_figures": run.figures,
        "themes_found": draft.themes.count(),
        "wall_s": round(sum(figures[s]["wall_s"] for s in names) + figures["report"]["wall_s"], 1),
        "workers_cpu_s": round(sum(figures[s]["workers_cpu_s"] for s in names), 1),
        "postgres_cpu_s": round(sum(figures[s]["postgres_cpu_s"] for s in names), 1),
        "load_avg_1m_mean": round(sum(meter.loads) / len(meter.loads), 2),
        "peak_mb_any_worker": round(meter.peak_mb, 1),
    }  # fmt: skip


def run_intake(n: int) -> dict[str, Any]:
    """The public comment page's intake, in one process through Django's test client (no HTTP
    server, one comment at a time): each comment is a GET of the page (a new challenge) and a
    POST with the proof solved, from a new device, 20 comments per address (new addresses
    each run: the limit is 30 an hour). The proof's solving (the browser's work) is outside the
    timed part. Zero loss: one stored comment per POST answered 200 (`lost` counts the others). Run it against a scratch database (`DATABASE_URL`), migrated."""
    import datetime as dt

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.settings")
    django.setup()
    from django.conf import settings
    from django.db import transaction
    from django.test import Client, override_settings

    from dondoc.accounts.models import User
    from dondoc.consultation import intake, services
    from dondoc.consultation.models import Comment
    from dondoc.consultation.sections import parse_markdown

    actor, _ = User.objects.get_or_create(username="bench-consultation")
    today = dt.date.today()  # noqa: DTZ011 - a scratch run, any day will do
    with transaction.atomic():
        draft = services._draft_create(actor, "Bench", parse_markdown("\n".join(SECTIONS.values())))
        services._round_create(actor, draft, today, today, True)
    url = f"/consultation/public/{draft.pk}/"
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(STORAGES=settings.STORAGES | {"staticfiles": plain}).enable()  # no manifest
    texts = [text for text, _section in comments(n)]
    answers: Counter[int] = Counter()
    served = cpu = 0.0
    for number, text in enumerate(texts):
        client = Client(SERVER_NAME="localhost")
        address = f"10.{draft.pk % 250}.{number // 20 % 250}.{number // 5000 + 1}"
        wall, used = time.perf_counter(), time.process_time()
        page = client.get(url, REMOTE_ADDR=address)
        served, cpu = served + time.perf_counter() - wall, cpu + time.process_time() - used
        found = re.search(r'name="challenge" value="([^"]+)"', page.content.decode())
        challenge = html.unescape(found.group(1)) if found else ""
        data = {"stance": "partial", "category": "citizen", "text": text, "challenge": challenge,
                "nonce": intake.solve(challenge, intake.digits())}  # fmt: skip
        wall, used = time.perf_counter(), time.process_time()
        answers[client.post(url, data, REMOTE_ADDR=address).status_code] += 1
        served, cpu = served + time.perf_counter() - wall, cpu + time.process_time() - used
    stored = Comment.objects.filter(draft=draft).count()
    return {
        "comments": n, "answers": dict(answers), "stored": stored, "lost": answers[200] - stored,
        "server_s": round(served, 1), "server_cpu_s": round(cpu, 1),
        "comments_per_s": round(n / served, 1), "comments_per_cpu_s": round(n / cpu, 1),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--eval", type=Path, default=None, help="labelled data folder")
    parser.add_argument("--database", action="store_true", help="through the database")
    parser.add_argument("--workers", type=int, default=2, help="child processes at a time")
    parser.add_argument("--celery", action="store_true", help="through Celery workers on Redis")
    parser.add_argument("--intake", action="store_true", help="the public page, one at a time")
    arguments = parser.parse_args()
    if arguments.intake:
        figures = run_intake(arguments.comments)
    elif arguments.celery:
        figures = run_celery(arguments.comments, arguments.eval, arguments.workers)
    elif arguments.database:
        figures = run_database(arguments.comments, arguments.eval, arguments.workers)
    else:
        figures = run(arguments.comments, arguments.eval)
    sys.stdout.write(json.dumps(figures, indent=2, default=str) + "\n")


if __name__ == "__main__":
    main()
