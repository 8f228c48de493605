from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "dondoc.tracking"

    def ready(self) -> None:
        from dondoc.agencies.services import work_transfer_register
        from dondoc.tracking.reorganization import work_transfer

        work_transfer_register(work_transfer)  # open tasks follow their agency (merge, rename)
