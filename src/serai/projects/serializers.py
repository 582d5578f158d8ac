"""API shapes for projects. Serializers only shape data: rules live in operations/workflow."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from serai.core.forms import strict_int
from serai.orgs.models import Helix
from serai.reference.models import Body, CooperationField, DacSector, MemberState

from . import queries, validation, workflow
from .models import Project, Scope, Status

LANGUAGES = [code for code, _name in settings.CONTENT_LANGUAGES]
FLAG_NAMES = ["machine", "unreviewed"]
TRANSLATED_TEXT_SCHEMA = {
    "type": "object",
    "properties": {
        "values": {
            "type": "object",
            "properties": {lang: {"type": "string"} for lang in LANGUAGES},
            "additionalProperties": False,
            "example": {"en": "Solar schools", "ru": "Солнечные школы"},
        },
        "source": {"type": "string", "enum": [*LANGUAGES, None], "nullable": True, "example": "en"},
        "flags": {
            "type": "object",
            "properties": {lang: {"type": "string", "enum": FLAG_NAMES} for lang in LANGUAGES},
            "additionalProperties": False,
        },
    },
    "required": ["values"],
    "additionalProperties": False,
}


NONEMPTY_TEXT_SCHEMA = {
    **TRANSLATED_TEXT_SCHEMA,
    "properties": {
        **TRANSLATED_TEXT_SCHEMA["properties"],
        "values": {
            **TRANSLATED_TEXT_SCHEMA["properties"]["values"],
            "minProperties": 1,
            "properties": {lang: {"type": "string", "minLength": 1, "pattern": r"\S"} for lang in LANGUAGES},
        },
    },
}


def _text_ok(value) -> bool:
    """A JSON string PostgreSQL can store: no NUL character, no lone surrogate."""
    if not isinstance(value, str) or "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@extend_schema_field(TRANSLATED_TEXT_SCHEMA)
class TranslatedTextField(serializers.Field):
    """{"values": {lang: text}, "source": lang, "flags": {...}} in and out. Only that JSON object is
    read: a plain string (what a form-encoded body would carry) is refused, not stored as the text."""

    may_be_empty = True

    default_error_messages = {
        # (DRF formats this message: braces are doubled)
        "invalid": _(
            'Give an object {{"values": {{language: text}}, "source": language, "flags": {{language: flag}}}}.'
        ),
    }

    def to_representation(self, value):
        return value.to_json()

    def to_internal_value(self, data):
        from django.core.exceptions import ValidationError

        from serai.core.i18n import TranslatedText

        if not isinstance(data, dict) or set(data) - {"values", "source", "flags"}:
            self.fail("invalid")
        values, source, flags = data.get("values"), data.get("source"), data.get("flags", {})
        if (
            not isinstance(values, dict)
            or not isinstance(flags, dict)
            or not all(isinstance(k, str) and _text_ok(v) for k, v in values.items())
            or set(values) - set(LANGUAGES)
            or set(flags) - set(LANGUAGES)
            or not all(v in FLAG_NAMES for v in flags.values())
            or not (source is None or source in LANGUAGES)
            or (not self.may_be_empty and any(not v.strip() for v in values.values()))
        ):
            self.fail("invalid")
        try:
            text = TranslatedText(values, source, flags)
            text.validate(required=not self.may_be_empty, max_length=None)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        return text


class StrictIntegerField(serializers.IntegerField):
    """A whole number in a range (published as the schema's minimum and maximum), by the same rule
    as the pages' forms (``core.forms.strict_int``): ASCII digits only, so "①" or "٣" are refused,
    not read as 1 or 3 as DRF's IntegerField would."""

    def __init__(self, *, min_value: int, max_value: int, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def validate_empty_values(self, data):
        if data == "":  # "?year=" is no year
            return True, None
        return super().validate_empty_values(data)

    def to_internal_value(self, data):
        from django.core.exceptions import ValidationError

        try:
            return strict_int(data, self.min_value, self.max_value)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc


class ProjectFilterSerializer(serializers.Serializer):
    """The list's query string, validated like the pages' ``forms.ProjectFilterForm``; unknown
    parameters are ignored. A bad parameter answers 400 with the parameter's name as the key."""

    q = serializers.CharField(
        required=False, allow_blank=True, max_length=queries.MAX_QUERY, help_text="full-text search"
    )
    country = serializers.RegexField(
        r"\A[A-Za-z]{2}\Z", required=False, allow_blank=True, help_text="member state ISO alpha-2"
    )
    field = serializers.RegexField(
        r"\A[A-Za-z0-9][A-Za-z0-9._-]*\Z",
        max_length=40,
        required=False,
        allow_blank=True,
        help_text="cooperation field code",
    )
    subcommittee = serializers.RegexField(
        r"\A[A-Za-z0-9][A-Za-z0-9._-]*\Z",
        max_length=40,
        required=False,
        allow_blank=True,
        help_text="subcommittee code",
    )
    status = serializers.ChoiceField(Status.choices, required=False, allow_blank=True, help_text="workflow status")
    scope = serializers.ChoiceField(
        Scope.choices, required=False, allow_blank=True, help_text="bilateral or multilateral"
    )
    year = StrictIntegerField(
        min_value=queries.YEARS[0],
        max_value=queries.YEARS[1],
        required=False,
        help_text="start year (actual, else planned)",
    )
    helix = serializers.ChoiceField(
        Helix.choices, required=False, allow_blank=True, help_text="helix of a participating organisation"
    )
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


class JsonTextField(serializers.CharField):
    """Text as the published schema says: a JSON string. A number or true is refused, not stored as
    "0" or "True"."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class JsonIntegerField(serializers.IntegerField):
    """A JSON integer: "5", 5.0 or true are refused, as the published schema says."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class JsonDecimalField(serializers.DecimalField):
    """A decimal written as a JSON string ("62.50"), as the API returns it and its schema says;
    a JSON number is refused (binary floating point would round it)."""

    default_error_messages = {"not_text": _('Write the number as a string, e.g. "62.50".')}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_text")
        return super().to_internal_value(data)


class CodeRelatedField(serializers.SlugRelatedField):
    """A reference row by its code; text that cannot be a code (a NUL character, 300 letters, a
    number) is "no such code" without reaching the database."""

    CODE = re.compile(r"[A-Za-z0-9._-]{1,40}")

    def to_internal_value(self, data):
        if not isinstance(data, str) or not self.CODE.fullmatch(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data)[:40])
        return super().to_internal_value(data)


class SectorSerializer(serializers.Serializer):
    field = CodeRelatedField(slug_field="code", queryset=CooperationField.objects.all())
    dac_code = CodeRelatedField(
        slug_field="code", queryset=DacSector.objects.all(), source="dac_sector", required=False, allow_null=True
    )
    percentage = JsonDecimalField(max_digits=5, decimal_places=2)


@extend_schema_field(NONEMPTY_TEXT_SCHEMA)
class NonEmptyTranslatedTextField(TranslatedTextField):
    """A translated text with a value in at least one language (a title)."""

    may_be_empty = False


class SectorOutSerializer(serializers.Serializer):
    field = serializers.CharField()
    dac_code = serializers.CharField(allow_null=True)
    percentage = serializers.DecimalField(max_digits=5, decimal_places=2)


class ProjectSerializer(serializers.ModelSerializer):
    title = TranslatedTextField()
    summary = TranslatedTextField(required=False)
    description = TranslatedTextField(required=False)
    countries = serializers.SerializerMethodField()
    subcommittee = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    scope = serializers.ChoiceField(
        Scope.choices,
        read_only=True,
        allow_blank=True,
        help_text="empty until the project names Korea and another member state",
    )
    sectors = serializers.SerializerMethodField()
    tags = serializers.ListField(child=serializers.CharField(), read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api-project-detail")

    class Meta:
        model = Project
        fields = [
            "id",
            "url",
            "code",
            "title",
            "summary",
            "description",
            "status",
            "status_label",
            "scope",
            "countries",
            "subcommittee",
            "sectors",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "budget_amount",
            "budget_currency",
            "usd_rate",
            "usd_rate_date",
            "budget_usd",
            "tags",
            "is_demo",
            "version",
        ]
        read_only_fields = fields

    def get_countries(self, obj) -> list[str]:
        return [c.iso3 for c in obj.countries.all()]

    @extend_schema_field(SectorOutSerializer(many=True))
    def get_sectors(self, obj) -> list[dict]:
        return [
            {
                "field": s.field.code,
                "dac_code": s.dac_sector.code if s.dac_sector_id else None,
                "percentage": str(s.percentage),
            }
            for s in obj.sectors.all()
        ]


# The decimal columns the API shows, with their decimal places (as the model declares them).
_DECIMAL_PLACES = {
    name: Project._meta.get_field(name).decimal_places for name in ("budget_amount", "usd_rate", "budget_usd")
}
_QUANTUM = {places: Decimal(".1") ** places for places in set(_DECIMAL_PLACES.values())}


def _decimal(value: Decimal | None, places: int) -> str | None:
    # as DRF's DecimalField writes it: quantized to the field's places, never in exponent notation
    return None if value is None else f"{value.quantize(_QUANTUM[places]):f}"


def _date(value) -> str | None:
    return None if value is None else value.isoformat()


def project_content(row: dict[str, Any]) -> dict[str, Any]:
    """The part of a project's representation read from its own row's ``api_queries.CONTENT_FIELDS``:
    the same for every viewer and every language (translated text carries all its languages), so it
    may be cached per row version (``api.represent``)."""
    return {
        "code": row["code"],
        "title": row["title"].to_json(),
        "summary": row["summary"].to_json(),
        "description": row["description"].to_json(),
        "planned_start": _date(row["planned_start"]),
        "planned_end": _date(row["planned_end"]),
        "actual_start": _date(row["actual_start"]),
        "actual_end": _date(row["actual_end"]),
        "budget_amount": _decimal(row["budget_amount"], _DECIMAL_PLACES["budget_amount"]),
        "budget_currency": row["budget_currency"],
        "usd_rate": _decimal(row["usd_rate"], _DECIMAL_PLACES["usd_rate"]),
        "usd_rate_date": _date(row["usd_rate_date"]),
        "budget_usd": _decimal(row["budget_usd"], _DECIMAL_PLACES["budget_usd"]),
        "tags": [None if tag is None else str(tag) for tag in row["tags"]],
        "is_demo": row["is_demo"],
    }


_STATUS_LABELS = dict(Status.choices)  # lazy: translated when read


class ProjectShape:
    """``ProjectSerializer``'s representation built in plain Python — what the API answers
    (``ProjectSerializer`` stays its published schema; a test keeps the two equal). DRF's fields
    cost a method call per field of every project; this is one dict per project, made of a row of
    ``api_queries.rows``, the row's ``project_content`` and the codes ``api_queries.relations``
    read for it.

    One per request: the status labels are in the request's language and the links name its host."""

    def __init__(self, request) -> None:
        self.labels: dict[str, str] = {}  # status → label in the request's language, as met
        # the detail link of project 0, less its "0/": the link of every project is this plus "<id>/"
        self.link = request.build_absolute_uri(reverse("api-project-detail", kwargs={"pk": 0}))[: -len("0/")]

    def _label(self, status: str) -> str:
        # as Django's get_status_display: the choice's label, or the value itself if it is none
        label = self.labels[status] = str(_STATUS_LABELS.get(status, status))
        return label

    def __call__(
        self, row: dict[str, Any], content: dict[str, Any], countries: list[str], sectors: list[tuple]
    ) -> dict[str, Any]:
        status = row["status"]
        return {
            "id": row["id"],
            "url": f"{self.link}{row['id']}/",
            "code": content["code"],
            "title": content["title"],
            "summary": content["summary"],
            "description": content["description"],
            "status": status,
            "status_label": self.labels.get(status) or self._label(status),
            "scope": row["scope"],
            "countries": list(countries),
            "subcommittee": row["subcommittee__code"],
            "sectors": [
                {"field": field, "dac_code": dac, "percentage": str(percentage)} for field, dac, percentage in sectors
            ],
            "planned_start": content["planned_start"],
            "planned_end": content["planned_end"],
            "actual_start": content["actual_start"],
            "actual_end": content["actual_end"],
            "budget_amount": content["budget_amount"],
            "budget_currency": content["budget_currency"],
            "usd_rate": content["usd_rate"],
            "usd_rate_date": content["usd_rate_date"],
            "budget_usd": content["budget_usd"],
            "tags": content["tags"],
            "is_demo": content["is_demo"],
            "version": row["version"],
        }


class ProjectWriteSerializer(serializers.Serializer):
    title = NonEmptyTranslatedTextField()
    summary = TranslatedTextField(required=False)
    description = TranslatedTextField(required=False)
    countries = CodeRelatedField(slug_field="iso3", queryset=MemberState.objects.all(), many=True, required=False)
    subcommittee = CodeRelatedField(
        slug_field="code", queryset=Body.objects.filter(kind="subcommittee"), required=False, allow_null=True
    )
    sectors = SectorSerializer(many=True, required=False)
    planned_start = serializers.DateField(required=False, allow_null=True)
    planned_end = serializers.DateField(required=False, allow_null=True)
    budget_amount = JsonDecimalField(max_digits=16, decimal_places=2, required=False, allow_null=True)
    budget_currency = JsonTextField(max_length=3, required=False, allow_blank=True)
    usd_rate = JsonDecimalField(max_digits=18, decimal_places=8, required=False, allow_null=True)
    usd_rate_date = serializers.DateField(required=False, allow_null=True)
    tags = serializers.ListField(
        child=JsonTextField(max_length=validation.MAX_TAG_LENGTH), required=False, max_length=validation.MAX_TAGS
    )
    version = JsonIntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="The version you edited (optimistic concurrency); required on update.",
    )


class ProjectUpdateSerializer(ProjectWriteSerializer):
    """An update (PATCH): any of the fields, and always the version it was made from — without it
    the last writer would silently win over an edit made in between. It is never "partial" in DRF's
    sense, so ``version`` stays required (in the API and in its published schema) while every other
    field is optional."""

    @property
    def partial(self) -> bool:
        return False

    @partial.setter
    def partial(self, value) -> None:
        pass

    title = NonEmptyTranslatedTextField(required=False)
    version = JsonIntegerField(
        min_value=1, max_value=2**31 - 1, help_text="The version you edited (optimistic concurrency)."
    )


class TransitionSerializer(serializers.Serializer):
    name = serializers.ChoiceField([t.name for t in workflow.TRANSITIONS], help_text="the workflow move")
    reason = JsonTextField(required=False, allow_blank=True, default="", max_length=4000)
    meeting = JsonIntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**63 - 1,
        help_text="the Forum session, for an endorsement",
    )
