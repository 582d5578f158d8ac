"""The control room's pages, under /<lang>/control/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.board, name="controlroom_board"),
    path("projects/<int:pk>/move/", views.board_move, name="controlroom_move"),
    path("actions/", views.completion, name="controlroom_completion"),
    path("actions/<slug:by>.csv", views.completion_csv, name="controlroom_completion_csv"),
    path("meetings/<int:pk>/agenda/", views.agenda, name="controlroom_agenda"),
    path("meetings/<int:pk>/agenda/minutes/", views.minutes_from_agenda, name="controlroom_minutes_from_agenda"),
]
