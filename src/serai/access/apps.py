from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "serai.access"
    label = "access"
    verbose_name = _("Roles and permissions")

    def ready(self) -> None:
        # The state machines (serai.core.workflow, below access) name their permission rules;
        # this is where those names are resolved.
        from serai.core import fragments, workflow

        from . import permissions

        workflow.register_permission_checker(permissions.can)
        # the cached fragments of signed-in users are keyed by every role and scope they hold
        fragments.register_viewer(permissions.signature)
