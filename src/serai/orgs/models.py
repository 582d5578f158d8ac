"""The organisations of every helix that take part in the Forum's cooperation."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from serai.core.fields import TranslatableField
from serai.reference.models import CooperationField, MemberState


class Helix(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    INDUSTRY = "industry", _("Industry")
    RESEARCH = "research", _("Research institute")
    ACADEMIA = "academia", _("Academia")
    INTERNATIONAL = "international", _("International organisation")
    NGO = "ngo", _("NGO")


# IATI OrganisationType codes (codelist 2.03) that fit each helix; the first is the default.
HELIX_IATI_TYPES: dict[str, tuple[str, ...]] = {
    Helix.GOVERNMENT: ("10", "11", "15"),
    Helix.INDUSTRY: ("70", "71", "72", "73", "30"),
    Helix.RESEARCH: ("80", "15", "60"),
    Helix.ACADEMIA: ("80",),
    Helix.INTERNATIONAL: ("40", "21", "23"),
    Helix.NGO: ("22", "21", "23", "24", "60", "90"),
}

IATI_ORGANISATION_TYPES = {
    "10": _("Government"),
    "11": _("Local Government"),
    "15": _("Other Public Sector"),
    "21": _("International NGO"),
    "22": _("National NGO"),
    "23": _("Regional NGO"),
    "24": _("Partner Country based NGO"),
    "30": _("Public Private Partnership"),
    "40": _("Multilateral"),
    "60": _("Foundation"),
    "70": _("Private Sector"),
    "71": _("Private Sector in Provider Country"),
    "72": _("Private Sector in Aid Recipient Country"),
    "73": _("Private Sector in Third Country"),
    "80": _("Academic, Training and Research"),
    "90": _("Other"),
}


class Organisation(models.Model):
    name = TranslatableField(_("name"), max_length=300)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    helix = models.CharField(_("helix"), max_length=20, choices=Helix.choices, db_index=True)
    iati_type = models.CharField(
        _("IATI organisation type"), max_length=2, choices=sorted(IATI_ORGANISATION_TYPES.items()), blank=True
    )
    iati_identifier = models.CharField(
        _("IATI organisation identifier"),
        max_length=100,
        blank=True,
        validators=[RegexValidator(r"^[A-Za-z]{2,}-[^\s/&|?]+$", _("Use the IATI form AGENCY-ID, e.g. KR-GOV-010."))],
    )
    member_state = models.ForeignKey(
        MemberState,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("country (member state)"),
    )
    other_country = models.CharField(
        _("country (other, ISO alpha-2)"), max_length=2, blank=True, validators=[RegexValidator(r"^[A-Z]{2}$")]
    )
    fields = models.ManyToManyField(
        CooperationField, blank=True, related_name="organisations", verbose_name=_("fields of work")
    )
    website = models.URLField(_("website"), blank=True, max_length=300)
    description = TranslatableField(_("description"), blank=True, multiline=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        name = str(self.name)
        return f"{name} ({self.acronym})" if self.acronym and self.acronym not in name else name

    @property
    def country_code(self) -> str:
        return self.member_state.iso2 if self.member_state_id else self.other_country

    def clean(self) -> None:
        if self.member_state_id and self.other_country:
            raise ValidationError({"other_country": _("Give either a member state or another country, not both.")})
        if not self.iati_type and self.helix:
            self.iati_type = HELIX_IATI_TYPES[self.helix][0]
        if self.helix and self.iati_type and self.iati_type not in HELIX_IATI_TYPES[self.helix]:
            allowed = ", ".join(HELIX_IATI_TYPES[self.helix])
            raise ValidationError(
                {
                    "iati_type": _("IATI type %(code)s does not fit the helix %(helix)s (allowed: %(allowed)s).")
                    % {"code": self.iati_type, "helix": self.get_helix_display(), "allowed": allowed}
                }
            )
