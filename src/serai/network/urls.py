"""The cooperation network's pages, under /<lang>/network/; each part keeps its own URL module."""

from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    # the section's own address opens its first page, the published profiles
    path("", RedirectView.as_view(pattern_name="network_profile_list", permanent=False), name="network"),
    path("", include("serai.network.urls_profiles")),
    path("", include("serai.network.urls_match")),
    path("", include("serai.network.urls_graph")),
    path("", include("serai.network.urls_directory")),
]
