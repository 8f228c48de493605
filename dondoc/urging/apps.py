from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UrgingConfig(AppConfig):
    name = "dondoc.urging"
    verbose_name = _("Đôn đốc")

    def ready(self) -> None:
        from dondoc.accounts.services import user_erase_hook_register
        from dondoc.tracking.events import subscribe
        from dondoc.urging.events import notify_on_event
        from dondoc.urging.services import emails_erase

        subscribe(notify_on_event)  # a task's events notify the people they concern
        user_erase_hook_register("emails", emails_erase)  # an erased account's e-mails
