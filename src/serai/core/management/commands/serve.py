from __future__ import annotations

import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Serai: Django's development server in development, gunicorn in production."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (production)")
        parser.add_argument("--reload", action="store_true", help="reload on code changes (development)")

    def handle(self, *args, host: str, port: int, workers: int, reload: bool, **options):
        if settings.PRODUCTION:
            from gunicorn.app.wsgiapp import run

            sys.argv = [
                "gunicorn",
                "serai.wsgi:application",
                "--bind",
                f"{host}:{port}",
                "--workers",
                str(workers),
                "--access-logfile",
                "-",
            ]
            run()
            return
        call_command("runserver", f"{host}:{port}", use_reloader=reload, use_threading=True)
