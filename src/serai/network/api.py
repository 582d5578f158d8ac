"""The cooperation network's read-only REST API: published profiles (and whatever else the caller
may see, by the same rule as the pages). Serializers only shape data."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets

from serai.orgs.models import Helix
from serai.projects.serializers import StrictIntegerField, TranslatedTextField

from . import queries
from .models import WORK_LANGUAGES, CooperationProfile, ProfileKind

CODE = r"\A[A-Za-z0-9][A-Za-z0-9._-]*\Z"
COUNTRY = r"\A[A-Za-z]{2}\Z"
BAD_REQUEST = OpenApiResponse(description="A query parameter does not validate: each bad parameter with its messages.")
NOT_FOUND = OpenApiResponse(
    inline_serializer("ProfileNotFound", {"detail": serializers.CharField()}),
    description="No such profile, or not visible to the caller.",
)


class ProfileFilterSerializer(serializers.Serializer):
    """The list's query string, validated like the page's ``forms.ProfileFilterForm``; unknown
    parameters are ignored. A bad parameter answers 400 with the parameter's name as the key."""

    q = serializers.CharField(
        required=False, allow_blank=True, max_length=queries.MAX_QUERY, help_text="full-text search"
    )
    kind = serializers.ChoiceField(ProfileKind.choices, required=False, allow_blank=True, help_text="profile kind")
    country = serializers.RegexField(
        COUNTRY, required=False, allow_blank=True, help_text="ISO alpha-2 of the organisation's member state"
    )
    target = serializers.RegexField(
        COUNTRY,
        required=False,
        allow_blank=True,
        help_text="ISO alpha-2 of a target country (profiles for any country included)",
    )
    field = serializers.RegexField(
        CODE, max_length=40, required=False, allow_blank=True, help_text="cooperation field code"
    )
    helix = serializers.ChoiceField(
        Helix.choices, required=False, allow_blank=True, help_text="the organisation's helix"
    )
    seeks = serializers.ChoiceField(
        Helix.choices, required=False, allow_blank=True, help_text="a helix the profile seeks"
    )
    language = serializers.ChoiceField(
        list(WORK_LANGUAGES),
        required=False,
        allow_blank=True,
        help_text="a language the title or description is written in",
    )
    page = StrictIntegerField(min_value=1, max_value=1_000_000, required=False, help_text="page number, from 1")

    def validate_country(self, value: str) -> str:
        return value.upper()

    def validate_target(self, value: str) -> str:
        return value.upper()

    def to_internal_value(self, data):
        # A query string may repeat a parameter; like the pages, read its last value.
        if hasattr(data, "getlist"):
            data = {k: data.get(k) for k in data}
        return super().to_internal_value(data)

    def filters(self) -> queries.Filters:
        return queries.Filters.of(self.validated_data)


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = TranslatedTextField()
    helix = serializers.CharField()
    country = serializers.CharField(source="country_code")


class ProfileSerializer(serializers.ModelSerializer):
    title = TranslatedTextField()
    description = TranslatedTextField()
    organisation = OrganisationRefSerializer()
    fields = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    dac_sectors = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    target_countries = serializers.SlugRelatedField(slug_field="iso2", many=True, read_only=True)
    hs4 = serializers.ListField(child=serializers.CharField())
    seeks_helix = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = CooperationProfile
        fields = [
            "id",
            "kind",
            "status",
            "title",
            "description",
            "organisation",
            "fields",
            "dac_sectors",
            "hs4",
            "target_countries",
            "seeks_helix",
            "valid_until",
            "published_at",
        ]
        read_only_fields = fields


class ProfileViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Cooperation profiles: the list holds the published, still valid ones (filters as on the page);
    one profile is readable by whoever may see it."""

    serializer_class = ProfileSerializer
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        if self.action != "list":
            return queries.for_list(queries.profiles(self.request.user)).prefetch_related("dac_sectors")
        base = queries.for_list(queries.live_profiles(self.request.user)).prefetch_related("dac_sectors")
        return queries.filtered(self.request.user, self._filters(), base=base)

    def get_object(self):
        from django.http import Http404

        pk = self.kwargs.get("pk", "")
        if not str(pk).isascii() or not str(pk).isdigit() or len(str(pk)) > 18:
            raise Http404
        return super().get_object()

    def _filters(self) -> queries.Filters:
        if not hasattr(self, "_valid_filters"):
            incoming = ProfileFilterSerializer(data=self.request.query_params)
            incoming.is_valid(raise_exception=True)
            self._valid_filters = incoming.filters()
        return self._valid_filters

    @extend_schema(
        parameters=[ProfileFilterSerializer],
        responses={200: ProfileSerializer(many=True), 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def list(self, request, *args, **kwargs):
        self._filters()  # a bad parameter answers 400 before anything is read
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: ProfileSerializer, 404: NOT_FOUND})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)
