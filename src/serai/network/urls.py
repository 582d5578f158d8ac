"""The cooperation network's pages, under /<lang>/network/; each part keeps its own URL module."""

from django.urls import include, path

urlpatterns = [
    path("", include("serai.network.urls_profiles")),
    path("", include("serai.network.urls_match")),
    path("", include("serai.network.urls_graph")),
    path("", include("serai.network.urls_directory")),
]
