"""What the two-server test does inside the installation, run as a separate process with the servers'
environment (their database, their cache):  python -m tests.multiserver.scenario COMMAND [ARGS]

* ``setup``: reference data, a public project, one user per role (passwords), printed as JSON;
* ``poison-project-page PK TEXT``: the anonymous English page of project PK as cached in the store
  (``found`` is false when there is none) gets TEXT at the top — a page served with TEXT came from the
  shared store, not from a fresh render;
* ``pending-notifications N``: N notifications to N users with e-mail, left pending (no sender ran);
* ``notification-states``: how many notifications are in each e-mail state, and their attempts.
"""

from __future__ import annotations

import json
import os
import sys
from decimal import Decimal

PASSWORD = "Multi-Server-Pass-19"


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "serai.settings")
    import django

    django.setup()


def setup() -> dict:
    from serai.access.models import Role
    from serai.access.operations import create_user, grant_role
    from serai.core.audit import SystemActor
    from serai.core.i18n import TranslatedText
    from serai.orgs.operations import create_organisation
    from serai.projects import operations as projects
    from serai.projects.models import Project
    from serai.reference.models import Body, CooperationField, MemberState
    from serai.reference.operations import load_reference

    system = SystemActor("two-server test")
    load_reference(system, None)
    kz = MemberState.objects.get(iso2="KZ")
    kr = MemberState.objects.get(iso2="KR")
    economy = Body.objects.get(code="economy")
    partner = create_organisation(
        system, {"name": TranslatedText({"en": "Steppe Institute"}), "helix": "research", "member_state": kz}
    )
    scopes = {
        "secretariat": (Role.SECRETARIAT, None),
        "focal_point": (Role.FOCAL_POINT, kz),
        "member": (Role.SUBCOMMITTEE_MEMBER, economy),
        "editor": (Role.ORG_EDITOR, partner),
        "nobody": (None, None),
        "target": (None, None),  # the lockout test's user name, signed in by no other test
    }
    users = {}
    for name, (role, scope) in scopes.items():
        user = create_user(system, f"ms-{name}", password=PASSWORD, email=f"ms-{name}@example.org")
        if role:
            grant_role(system, user, role, scope)
        users[name] = user.username
    project = projects.create_project(
        system,
        {
            "title": TranslatedText({"en": "Solar pumps for the Aral basin"}, source="en"),
            "summary": TranslatedText({"en": "Irrigation by solar pumps."}),
            "subcommittee": economy,
        },
        countries=[kr, kz],
        sectors=[projects.SectorShare(field=CooperationField.objects.get(code="energy"), percentage=Decimal(100))],
    )
    # Straight to a public status (the workflow is not under test here): every role and the public see it.
    Project.objects.filter(pk=project.pk).update(status="endorsed")
    return {"project": project.pk, "title": "Solar pumps for the Aral basin", "users": users, "password": PASSWORD}


def poison_project_page(pk: int, text: str) -> dict:
    from django.core.cache import cache
    from django.test import RequestFactory
    from django.utils import translation

    from serai.core import pagecache

    request = RequestFactory().get(f"/en/projects/{pk}/")
    with translation.override("en"):
        key = pagecache.public_key(request, f"project-{pk}")
    stored = cache.get(key)
    if stored is None:
        return {"found": False}
    stored = {**stored, "body": f"<p>{text}</p>" + stored["body"]}
    cache.set(key, stored, pagecache.TIMEOUT)
    return {"found": True}


def pending_notifications(count: int) -> dict:
    from serai.access.models import Role
    from serai.access.operations import create_user
    from serai.core.audit import SystemActor
    from serai.workspace import delivery, operations

    system = SystemActor("two-server test")
    recipients = [
        create_user(system, f"ms-reader-{i}", password=None, email=f"reader-{i}@example.org") for i in range(count)
    ]
    actor = next(u for u in _users_with(Role.SECRETARIAT))
    delivery.schedule = lambda ids: None  # leave them pending: the senders under test send them
    rows = operations.notify(
        actor, "project.moved", recipients, params={"title": "Solar pumps", "code": "P-1", "status": "endorsed"}
    )
    return {"pending": len(rows)}


def _users_with(role):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(serai_roles__role=role)


def notification_states() -> dict:
    from django.db.models import Count

    from serai.workspace.models import Notification

    states = dict(Notification.objects.values_list("email_state").annotate(n=Count("pk")).order_by())
    attempts = sorted(set(Notification.objects.values_list("email_attempts", flat=True)))
    return {"states": states, "attempts": attempts}


def main(argv: list[str]) -> None:
    _setup_django()
    command, args = argv[0], argv[1:]
    if command == "setup":
        result = setup()
    elif command == "poison-project-page":
        result = poison_project_page(int(args[0]), args[1])
    elif command == "pending-notifications":
        result = pending_notifications(int(args[0]))
    elif command == "notification-states":
        result = notification_states()
    else:
        raise SystemExit(f"unknown command: {command}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
