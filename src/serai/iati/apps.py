from django.apps import AppConfig


class IatiConfig(AppConfig):
    name = "serai.iati"
    label = "iati"
    verbose_name = "IATI"
