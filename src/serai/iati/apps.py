from django.apps import AppConfig


class IatiConfig(AppConfig):
    name = "serai.iati"
    label = "iati"
    verbose_name = "IATI"

    def ready(self):
        from serai.projects.queries import register_page_check

        register_page_check("iati", _readiness)


def _readiness(project):
    """The project page's IATI readiness (imported when first used: the schema is large)."""
    from .readiness import for_project

    return for_project(project)
