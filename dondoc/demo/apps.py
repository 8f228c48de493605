from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Only for its `demo` command: the demo data loads through every app's services."""

    name = "dondoc.demo"
