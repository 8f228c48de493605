from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "dondoc.tracking"

    def ready(self) -> None:
        from dondoc.tracking import reorganization  # noqa: F401 - connects the signal receiver
