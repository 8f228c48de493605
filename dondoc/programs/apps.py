from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "dondoc.programs"
    verbose_name = "Chương trình công tác và đề án"

    def ready(self) -> None:
        from dondoc.core.page_panels import page_panel_register
        from dondoc.core.review_sections import review_section_register
        from dondoc.programs.adherence import review_section
        from dondoc.programs.panels import session_items_panel

        review_section_register("programs", review_section)  # adherence in the monthly review
        # The items a working session considers, on tracking's page of the session.
        page_panel_register("tracking.session", "programs", session_items_panel)
