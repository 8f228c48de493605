from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    name = "dondoc.consultation"
    verbose_name = "Lấy ý kiến góp ý dự thảo"

    def ready(self) -> None:
        from dondoc.consultation.selectors import runs_health
        from dondoc.core.health import health_check_register

        health_check_register("consultation", runs_health)
