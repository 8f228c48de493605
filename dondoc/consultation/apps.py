from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    name = "dondoc.consultation"
    verbose_name = "Lấy ý kiến góp ý dự thảo"
