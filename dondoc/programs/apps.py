from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "dondoc.programs"
    verbose_name = "Chương trình công tác và đề án"

    def ready(self) -> None:
        from dondoc.core.page_panels import page_panel_register
        from dondoc.core.review_sections import review_section_register
        from dondoc.programs.adherence import review_section
        from dondoc.programs.panels import (
            document_items_rows,
            session_items_panel,
            task_item_rows,
        )

        review_section_register("programs", review_section)  # adherence in the monthly review
        # The items a working session considers, on tracking's page of the session.
        page_panel_register("tracking.session", "programs", session_items_panel)
        # The item that produced a document or assigned a task, to those who may see the item.
        page_panel_register("tracking.document.facts", "programs", document_items_rows)
        page_panel_register("tracking.task.facts", "programs", task_item_rows)
