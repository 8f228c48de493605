"""Forecasts of lateness: the trained models on record and the latest prediction per open task.

The model itself lives in a joblib file in the data folder (`settings.DATA_DIR / "forecast"`);
the row keeps when and on what it was trained and how it did in its own backtest.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from dondoc.core.fields import CleanCharField


class ForecastModel(models.Model):
    trained_at = models.DateTimeField(_("thời điểm huấn luyện"))
    trained_until = models.DateField(_("dữ liệu đến ngày"))
    trained_from = models.DateField(_("dữ liệu từ ngày"), null=True, blank=True)
    kind = CleanCharField(_("loại mô hình"), max_length=32)
    path = CleanCharField(_("tệp mô hình"), max_length=500)
    n_samples = models.PositiveIntegerField(_("số mẫu"))
    n_tasks = models.PositiveIntegerField(_("số nhiệm vụ"))
    metrics = models.JSONField(_("chỉ số"), default=dict)

    class Meta:
        ordering = ["-trained_at", "-id"]
        verbose_name = _("mô hình dự báo")

    def __str__(self) -> str:
        return f"{self.kind} {self.trained_at:%d/%m/%Y %H:%M}"


class Prediction(models.Model):
    """The probability that an open task ends late (or is still not done after its deadline)."""

    task = models.ForeignKey("tracking.Task", on_delete=models.CASCADE, related_name="predictions")
    model = models.ForeignKey(ForecastModel, on_delete=models.CASCADE, related_name="predictions")
    probability = models.FloatField(_("xác suất chậm"))
    reasons = models.JSONField(_("lý do"), default=list)
    computed_at = models.DateTimeField(_("thời điểm tính"))

    class Meta:
        ordering = ["-probability", "id"]
        verbose_name = _("dự báo")
        indexes = [models.Index(fields=["-probability", "task"], name="prediction_probability")]
        constraints = [models.UniqueConstraint(fields=["task"], name="prediction_one_per_task")]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.probability:.0%}"
