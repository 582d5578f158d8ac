"""Reference data: member states, bodies, cooperation fields and DAC purpose codes.

All of it is data, not code: another forum loads its own rows. Rows loaded from the
reference data carry ``origin="reference"``; once staff correct a row its origin becomes
``"staff"`` and a later reload leaves it alone.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from serai.core.fields import TranslatableField


class Origin(models.TextChoices):
    REFERENCE = "reference", _("reference data")
    STAFF = "staff", _("corrected by staff")


class MemberState(models.Model):
    iso2 = models.CharField(
        _("ISO 3166 alpha-2"), max_length=2, unique=True, validators=[RegexValidator(r"^[A-Z]{2}$")]
    )
    iso3 = models.CharField(
        _("ISO 3166 alpha-3"), max_length=3, unique=True, validators=[RegexValidator(r"^[A-Z]{3}$")]
    )
    iso_numeric = models.CharField(
        _("ISO 3166 numeric"), max_length=3, unique=True, validators=[RegexValidator(r"^[0-9]{3}$")]
    )
    name = TranslatableField(_("name"), max_length=120)
    capital = TranslatableField(_("capital"), max_length=120, blank=True)
    is_anchor = models.BooleanField(
        _("dialogue partner"),
        default=False,
        help_text=_("The partner the others meet as a group (Korea in the Korea–Central Asia Forum)."),
    )
    sort_order = models.PositiveSmallIntegerField(default=0)
    origin = models.CharField(max_length=12, choices=Origin.choices, default=Origin.STAFF)

    class Meta:
        ordering = ["sort_order", "iso3"]
        verbose_name = _("member state")
        verbose_name_plural = _("member states")
        constraints = [
            models.UniqueConstraint(
                fields=["is_anchor"], condition=models.Q(is_anchor=True), name="one_anchor_member_state"
            )
        ]

    def __str__(self) -> str:
        return str(self.name) or self.iso3


class BodyKind(models.TextChoices):
    FORUM = "forum", _("Forum")
    SENIOR_OFFICIALS = "som", _("Senior officials' meeting")
    SECRETARIAT = "secretariat", _("Secretariat")
    SUBCOMMITTEE = "subcommittee", _("Subcommittee")
    WORKING_GROUP = "working_group", _("Working group")
    BUSINESS_COUNCIL = "business_council", _("Business council")
    THINK_TANK = "think_tank", _("Think-tank forum")


class Body(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=BodyKind.choices)
    name = TranslatableField(_("name"), max_length=200)
    description = TranslatableField(_("description"), blank=True, multiline=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("part of")
    )
    established = models.PositiveSmallIntegerField(_("established (year)"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    origin = models.CharField(max_length=12, choices=Origin.choices, default=Origin.STAFF)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("body")
        verbose_name_plural = _("bodies")

    def __str__(self) -> str:
        return str(self.name) or self.code


class DacSector(models.Model):
    """An OECD DAC 5-digit purpose code, loaded from the IATI Sector codelist."""

    code = models.CharField(_("DAC code"), max_length=5, unique=True, validators=[RegexValidator(r"^[0-9]{5}$")])
    name = models.CharField(_("name"), max_length=300)
    category = models.CharField(_("DAC category (3-digit)"), max_length=3, blank=True)
    withdrawn = models.BooleanField(default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("DAC purpose code")
        verbose_name_plural = _("DAC purpose codes")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CooperationField(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = TranslatableField(_("name"), max_length=120)
    description = TranslatableField(_("description"), blank=True, multiline=True)
    subcommittee = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="fields_of_cooperation",
        limit_choices_to={"kind": BodyKind.SUBCOMMITTEE},
        verbose_name=_("subcommittee"),
    )
    dac_sectors = models.ManyToManyField(
        DacSector, blank=True, related_name="cooperation_fields", verbose_name=_("DAC purpose codes")
    )
    colour = models.CharField(max_length=7, default="#2f6f8f", validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$")])
    sort_order = models.PositiveSmallIntegerField(default=0)
    origin = models.CharField(max_length=12, choices=Origin.choices, default=Origin.STAFF)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("cooperation field")
        verbose_name_plural = _("cooperation fields")

    def __str__(self) -> str:
        return str(self.name) or self.code
