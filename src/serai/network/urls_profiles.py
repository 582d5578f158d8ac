"""URLs of the cooperation network: profiles, introductions, expertise (included under
/<lang>/network/ by serai.urls)."""

from django.urls import path

from . import views

urlpatterns = [
    path("profiles/", views.profile_list, name="network_profile_list"),
    path("profiles/new/", views.profile_create, name="network_profile_create"),
    path("profiles/mine/", views.profiles_mine, name="network_profiles_mine"),
    path("profiles/<int:pk>/", views.profile_detail, name="network_profile_detail"),
    path("profiles/<int:pk>/edit/", views.profile_edit, name="network_profile_edit"),
    path("profiles/<int:pk>/move/", views.profile_transition, name="network_profile_transition"),
    path("profiles/<int:pk>/interest/", views.profile_interest, name="network_profile_interest"),
    path("moderation/", views.moderation, name="network_moderation"),
    path("introductions/", views.introductions, name="network_introductions"),
    path("introductions/<int:pk>/decide/", views.introduction_decide, name="network_introduction_decide"),
    path("experts/", views.expertise_list, name="network_expertise_list"),
    path("experts/<int:person_pk>/edit/", views.expertise_edit, name="network_expertise_edit"),
]
