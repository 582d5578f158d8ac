from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "serai.portal"
    label = "portal"
    verbose_name = "Public portal"
