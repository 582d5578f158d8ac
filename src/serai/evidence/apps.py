from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "serai.evidence"
    label = "evidence"
    verbose_name = "Trade evidence"
