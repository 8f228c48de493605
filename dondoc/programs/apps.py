from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "dondoc.programs"
    verbose_name = "Chương trình công tác và đề án"

    def ready(self) -> None:
        from dondoc.core.review_sections import review_section_register
        from dondoc.programs.adherence import review_section

        review_section_register("programs", review_section)  # adherence in the monthly review
