from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "serai.governance"
    label = "governance"
    verbose_name = _("Governance")

    def ready(self):
        from serai.reference.operations import register_loader

        from .reference import load_forum_history

        register_loader(load_forum_history)
