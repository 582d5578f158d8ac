from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from serai.projects.api import ProjectViewSet

router = SimpleRouter()
router.register("projects", ProjectViewSet, basename="api-project")

urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
]
