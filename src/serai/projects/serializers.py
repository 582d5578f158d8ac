"""API shapes for projects. Serializers only shape data: rules live in operations/workflow."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from serai.core.forms import strict_int
from serai.orgs.models import Helix
from serai.reference.models import Body, CooperationField, DacSector, MemberState

from . import queries
from .models import Project, Scope, Status


TRANSLATED_TEXT_SCHEMA = {
    "type": "object",
    "properties": {
        "values": {"type": "object", "additionalProperties": {"type": "string"}, "example": {"en": "Solar schools", "ru": "Солнечные школы"}},
        "source": {"type": "string", "example": "en"},
        "flags": {"type": "object", "additionalProperties": {"type": "string", "enum": ["machine", "unreviewed"]}},
    },
    "required": ["values"],
}


@extend_schema_field(TRANSLATED_TEXT_SCHEMA)
class TranslatedTextField(serializers.Field):
    """{"values": {lang: text}, "source": lang, "flags": {...}} in and out."""

    def to_representation(self, value):
        return value.to_json()

    def to_internal_value(self, data):
        from django.core.exceptions import ValidationError

        from serai.core.i18n import TranslatedText

        try:
            text = TranslatedText.coerce(data)
            text.validate(required=False, max_length=None)
        except (TypeError, ValidationError) as exc:
            raise serializers.ValidationError(str(exc)) from exc
        return text


@extend_schema_field({"type": "integer"})
class StrictIntegerField(serializers.Field):
    """A whole number in a range, by the same rule as the pages' forms (``core.forms.strict_int``):
    ASCII digits only, so "①" or "٣" are refused, not read as 1 or 3."""

    def __init__(self, *, min_value: int, max_value: int, **kwargs):
        self.min_value, self.max_value = min_value, max_value
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        from django.core.exceptions import ValidationError

        if data == "":
            return None
        try:
            return strict_int(data, self.min_value, self.max_value)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc

    def to_representation(self, value):
        return value


class ProjectFilterSerializer(serializers.Serializer):
    """The list's query string, validated like the pages' ``forms.ProjectFilterForm``; unknown
    parameters are ignored. A bad parameter answers 400 with the parameter's name as the key."""

    q = serializers.CharField(required=False, allow_blank=True, max_length=queries.MAX_QUERY,
                              help_text="full-text search")
    country = serializers.RegexField(r"\A[A-Za-z]{2}\Z", required=False, allow_blank=True,
                                     help_text="member state ISO alpha-2")
    field = serializers.RegexField(r"\A[A-Za-z0-9][A-Za-z0-9._-]*\Z", max_length=40, required=False, allow_blank=True,
                                   help_text="cooperation field code")
    subcommittee = serializers.RegexField(r"\A[A-Za-z0-9][A-Za-z0-9._-]*\Z", max_length=40, required=False,
                                          allow_blank=True, help_text="subcommittee code")
    status = serializers.ChoiceField(Status.choices, required=False, allow_blank=True, help_text="workflow status")
    scope = serializers.ChoiceField(Scope.choices, required=False, allow_blank=True, help_text="bilateral or multilateral")
    year = StrictIntegerField(min_value=queries.YEARS[0], max_value=queries.YEARS[1], required=False,
                              help_text="start year (actual, else planned)")
    helix = serializers.ChoiceField(Helix.choices, required=False, allow_blank=True,
                                    help_text="helix of a participating organisation")
    sort = serializers.ChoiceField(list(queries.SORTS), required=False, allow_blank=True, help_text="order of the list")
    page = StrictIntegerField(min_value=1, max_value=1_000_000, required=False, help_text="page number, from 1")

    def validate_country(self, value: str) -> str:
        return value.upper()

    def to_internal_value(self, data):
        # A query string may repeat a parameter; like the pages, read its last value.
        if hasattr(data, "getlist"):
            data = {k: data.get(k) for k in data}
        return super().to_internal_value(data)

    def filters(self) -> queries.Filters:
        return queries.Filters.of(self.validated_data)


class SectorSerializer(serializers.Serializer):
    field = serializers.SlugRelatedField(slug_field="code", queryset=CooperationField.objects.all())
    dac_code = serializers.SlugRelatedField(slug_field="code", queryset=DacSector.objects.all(), source="dac_sector",
                                            required=False, allow_null=True)
    percentage = serializers.DecimalField(max_digits=5, decimal_places=2)


class ProjectSerializer(serializers.ModelSerializer):
    title = TranslatedTextField()
    summary = TranslatedTextField(required=False)
    description = TranslatedTextField(required=False)
    countries = serializers.SerializerMethodField()
    subcommittee = serializers.SlugRelatedField(slug_field="code", read_only=True)
    sectors = serializers.SerializerMethodField()
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api-project-detail")

    class Meta:
        model = Project
        fields = [
            "id", "url", "code", "title", "summary", "description", "status", "status_label", "scope", "countries",
            "subcommittee", "sectors", "planned_start", "planned_end", "actual_start", "actual_end", "budget_amount",
            "budget_currency", "usd_rate", "usd_rate_date", "budget_usd", "tags", "is_demo", "version",
        ]
        read_only_fields = fields

    def get_countries(self, obj) -> list[str]:
        return [c.iso3 for c in obj.countries.all()]

    def get_sectors(self, obj) -> list[dict]:
        return [
            {"field": s.field.code, "dac_code": s.dac_sector.code if s.dac_sector_id else None, "percentage": str(s.percentage)}
            for s in obj.sectors.all()
        ]


class ProjectWriteSerializer(serializers.Serializer):
    title = TranslatedTextField()
    summary = TranslatedTextField(required=False)
    description = TranslatedTextField(required=False)
    countries = serializers.SlugRelatedField(slug_field="iso3", queryset=MemberState.objects.all(), many=True, required=False)
    subcommittee = serializers.SlugRelatedField(
        slug_field="code", queryset=Body.objects.filter(kind="subcommittee"), required=False, allow_null=True
    )
    sectors = SectorSerializer(many=True, required=False)
    planned_start = serializers.DateField(required=False, allow_null=True)
    planned_end = serializers.DateField(required=False, allow_null=True)
    budget_amount = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, allow_null=True)
    budget_currency = serializers.CharField(max_length=3, required=False, allow_blank=True)
    usd_rate = serializers.DecimalField(max_digits=18, decimal_places=8, required=False, allow_null=True)
    usd_rate_date = serializers.DateField(required=False, allow_null=True)
    tags = serializers.ListField(child=serializers.CharField(max_length=60), required=False)
    version = serializers.IntegerField(required=False, help_text="The version you edited (optimistic concurrency).")


class TransitionSerializer(serializers.Serializer):
    name = serializers.CharField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    meeting = serializers.IntegerField(required=False, allow_null=True)
