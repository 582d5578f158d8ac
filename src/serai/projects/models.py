"""Cooperation projects: registry, participation, documents and the results framework.

The status field is driven only by :mod:`serai.projects.workflow` (through
``operations.fire_transition``); every other write goes through ``operations`` too.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from serai.core.fields import TranslatableField
from serai.core.i18n import TranslatedText
from serai.orgs.models import Organisation
from serai.reference.models import Body, CooperationField, DacSector, MemberState


class Status(models.TextChoices):
    IDEA = "idea", _("Idea")
    SUBMITTED = "submitted", _("Proposal submitted")
    SCREENING = "screening", _("Secretariat screening")
    APPRAISAL = "appraisal", _("Subcommittee appraisal")
    RECOMMENDED = "recommended", _("Recommended")
    ENDORSED = "endorsed", _("Endorsed")
    IMPLEMENTATION = "implementation", _("In implementation")
    COMPLETED = "completed", _("Completed")
    EVALUATED = "evaluated", _("Evaluated")
    RETURNED = "returned", _("Returned for revision")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    SUSPENDED = "suspended", _("Suspended")


# Public after endorsement: these statuses are visible to everyone.
PUBLIC_STATUSES = (Status.ENDORSED, Status.IMPLEMENTATION, Status.SUSPENDED, Status.COMPLETED, Status.EVALUATED)


class Scope(models.TextChoices):
    BILATERAL = "bilateral", _("Bilateral")
    MULTILATERAL = "multilateral", _("Multilateral")


class Project(models.Model):
    code = models.CharField(_("code"), max_length=30, unique=True)
    title = TranslatableField(_("title"), max_length=300)
    summary = TranslatableField(_("summary"), max_length=2000, blank=True, multiline=True)
    description = TranslatableField(_("description"), blank=True, multiline=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IDEA, db_index=True)
    scope = models.CharField(_("scope"), max_length=12, choices=Scope.choices, blank=True, db_index=True)
    countries = models.ManyToManyField(
        MemberState, through="ProjectCountry", related_name="projects", verbose_name=_("member states")
    )
    subcommittee = models.ForeignKey(
        Body,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("subcommittee"),
        limit_choices_to={"kind": "subcommittee"},
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    budget_amount = models.DecimalField(
        _("budget"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    budget_currency = models.CharField(
        _("currency"), max_length=3, blank=True, validators=[RegexValidator(r"^[A-Z]{3}$")]
    )
    usd_rate = models.DecimalField(
        _("USD per unit of the currency"),
        max_digits=18,
        decimal_places=8,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    usd_rate_date = models.DateField(_("rate date"), null=True, blank=True)
    budget_usd = models.DecimalField(
        _("budget in USD"), max_digits=16, decimal_places=2, null=True, blank=True, editable=False
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("programme")
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    trade_evidence = models.JSONField(
        _("trade evidence"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("A stored snapshot of the trade figures that motivated the project."),
    )
    endorsed_at = models.ForeignKey(
        "governance.Meeting",  # a relation up: the Forum session that endorsed it (see docs/architecture.md)
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="endorsed_projects",
        verbose_name=_("endorsed at"),
    )
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="edited_projects", verbose_name=_("editors")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    search_document = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = [models.Index(fields=["status", "subcommittee"], name="project_status_sub_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def clean(self):
        from .validation import project_problems  # validation imports this module

        problems = project_problems(self)
        if problems:
            raise ValidationError(problems)

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def year(self) -> int | None:
        date = self.actual_start or self.planned_start
        return date.year if date else None


class ProjectCountry(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="country_links")
    member_state = models.ForeignKey(MemberState, on_delete=models.PROTECT, related_name="project_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "member_state"], name="project_country_unique")]

    def __str__(self) -> str:
        return f"{self.project.code} · {self.member_state}"

    def stamp_owner(self) -> tuple[str, int]:
        """Its project's page shows it: a write of it makes that page's fragments stale."""
        return ("projects.project", self.project_id)


class ProjectSector(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sectors")
    field = models.ForeignKey(
        CooperationField, on_delete=models.PROTECT, related_name="project_sectors", verbose_name=_("cooperation field")
    )
    dac_sector = models.ForeignKey(
        DacSector, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("DAC purpose code")
    )
    percentage = models.DecimalField(
        _("percentage"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )

    class Meta:
        ordering = ["-percentage", "id"]

    def __str__(self) -> str:
        return f"{self.project.code} · {self.field}"

    def stamp_owner(self) -> tuple[str, int]:
        """Its project's page shows it: a write of it makes that page's fragments stale."""
        return ("projects.project", self.project_id)


class FundingSource(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="funding_sources")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("funder"), max_length=200, blank=True)
    amount = models.DecimalField(
        _("amount"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True, validators=[RegexValidator(r"^[A-Z]{3}$")])
    # When the funder committed the amount, and what it has paid so far (IATI transactions 11 and 1).
    committed_on = models.DateField(_("committed on"), null=True, blank=True)
    disbursed = models.DecimalField(
        _("disbursed so far"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    disbursed_on = models.DateField(_("last disbursement on"), null=True, blank=True)
    # IATI classifications of this money; blank means the default for the funder's organisation type
    # (serai.iati.finance.defaults).
    flow_type = models.CharField(
        _("flow type"),
        max_length=2,
        blank=True,
        choices=[
            ("10", _("ODA")),
            ("21", _("Other official flows (non-export credit)")),
            ("30", _("Private development finance")),
            ("50", _("Other flows")),
        ],
    )
    finance_type = models.CharField(
        _("finance type"),
        max_length=4,
        blank=True,
        choices=[("110", _("Standard grant")), ("421", _("Standard loan")), ("422", _("Reimbursable grant"))],
    )
    aid_type = models.CharField(
        _("aid type"),
        max_length=4,
        blank=True,
        choices=[
            ("C01", _("Project-type interventions")),
            ("D01", _("Donor country personnel")),
            ("D02", _("Other technical assistance")),
            ("E01", _("Scholarships/training in donor country")),
            ("B03", _("Contributions to specific-purpose programmes and funds")),
        ],
    )
    tied_status = models.CharField(
        _("tied status"),
        max_length=1,
        blank=True,
        choices=[("3", _("Partially tied")), ("4", _("Tied")), ("5", _("Untied"))],
    )

    class Meta:
        ordering = ["id"]

    def clean(self) -> None:
        errors = {}
        if not self.organisation_id and not self.name.strip():
            errors["name"] = _("Name the funder or choose its organisation.")
        if self.disbursed is not None and self.amount is not None and self.disbursed > self.amount:
            errors["disbursed"] = _("More than the amount committed.")
        if self.disbursed and not self.disbursed_on:
            errors["disbursed_on"] = _("Give the date of the last disbursement.")
        if errors:
            raise ValidationError(errors)

    def __str__(self) -> str:
        return (
            self.name
            or str(self.organisation or "")
            or f"{self.project.code} · {self.amount or ''} {self.currency}".strip()
        )

    def stamp_owner(self) -> tuple[str, int]:
        """Its project's page shows it: a write of it makes that page's fragments stale."""
        return ("projects.project", self.project_id)


class ParticipationRole(models.TextChoices):
    # IATI OrganisationRole codes
    FUNDING = "1", _("Funding")
    ACCOUNTABLE = "2", _("Accountable")
    EXTENDING = "3", _("Extending")
    IMPLEMENTING = "4", _("Implementing")


class Participation(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(_("role"), max_length=1, choices=ParticipationRole.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "organisation", "role"], name="participation_unique")]
        ordering = ["role", "id"]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"

    def stamp_owner(self) -> tuple[str, int]:
        """Its project's page shows it: a write of it makes that page's fragments stale."""
        return ("projects.project", self.project_id)


def document_path(instance, filename: str) -> str:
    """The upload path of the removed ProjectDocument (migration 0001 names it; kept for that)."""
    return f"projects/{instance.project_id}/{instance.sha256[:16]}-{filename}"


# What Serai itself writes on a timeline row: a kind and its parameters, never a sentence, so the
# note is made when it is read, in the reader's language (as notifications are: workspace.kinds).
# Each parameter is translated text ({"values": {lang: text}, "source": lang}).
TRANSITION_NOTES = {
    "endorsed_by_decision": _("Endorsed by decision %(decision)s"),
}


class ProjectTransition(models.Model):
    """The project's timeline: one row per fired workflow transition."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("project")
    )
    name = models.CharField(max_length=40)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_label = models.CharField(_("who"), max_length=200)
    at = models.DateTimeField(_("when"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)  # a person's own words, in their language
    note_kind = models.CharField(_("note"), max_length=40, blank=True)  # a key of TRANSITION_NOTES
    note_params = models.JSONField(_("note parameters"), default=dict, blank=True)
    meeting = models.ForeignKey(
        "governance.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("meeting"),
    )

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"

    @property
    def note(self) -> str:
        """Serai's own note on this row in the active language ('' if there is none)."""
        template = TRANSITION_NOTES.get(self.note_kind)
        if template is None:
            return ""
        values = {key: TranslatedText.coerce(value).get() for key, value in (self.note_params or {}).items()}
        try:
            return str(template) % values
        except (KeyError, ValueError, TypeError):  # a parameter went missing: the bare note, not a crash
            return str(template).split("%(")[0].strip()

    def stamp_owner(self) -> tuple[str, int]:
        """Its project's page shows it: a write of it makes that page's fragments stale."""
        return ("projects.project", self.project_id)


APPRAISAL_CRITERIA = [
    ("relevance", _("Relevance to the Forum's priorities")),
    ("feasibility", _("Feasibility and readiness")),
    ("multilateral_value", _("Value for several member states")),
    ("helix", _("Research, industry, government and academia involved")),
    ("sustainability", _("Sustainability")),
    ("evidence", _("Evidence of need or opportunity")),
]

# What the scores mean: one word per score, and per criterion what a 1, a 3 and a 5 look like
# (2 and 4 lie between). Shown to appraisers beside the form and beside the scores.
APPRAISAL_SCALE = {1: _("Poor"), 2: _("Weak"), 3: _("Adequate"), 4: _("Good"), 5: _("Excellent")}
APPRAISAL_RUBRIC = {
    "relevance": {
        1: _("Outside the Forum's priority areas and cooperation fields."),
        3: _("Touches a priority area, but the link to the Forum's work plan is indirect."),
        5: _("Directly serves a priority area of the current work plan, and says how."),
    },
    "feasibility": {
        1: _("No credible plan, budget or partners; not ready to start."),
        3: _("A plan and a budget exist, but key partners, funds or approvals are still open."),
        5: _("Partners, budget, schedule and approvals are in place; ready to start."),
    },
    "multilateral_value": {
        1: _("Benefits one country only, with no wider use."),
        3: _("Benefits two countries, or could be repeated elsewhere with effort."),
        5: _("Benefits several member states and builds capacity they share."),
    },
    "helix": {
        1: _("One kind of actor only."),
        3: _("Two kinds of actor (for example government and academia) work together."),
        5: _("Research, industry, government and academia all take part, with clear roles."),
    },
    "sustainability": {
        1: _("Ends with the funding; nobody takes the results over."),
        3: _("Some results last, but who keeps them running is unclear."),
        5: _("Owners, money and skills are in place to keep the results going after the project."),
    },
    "evidence": {
        1: _("No evidence of need or opportunity."),
        3: _("Some evidence, but general rather than specific to the countries involved."),
        5: _("Specific, current evidence (data, studies, trade figures) shows the need or opportunity."),
    },
}


class Appraisal(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="appraisals")
    appraiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scores = models.JSONField(_("scores"), default=dict)  # criterion → 1..5
    comment = models.TextField(_("comment"), blank=True)
    completed = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    @property
    def total(self) -> int:
        return sum(int(v) for v in self.scores.values())

    def is_complete(self) -> bool:
        keys = {k for k, _l in APPRAISAL_CRITERIA}
        return self.completed and set(self.scores) == keys and all(1 <= int(v) <= 5 for v in self.scores.values())

    def __str__(self) -> str:
        return str(_("Appraisal of %(project)s") % {"project": self.project.code})

    def stamp_owner(self) -> tuple[str, int]:
        """Its project's page shows it: a write of it makes that page's fragments stale."""
        return ("projects.project", self.project_id)


class ResultKind(models.TextChoices):
    OUTPUT = "output", _("Output")
    OUTCOME = "outcome", _("Outcome")
    IMPACT = "impact", _("Impact")


class Result(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="results")
    kind = models.CharField(_("level"), max_length=10, choices=ResultKind.choices)
    title = TranslatableField(_("title"), max_length=500)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return str(self.title)

    def stamp_owner(self) -> tuple[str, int]:
        """Its project's page shows it: a write of it makes that page's fragments stale."""
        return ("projects.project", self.project_id)


class Aggregation(models.TextChoices):
    SUM = "sum", _("Sum of the periods")
    LAST = "last", _("Last reported value")
    AVERAGE = "avg", _("Average of the periods")
    MAX = "max", _("Highest value")


class Indicator(models.Model):
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="indicators")
    title = TranslatableField(_("title"), max_length=500)
    unit = models.CharField(_("unit"), max_length=60)
    baseline = models.DecimalField(_("baseline"), max_digits=18, decimal_places=4, default=0)
    target = models.DecimalField(_("target"), max_digits=18, decimal_places=4)
    aggregation = models.CharField(_("aggregation"), max_length=4, choices=Aggregation.choices, default=Aggregation.SUM)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.title)

    def stamp_owner(self) -> tuple[str, int]:
        """Its project's page shows it: a write of it makes that page's fragments stale."""
        return (
            "projects.project",
            Result.objects.filter(pk=self.result_id).values_list("project_id", flat=True).first(),
        )


class ReportingPeriod(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="periods")
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))

    class Meta:
        ordering = ["start"]
        constraints = [models.UniqueConstraint(fields=["project", "start"], name="period_unique_start")]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"

    def stamp_owner(self) -> tuple[str, int]:
        """Its project's page shows it: a write of it makes that page's fragments stale."""
        return ("projects.project", self.project_id)


class UpdateStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class IndicatorUpdate(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="updates")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="updates")
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    narrative = models.TextField(_("narrative"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=UpdateStatus.choices, default=UpdateStatus.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["period__start", "id"]
        constraints = [models.UniqueConstraint(fields=["indicator", "period"], name="one_update_per_period")]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.period}"

    def stamp_owner(self) -> tuple[str, int]:
        """Its project's page shows it: a write of it makes that page's fragments stale."""
        return (
            "projects.project",
            Result.objects.filter(indicators__pk=self.indicator_id).values_list("project_id", flat=True).first(),
        )
