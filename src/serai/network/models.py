"""The cooperation network: what organisations offer and seek, people's expertise, introductions.

``CooperationProfile.status`` and ``Introduction.status`` are moved only by the machines in
:mod:`serai.network.workflow` (through :mod:`serai.network.operations`); every other write goes
through ``operations`` too.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from serai.core.fields import TranslatableField
from serai.orgs.models import Helix, Organisation
from serai.people.models import Person
from serai.reference.models import CooperationField, DacSector, MemberState


class ProfileKind(models.TextChoices):
    TECH_OFFER = "tech_offer", _("Technology offer")
    TECH_REQUEST = "tech_request", _("Technology request")
    RESEARCH_PARTNER = "research_partner", _("Research partner sought")
    BUSINESS_OFFER = "business_offer", _("Business or investment offer")
    BUSINESS_REQUEST = "business_request", _("Business or investment request")
    TRAINING_OFFER = "training_offer", _("Training or education offer")


class ProfileStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for moderation")
    PUBLISHED = "published", _("Published")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The languages a person may work in (the Forum's languages and the Central Asian ones).
WORK_LANGUAGES: dict[str, object] = {
    "ko": _("Korean"),
    "ru": _("Russian"),
    "en": _("English"),
    "kk": _("Kazakh"),
    "uz": _("Uzbek"),
    "ky": _("Kyrgyz"),
    "tg": _("Tajik"),
    "tk": _("Turkmen"),
}


def validate_hs4_list(value) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) and len(v) == 4 and v.isdigit() for v in value):
        raise ValidationError(_("HS products are a list of four-digit codes, e.g. 8541."))


def validate_helix_list(value) -> None:
    if not isinstance(value, list) or not all(v in Helix.values for v in value):
        raise ValidationError(_("Choose helix types from the list."))


def validate_language_list(value) -> None:
    if not isinstance(value, list) or not all(v in WORK_LANGUAGES for v in value):
        raise ValidationError(_("Choose languages from the list."))


class CooperationProfile(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="profiles", verbose_name=_("organisation")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ProfileKind.choices, db_index=True)
    title = TranslatableField(_("title"), max_length=300)
    description = TranslatableField(_("description"), blank=True, multiline=True)
    fields = models.ManyToManyField(
        CooperationField, blank=True, related_name="cooperation_profiles", verbose_name=_("cooperation fields")
    )
    dac_sectors = models.ManyToManyField(
        DacSector, blank=True, related_name="cooperation_profiles", verbose_name=_("DAC purpose codes")
    )
    hs4 = models.JSONField(_("HS products (4 digits)"), default=list, blank=True, validators=[validate_hs4_list])
    target_countries = models.ManyToManyField(
        MemberState,
        blank=True,
        related_name="cooperation_profiles",
        verbose_name=_("target countries"),
        help_text=_("Leave empty for any member state."),
    )
    seeks_helix = models.JSONField(
        _("partner types sought"), default=list, blank=True, validators=[validate_helix_list]
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ProfileStatus.choices, default=ProfileStatus.DRAFT, db_index=True
    )
    moderation_note = models.TextField(_("moderation note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    # every language of the title and description, the organisation's name, fields and kind:
    # kept by operations for the site search (serai.core.search)
    search_document = models.TextField(editable=False, blank=True, default="")
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("cooperation profile")
        verbose_name_plural = _("cooperation profiles")
        indexes = [models.Index(fields=["status", "valid_until"], name="profile_status_valid_idx")]

    def __str__(self) -> str:
        return str(self.title)


class Expertise(models.Model):
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="expertise", verbose_name=_("person"))
    fields = models.ManyToManyField(
        CooperationField, blank=True, related_name="expertise", verbose_name=_("fields of expertise")
    )
    keywords = models.TextField(_("keywords"), blank=True, max_length=1000)
    languages = models.JSONField(_("working languages"), default=list, blank=True, validators=[validate_language_list])
    listed = models.BooleanField(
        _("listed in the network"),
        default=False,
        help_text=_("The person agrees to be listed; contact details stay hidden until an introduction is accepted."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("expertise")
        verbose_name_plural = _("expertise")

    def __str__(self) -> str:
        return str(self.person)


class IntroductionStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Introduction(models.Model):
    """An organisation's interest in a profile; accepted, it reveals both organisations' contacts."""

    profile = models.ForeignKey(
        CooperationProfile, on_delete=models.CASCADE, related_name="introductions", verbose_name=_("profile")
    )
    requester_org = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="requested_introductions",
        verbose_name=_("requesting organisation"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    message = models.TextField(_("message"), blank=True, max_length=4000)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=IntroductionStatus.choices,
        default=IntroductionStatus.REQUESTED,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")
        constraints = [
            # one open request per organisation and profile
            models.UniqueConstraint(
                fields=["profile", "requester_org"],
                condition=models.Q(status="requested"),
                name="introduction_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester_org} → {self.profile}"
