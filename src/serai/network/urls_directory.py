"""URLs of the cooperation network: directory export, bulk import, the funnel (included under
/<lang>/network/ by serai.urls)."""

from django.urls import path

from . import views_directory as views

urlpatterns = [
    path("directory/", views.directory_index, name="network_directory"),
    path("directory/<str:what>.<str:fmt>", views.directory_export, name="network_directory_export"),
    path("directory/import/", views.directory_import, name="network_import"),
    path("directory/import/confirm/", views.directory_import_confirm, name="network_import_confirm"),
    path("funnel/", views.funnel_page, name="network_funnel"),
    path("funnel.csv", views.funnel_csv, name="network_funnel_csv"),
]
