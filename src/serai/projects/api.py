"""The project REST API: read for everyone under the visibility rule, write for permitted roles."""

from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from serai.core import pagecache
from serai.core.operations import EditConflict

from . import api_queries, operations, queries, workflow
from .operations import SectorShare
from .serializers import (
    ProjectFilterSerializer,
    ProjectSerializer,
    ProjectShape,
    ProjectUpdateSerializer,
    ProjectWriteSerializer,
    TransitionSerializer,
    project_content,
)

# Every answer the API can give, documented (the published schema is tested with schemathesis).
_DETAIL = inline_serializer("Detail", {"detail": serializers.CharField()})
BAD_REQUEST = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=(
        "The request does not validate: each bad field or query parameter with its messages "
        "(nested for list items), or non_field_errors."
    ),
)
REFUSED = OpenApiResponse(_DETAIL, description="Not signed in, or not permitted.")
NOT_FOUND = OpenApiResponse(_DETAIL, description="No such project, or not visible to the caller.")
NOT_JSON = OpenApiResponse(_DETAIL, description="The body is not application/json.")
EDIT_CONFLICT = OpenApiResponse(
    inline_serializer(
        "EditConflict", {"detail": serializers.CharField(), "current_version": serializers.IntegerField()}
    ),
    description="Someone saved the project since the version you edited; nothing was written.",
)
TRANSITION_REFUSED = OpenApiResponse(
    inline_serializer("TransitionRefused", {"detail": serializers.ListField(child=serializers.CharField())}),
    description="The move is not possible now; every problem is listed and nothing was written.",
)


def _api_error(exc: Exception):
    if isinstance(exc, PermissionDenied):
        return ApiPermissionDenied(str(exc))
    if isinstance(exc, ValidationError):
        return ApiValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    return exc


# A project's cached content (``serializers.project_content``): kept an hour, keyed by the row's
# id, version and save time, so an edit is a new key and the old entry is never read again.
CONTENT_TIMEOUT = 3600
CONTENT_SHAPE = 1  # move it when project_content changes what it returns


def _content_key(row: dict) -> str:
    return f"api-project:{CONTENT_SHAPE}:{row['id']}:{row['version']}:{row['updated_at'].isoformat()}"


def represent(request, rows) -> list[dict]:
    """Projects as the API shows them (``ProjectSerializer``'s shape), JSON-ready, from rows of
    ``api_queries.rows`` — already filtered by permission: only a project the caller may see is
    ever shaped, so cached content (the same for every viewer) reaches no one else.

    What changes without a save (the scope, the countries and sectors, the codes of other rows) and
    what depends on the request (links, status labels) is read and built afresh every time; the
    rest of the row comes from the cache when its version was shaped before. Three queries at most
    for any number of rows, two when every row's content is cached."""
    rows = list(rows)
    keys = {row["id"]: _content_key(row) for row in rows}
    content = {}
    if keys:
        cached = cache.get_many(keys.values())
        content = {pk: cached[key] for pk, key in keys.items() if key in cached}
    missing = [pk for pk in keys if pk not in content]
    if missing:
        fresh = {row["id"]: (_content_key(row), project_content(row)) for row in api_queries.contents(missing)}
        cache.set_many({key: value for key, value in fresh.values()}, CONTENT_TIMEOUT)
        content.update({pk: value for pk, (_key, value) in fresh.items()})
    countries, sectors = api_queries.relations(keys)
    shape = ProjectShape(request)
    return [
        shape(row, content[row["id"]], countries.get(row["id"], ()), sectors.get(row["id"], ()))
        for row in rows
        if row["id"] in content  # (a project deleted since its row was read)
    ]


