"""The project REST API: read for everyone under the visibility rule, write for permitted roles."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from serai.core import pagecache
from serai.core.operations import EditConflict
from serai.governance import queries as governance_queries

from . import operations, queries, workflow
from .operations import SectorShare
from .serializers import ProjectFilterSerializer, ProjectSerializer, ProjectWriteSerializer, TransitionSerializer

def _api_error(exc: Exception):
    if isinstance(exc, PermissionDenied):
        return ApiPermissionDenied(str(exc))
    if isinstance(exc, ValidationError):
        return ApiValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    return exc


class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ProjectSerializer

    def get_queryset(self):
        if self.action != "list":
            return queries.for_list(queries.projects(self.request.user))
        return queries.for_list(queries.filtered(self.request.user, self._filters()))

    def _filters(self) -> queries.Filters:
        """The list's query string, validated once per request (400 naming each bad parameter)."""
        if not hasattr(self, "_valid_filters"):
            incoming = ProjectFilterSerializer(data=self.request.query_params)
            incoming.is_valid(raise_exception=True)
            self._valid_filters = incoming.filters()
        return self._valid_filters

    @extend_schema(parameters=[ProjectFilterSerializer])
    def list(self, request, *args, **kwargs):
        """For anonymous callers the page's data is cached (keyed by the content version; links stored as paths)."""
        self._filters()  # a bad parameter answers 400 before anything is read or cached
        def data():
            page = super(ProjectViewSet, self).list(request, *args, **kwargs).data
            return json.loads(json.dumps(page, cls=DjangoJSONEncoder))

        return Response(pagecache.shared_data(request, "api-projects", data))

    def retrieve(self, request, *args, **kwargs):
        def data():
            return json.loads(json.dumps(super(ProjectViewSet, self).retrieve(request, *args, **kwargs).data,
                                         cls=DjangoJSONEncoder))

        return Response(pagecache.shared_data(request, f"api-project-{kwargs.get('pk')}", data))

    def _values(self, data):
        values = {k: v for k, v in data.items() if k not in ("countries", "sectors", "version")}
        sectors = [SectorShare(field=s["field"], dac_sector=s.get("dac_sector"), percentage=s["percentage"])
                   for s in data.get("sectors", [])]
        return values, data.get("countries"), sectors if "sectors" in data else None

    def _require_login(self, request):
        if not request.user.is_authenticated:
            raise NotAuthenticated()

    @extend_schema(request=ProjectWriteSerializer, responses={201: ProjectSerializer})
    def create(self, request):
        self._require_login(request)
        incoming = ProjectWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values, countries, sectors = self._values(incoming.validated_data)
        try:
            project = operations.create_project(request.user, values, countries=countries or [], sectors=sectors or [])
        except (PermissionDenied, ValidationError) as exc:
            raise _api_error(exc) from exc
        project = queries.for_list(queries.projects(request.user)).get(pk=project.pk)
        return Response(ProjectSerializer(project, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProjectWriteSerializer, responses={200: ProjectSerializer, 409: None})
    def partial_update(self, request, pk=None):
        self._require_login(request)
        project = self.get_object()
        incoming = ProjectWriteSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        values, countries, sectors = self._values(incoming.validated_data)
        try:
            operations.update_project(request.user, project, values, countries=countries, sectors=sectors,
                                      expected_version=incoming.validated_data.get("version"))
        except EditConflict as exc:
            return Response({"detail": str(exc), "current_version": exc.current}, status=status.HTTP_409_CONFLICT)
        except (PermissionDenied, ValidationError) as exc:
            raise _api_error(exc) from exc
        return Response(ProjectSerializer(self.get_queryset().get(pk=project.pk), context={"request": request}).data)

    @extend_schema(request=TransitionSerializer, responses={200: ProjectSerializer, 409: None})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        self._require_login(request)
        project = self.get_object()
        incoming = TransitionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        meeting = governance_queries.meeting_or_none(request.user, incoming.validated_data.get("meeting"))
        try:
            operations.fire_transition(request.user, project, incoming.validated_data["name"],
                                       reason=incoming.validated_data["reason"], meeting=meeting)
        except workflow.TransitionError as exc:
            return Response({"detail": exc.problems}, status=status.HTTP_409_CONFLICT)
        return Response(ProjectSerializer(self.get_queryset().get(pk=project.pk), context={"request": request}).data)
