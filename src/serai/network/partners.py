"""The consortium builder's write: chosen partners join a project (through the projects' audited
participation operation; this module adds no write path of its own)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from serai.access import permissions


# --- the consortium builder: chosen partners join a project ----------------------------------------
def add_partners(actor: Any, project: Any, organisations: Iterable[int], role: str) -> list[Any]:
    """Add the partners chosen on the consortium page to ``project`` as participants in ``role``,
    all or none: each through the projects' own audited operation
    (``serai.projects.operations.add_participation``, rule ``project.edit``, one audit entry each)."""
    from django.db import transaction

    from serai.orgs.models import Organisation
    from serai.projects import operations as project_operations

    permissions.require(actor, "project.edit", project)
    ids = list(dict.fromkeys(int(o) for o in organisations))
    if not ids:
        raise ValidationError({"organisations": _("Choose at least one partner.")})
    found = Organisation.objects.in_bulk(ids)
    if missing := [str(o) for o in ids if o not in found]:
        raise ValidationError({"organisations": _("No such organisation: %(ids)s.") % {"ids": ", ".join(missing)}})
    already = project.participations.filter(organisation_id__in=ids, role=role).values_list("organisation_id", flat=True)
    if already := sorted(set(already)):
        raise ValidationError({"organisations": _("Already taking part in this role: %(names)s.")
                               % {"names": ", ".join(str(found[o]) for o in already)}})
    with transaction.atomic():
        return [project_operations.add_participation(actor, project, found[o], role) for o in ids]
