from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "serai.access"
    label = "access"
    verbose_name = _("Roles and permissions")
