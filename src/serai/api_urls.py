from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from serai.network.api import ProfileViewSet
from serai.projects.api import ProjectViewSet

router = SimpleRouter()
router.register("projects", ProjectViewSet, basename="api-project")
router.register("network/profiles", ProfileViewSet, basename="api-network-profile")

urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
]
