"""URLs of the cooperation network: partner matching and the consortium builder (included under
/<lang>/network/ by serai.urls)."""

from django.urls import path

from . import views_match

urlpatterns = [
    path("match/", views_match.match_free, name="network_match"),
    path("match/profile/<int:pk>/", views_match.match_profile, name="network_match_profile"),
    path("match/project/<int:pk>/", views_match.match_project, name="network_match_project"),
    path("match/trade/", views_match.match_trade, name="network_match_trade"),
    path("consortium/<int:pk>/", views_match.consortium, name="network_consortium"),
]
