from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "dondoc.programs"
    verbose_name = "Chương trình công tác và đề án"
