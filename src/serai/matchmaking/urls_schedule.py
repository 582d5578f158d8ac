"""The scheduler's page actions, under /<lang>/matchmaking/<event>/."""

from django.urls import path

from . import views_schedule as v

urlpatterns = [
    path("<int:pk>/schedule/", v.schedule_run, name="schedule_run"),
]
