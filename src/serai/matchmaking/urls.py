from django.urls import include, path

from . import views

app_name = "matchmaking"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("new/", views.event_create, name="event_create"),
    path("<int:pk>/", views.event_detail, name="event_detail"),
    path("<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("<int:pk>/move/", views.event_move, name="event_move"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/delegation/", views.delegation, name="delegation"),
    path("<int:pk>/marketplace/", views.marketplace, name="marketplace"),
    path("<int:pk>/requests/", views.requests_page, name="requests"),
    path("<int:pk>/request/", views.request_create, name="request_create"),
    path("requests/<int:pk>/move/", views.request_move, name="request_move"),
    path("participants/<int:pk>/withdraw/", views.participant_withdraw, name="participant_withdraw"),
    path("meetings/<int:pk>/outcome/", views.outcome_record, name="outcome_record"),
    path("outcomes/<int:pk>/project/", views.outcome_project, name="outcome_project"),
    path("", include("serai.matchmaking.urls_agenda")),  # agendas, table sheets, the day's desk
    path("", include("serai.matchmaking.urls_schedule")),  # the scheduler
]
