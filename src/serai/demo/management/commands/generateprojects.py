from django.core.management.base import BaseCommand, CommandError

from serai.demo.projects import generate


class Command(BaseCommand):
    help = "Generate N benchmark projects (flagged as demo) with results, participations and transitions."

    def add_arguments(self, parser):
        parser.add_argument("n", type=int)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, n: int, seed: int, **options):
        from django.conf import settings

        if settings.PRODUCTION:
            raise CommandError("generated benchmark data is refused in production")
        self.stdout.write(f"generated {generate(n, seed=seed)} projects")
