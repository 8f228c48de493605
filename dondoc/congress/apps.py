from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CongressConfig(AppConfig):
    name = "dondoc.congress"
    verbose_name = "Tổ chức đại hội"

    def ready(self) -> None:
        from dondoc.congress.notices import AGENDA_CHANGED, PHOTO_REFUSED, SPEECH_DECIDED
        from dondoc.urging.models import notification_kind_register

        notification_kind_register(AGENDA_CHANGED, _("Thay đổi chương trình đại hội"))
        notification_kind_register(SPEECH_DECIDED, _("Kết quả xét tham luận của đoàn"))
        notification_kind_register(PHOTO_REFUSED, _("Ảnh in trên thẻ chưa được duyệt"))
