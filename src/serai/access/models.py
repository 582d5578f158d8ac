"""Scoped roles. Who may do what is decided in :mod:`serai.access.permissions` alone."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat staff")
    FOCAL_POINT = "focal_point", _("National focal point")
    SUBCOMMITTEE_MEMBER = "subcommittee_member", _("Subcommittee member")
    ORG_EDITOR = "org_editor", _("Partner organisation editor")


# The kinds of body a subcommittee member's role may be scoped to (``reference.BodyKind`` values;
# reference sits above access).
SCOPED_BODY_KINDS = ("subcommittee", "working_group")

# Which scope each role needs: exactly that one of the three foreign keys is set.
ROLE_SCOPE = {
    Role.SECRETARIAT: None,
    Role.FOCAL_POINT: "member_state",
    Role.SUBCOMMITTEE_MEMBER: "body",
    Role.ORG_EDITOR: "organisation",
}


class RoleAssignment(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="serai_roles")
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    member_state = models.ForeignKey(
        "reference.MemberState", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("member state")
    )
    body = models.ForeignKey(
        "reference.Body",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        verbose_name=_("subcommittee"),
        limit_choices_to={"kind__in": list(SCOPED_BODY_KINDS)},
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("organisation")
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                name="role_scope_matches",
                condition=(
                    models.Q(
                        role="secretariat", member_state__isnull=True, body__isnull=True, organisation__isnull=True
                    )
                    | models.Q(
                        role="focal_point", member_state__isnull=False, body__isnull=True, organisation__isnull=True
                    )
                    | models.Q(
                        role="subcommittee_member",
                        member_state__isnull=True,
                        body__isnull=False,
                        organisation__isnull=True,
                    )
                    | models.Q(
                        role="org_editor", member_state__isnull=True, body__isnull=True, organisation__isnull=False
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        scope = self.member_state or self.body or self.organisation
        return f"{self.user} · {self.get_role_display()}" + (f" · {scope}" if scope else "")

    def clean(self) -> None:
        wanted = ROLE_SCOPE.get(self.role)
        present = [n for n in ("member_state", "body", "organisation") if getattr(self, f"{n}_id")]
        if wanted is None and present:
            raise ValidationError(_("Secretariat staff have no scope."))
        if wanted is not None and present != [wanted]:
            raise ValidationError({wanted: _("This role needs exactly this scope.")})
        if self.role == Role.SUBCOMMITTEE_MEMBER and self.body_id and self.body.kind not in SCOPED_BODY_KINDS:
            raise ValidationError({"body": _("Choose a subcommittee or working group.")})
