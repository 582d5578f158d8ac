from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo content and the benchmark generator: above every domain, written through their operations."""

    name = "serai.demo"
    label = "demo"
    verbose_name = _("Demo content")
