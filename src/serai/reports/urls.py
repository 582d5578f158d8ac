from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("meetings/<int:pk>/", views.meeting_reports, name="meeting"),
    path("<int:pk>/status/", views.report_status, name="status"),
    path("<int:pk>/download/", views.report_download, name="download"),
]
