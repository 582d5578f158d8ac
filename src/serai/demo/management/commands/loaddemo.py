from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from serai.core.audit import SystemActor
from serai.demo.matchmaking import load_demo_matchmaking
from serai.demo.network import load_demo_network
from serai.demo.projects import load_demo_projects
from serai.demo.registry import load_demo


class Command(BaseCommand):
    help = "Add demo content (labelled as demo) and demo logins for each role. Refused in production."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="serai-demo", help="password of the demo logins")

    def handle(self, *args, password: str, **options):
        if settings.PRODUCTION:
            raise CommandError("loaddemo adds made-up content; it is refused in production")
        try:
            created = load_demo(SystemActor("loaddemo"), password)
            created["projects"] = load_demo_projects(SystemActor("loaddemo"))
            created["network profiles"] = load_demo_network(SystemActor("loaddemo"))
            created["matchmaking participants"] = load_demo_matchmaking(SystemActor("loaddemo"))
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("demo content: " + ", ".join(f"{k} +{v}" for k, v in created.items()))
        self.stdout.write(
            f"demo logins (password “{password}”): staff (Secretariat), fp-kz and fp-uz (focal points), "
            "econ (Economy Subcommittee), nu-editor (Nazarbayev University editor)"
        )
