from django.apps import AppConfig


class ForecastConfig(AppConfig):
    name = "dondoc.forecast"
    verbose_name = "Dự báo nhiệm vụ có nguy cơ chậm"
