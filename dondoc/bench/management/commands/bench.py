"""`dondoc bench generate|run|jobs|load|checkin|report`: benchmark data and timings (see docs/benchmarks.md)."""

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dondoc.bench.checkin import checkin_run
from dondoc.bench.generate import SCALES, bench_generate, database_has_tasks
from dondoc.bench.jobs import JOBS, bench_jobs, jobs_markdown_table
from dondoc.bench.load import load_run, load_table
from dondoc.bench.run import bench_run, markdown_table, results_markdown


class Command(BaseCommand):
    help = "Benchmarks: generate data at a scale, or time the hot paths through the server."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        generate = sub.add_parser("generate")
        generate.add_argument("--scale", choices=list(SCALES), default="small")
        generate.add_argument("--seed", type=int, default=2026)
        generate.add_argument("--force", action="store_true", help="add to a database with tasks")
        run = sub.add_parser("run")
        run.add_argument("--scale", choices=list(SCALES), default="small")
        run.add_argument("--requests", type=int, default=200)
        run.add_argument("--out", type=Path, default=Path("bench/results"))
        run.add_argument("--heavy", type=int, default=0, help="requests for uncached paths, floors")
        jobs = sub.add_parser("jobs", help="whole jobs: review, sweep, import, throughput")
        jobs.add_argument("--scale", choices=list(SCALES), default="small")
        jobs.add_argument("--out", type=Path, default=Path("bench/results"))
        jobs.add_argument(
            "--only", default=",".join(JOBS), help="comma-separated, among " + ", ".join(JOBS)
        )
        load = sub.add_parser("load", help="a mixed workload against the server, bounded in time")
        load.add_argument("--scale", choices=list(SCALES), default="small")
        load.add_argument("--seconds", type=float, default=60)
        load.add_argument("--connections", type=int, default=16)
        load.add_argument("--focal", type=int, default=20, help="focal points signed in")
        load.add_argument("--sequential", type=int, default=30, help="requests per path alone")
        load.add_argument("--out", type=Path, default=Path("bench/results"))
        load.add_argument("--server-path", default="", help="serve the code of another checkout")
        checkin = sub.add_parser("checkin", help="a congress's check-in over HTTP, many doors")
        checkin.add_argument("--delegates", type=int, default=2000)
        checkin.add_argument("--scanners", type=int, default=10, help="concurrent entrances")
        checkin.add_argument("--seed", type=int, default=15)
        checkin.add_argument("--out", type=Path, default=Path("bench/results"))

        report = sub.add_parser("report", help="Markdown tables of the runs saved as JSON")
        report.add_argument("files", nargs="+", type=Path)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "generate":
            if database_has_tasks() and not options["force"]:
                raise CommandError("The database already has tasks; use --force to add more.")
            start = time.perf_counter()
            counts = bench_generate(options["scale"], options["seed"], out=self.stdout.write)
            total = sum(counts.values())
            self.stdout.write(
                f"{total:,} rows in {time.perf_counter() - start:.1f} s "
                f"(scale {options['scale']}, audit log bypassed)"
            )
        elif action == "jobs":
            only = [name.strip() for name in options["only"].split(",") if name.strip()]
            if set(only) - set(JOBS):
                raise CommandError(f"--only: choose among {', '.join(JOBS)}")
            report = bench_jobs(options["scale"], options["out"], only, out=self.stdout.write)
            self.stdout.write(jobs_markdown_table(report))
        elif action == "load":
            result = load_run(
                options["scale"], seconds=options["seconds"], connections=options["connections"],
                focal=options["focal"], sequential=options["sequential"],
                out_dir=str(options["out"]), out=self.stdout.write,
                server_path=options["server_path"],
            )  # fmt: skip
            self.stdout.write(load_table(result))
            mixed = result["mixed"]
            self.stdout.write(
                f"{mixed['requests_per_s']} requests/s, errors {mixed['errors']}, server CPU "
                f"{mixed['server_cpu_ms_per_request']} ms/request, memory {mixed['memory_mb']['max']} MB max"
            )
        elif action == "checkin":
            self._checkin(options)
        elif action == "report":
            self.stdout.write(results_markdown(options["files"]))
        else:
            report = bench_run(
                options["scale"], options["requests"], options["out"], options["heavy"]
            )
            self.stdout.write(markdown_table(report))

    def _checkin(self, options: dict[str, Any]) -> None:
        result = checkin_run(
            delegates=options["delegates"], scanners=options["scanners"], seed=options["seed"],
            out_dir=str(options["out"]), out=self.stdout.write,
        )  # fmt: skip
        latency = result["latency"]
        self.stdout.write(
            f"{result['database']}: {result['scans']} scans by {result['scanners']} scanners in "
            f"{result['seconds']} s ({result['scans_per_s']} scans/s), p50 {latency['p50_ms']} ms, "
            f"p95 {latency['p95_ms']} ms, p99 {latency['p99_ms']} ms; answers {result['answers']}; "
            f"server CPU {result['server_cpu_ms_per_scan']} ms/scan"
        )
        for name, ok in result["checks"].items():
            self.stdout.write(f"{'ok ' if ok else 'FAILED'} {name}")
        if not all(result["checks"].values()):
            raise CommandError("check-in verification failed")
