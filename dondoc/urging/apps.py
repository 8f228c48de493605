from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UrgingConfig(AppConfig):
    name = "dondoc.urging"
    verbose_name = _("Đôn đốc")

    def ready(self) -> None:
        from dondoc.tracking.events import subscribe
        from dondoc.urging.events import notify_on_event

        subscribe(notify_on_event)  # a task's events notify the people they concern
