from django.apps import AppConfig


class CongressConfig(AppConfig):
    name = "dondoc.congress"
    verbose_name = "Tổ chức đại hội"
