"""Records of background job runs: a failed job is retried or reported, never lost silently."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from dondoc.core.fields import CleanCharField, CleanTextField


class JobRun(models.Model):
    name = CleanCharField(_("công việc"), max_length=100, db_index=True)
    task_id = CleanCharField(max_length=64, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    succeeded = models.BooleanField(null=True)
    attempt = models.PositiveSmallIntegerField(default=1)
    detail = CleanTextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("lượt chạy công việc nền")

    def __str__(self) -> str:
        return f"{self.name} {self.started_at:%Y-%m-%d %H:%M}"


class WorkerHeartbeat(models.Model):
    """The last sign of life of each job worker (one row per host and process), written every
    few seconds by the worker (`core/heartbeat.py`) and read by `/healthz`."""

    worker = models.CharField(max_length=200, primary_key=True)
    beat_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("nhịp của tiến trình công việc nền")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.worker} {self.beat_at:%Y-%m-%d %H:%M:%S}"
