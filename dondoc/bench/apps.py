from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Only for its `bench` command (docs/benchmarks.md)."""

    name = "dondoc.bench"