class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Reads build plain dicts from ``.values()`` rows (``represent``) instead of running
    ``ProjectSerializer`` over model instances: the same JSON at a fraction of the CPU."""

    serializer_class = ProjectSerializer
    # JSON only: a form-encoded or multipart body turns a translated-text object into text ("{}")
    parser_classes = [JSONParser]
    # any id reaches the view, which answers 404 in JSON (not the site's HTML page for an unknown address)
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        if self.action != "list":
            return queries.for_list(queries.projects(self.request.user))
        return queries.for_list(queries.filtered(self.request.user, self._filters()))

    def _filters(self) -> queries.Filters:
        """The list's query string, validated once per request (400 naming each bad parameter)."""
        if not hasattr(self, "_valid_filters") and not self.request.query_params:
            self._valid_filters = queries.Filters()  # nothing to validate (what the serializer gives for {})
        if not hasattr(self, "_valid_filters"):
            incoming = ProjectFilterSerializer(data=self.request.query_params)
            incoming.is_valid(raise_exception=True)
            self._valid_filters = incoming.filters()
        return self._valid_filters

    @extend_schema(
        parameters=[ProjectFilterSerializer],
        responses={200: ProjectSerializer(many=True), 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def list(self, request, *args, **kwargs):
        """For anonymous callers the page's data is cached (keyed by the content version; links stored as paths)."""
        filters = self._filters()  # a bad parameter answers 400 before anything is read or cached

        def data():
            page = self.paginate_queryset(api_queries.rows(queries.filtered(request.user, filters)))
            return self.get_paginated_response(represent(request, page)).data

        return Response(pagecache.shared_data(request, "api-projects", data))

    @extend_schema(responses={200: ProjectSerializer, 404: NOT_FOUND})
    def retrieve(self, request, *args, **kwargs):
        def data():
            row = get_object_or_404(api_queries.rows(queries.projects(request.user)), pk=kwargs.get("pk"))
            shown = represent(request, [row])
            if not shown:  # deleted since its row was read
                raise Http404
            return shown[0]

        return Response(pagecache.shared_data(request, f"api-project-{kwargs.get('pk')}", data))

    def _shown(self, request, pk) -> dict:
        """The project as the API shows it after a write (the caller may see it: they just wrote it)."""
        return represent(request, [api_queries.rows(queries.projects(request.user)).get(pk=pk)])[0]

    def _values(self, data):
        values = {k: v for k, v in data.items() if k not in ("countries", "sectors", "version")}
        sectors = [
            SectorShare(field=s["field"], dac_sector=s.get("dac_sector"), percentage=s["percentage"])
            for s in data.get("sectors", [])
        ]
        return values, data.get("countries"), sectors if "sectors" in data else None

    def _require_login(self, request):
        if not request.user.is_authenticated:
            raise NotAuthenticated()

    @extend_schema(
        request=ProjectWriteSerializer,
        responses={201: ProjectSerializer, 400: BAD_REQUEST, 401: REFUSED, 403: REFUSED, 415: NOT_JSON},
        examples=[
            OpenApiExample(
                "A bilateral energy idea",
                request_only=True,
                value={
                    "title": {"values": {"en": "Solar schools", "ru": "Солнечные школы"}, "source": "en"},
                    "summary": {"values": {"en": "Solar panels on rural schools."}, "source": "en"},
                    "countries": ["KOR", "KAZ"],
                    "subcommittee": "economy",
                    "sectors": [{"field": "energy", "percentage": "100"}],
                    "planned_start": "2026-03-01",
                    "planned_end": "2028-02-29",
                    "tags": ["solar"],
                },
            )
        ],
    )
    def create(self, request):
        self._require_login(request)
        incoming = ProjectWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values, countries, sectors = self._values(incoming.validated_data)
        try:
            project = operations.create_project(request.user, values, countries=countries or [], sectors=sectors or [])
        except (PermissionDenied, ValidationError) as exc:
            raise _api_error(exc) from exc
        return Response(self._shown(request, project.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ProjectUpdateSerializer,
        responses={
            200: ProjectSerializer,
            400: BAD_REQUEST,
            401: REFUSED,
            403: REFUSED,
            404: NOT_FOUND,
            409: EDIT_CONFLICT,
            415: NOT_JSON,
        },
    )
    def partial_update(self, request, pk=None):
        self._require_login(request)
        project = self.get_object()
        incoming = ProjectUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values, countries, sectors = self._values(incoming.validated_data)
        try:
            operations.update_project(
                request.user,
                project,
                values,
                countries=countries,
                sectors=sectors,
                expected_version=incoming.validated_data["version"],
            )
        except EditConflict as exc:
            return Response({"detail": str(exc), "current_version": exc.current}, status=status.HTTP_409_CONFLICT)
        except (PermissionDenied, ValidationError) as exc:
            raise _api_error(exc) from exc
        return Response(self._shown(request, project.pk))

    @extend_schema(
        request=TransitionSerializer,
        responses={
            200: ProjectSerializer,
            400: BAD_REQUEST,
            401: REFUSED,
            403: REFUSED,
            404: NOT_FOUND,
            409: TRANSITION_REFUSED,
            415: NOT_JSON,
        },
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        self._require_login(request)
        project = self.get_object()
        incoming = TransitionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        meeting = queries.meeting_or_none(request.user, incoming.validated_data.get("meeting"))
        try:
            operations.fire_transition(
                request.user,
                project,
                incoming.validated_data["name"],
                reason=incoming.validated_data["reason"],
                meeting=meeting,
            )
        except workflow.TransitionError as exc:
            return Response({"detail": exc.problems}, status=status.HTTP_409_CONFLICT)
        return Response(self._shown(request, project.pk))
