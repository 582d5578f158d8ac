from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def unread_badge(request) -> str:
    """The menu's unread-notification badge for this request's user ('' for none): filled into a
    page kept between requests (``serai.core.fragments``), since notifications move no stamp."""
    from django.template.loader import render_to_string

    from .queries import unread_count

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    n = unread_count(user)
    return render_to_string("serai/_unread_badge.html", {"n": n}).rstrip("\n") if n else ""


class WorkspaceConfig(AppConfig):
    name = "serai.workspace"
    label = "workspace"
    verbose_name = _("Staff workspace")

    def ready(self) -> None:
        from serai.core import fragments

        fragments.register_unread_badge(unread_badge)
