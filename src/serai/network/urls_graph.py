"""URLs of the cooperation network: graph (included under /<lang>/network/ by serai.urls)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
