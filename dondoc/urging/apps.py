from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UrgingConfig(AppConfig):
    name = "dondoc.urging"
    verbose_name = _("Đôn đốc")
