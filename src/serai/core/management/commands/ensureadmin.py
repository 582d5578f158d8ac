from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Create the local demo administrator (once) and print its login. "
        "The password is generated and kept in var/demo-admin.txt; refused in production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username: str, **options):
        if settings.PRODUCTION:
            raise CommandError("ensureadmin is for the local demo; in production use `serai createsuperuser`")
        User = get_user_model()
        path = settings.VAR_DIR / "demo-admin.txt"
        user = User.objects.filter(username=username).first()
        password = path.read_text().strip() if path.exists() else ""
        if user is None or not password or not user.check_password(password):
            password = secrets.token_urlsafe(12)
            if user is None:
                user = User.objects.create_superuser(username, f"{username}@serai.invalid", password)
            else:
                user.set_password(password)
                user.is_superuser = user.is_staff = user.is_active = True
                user.save()
            path.write_text(password + "\n")
            path.chmod(0o600)
        self.stdout.write(self.style.SUCCESS(f"Demo admin login — user: {username}  password: {password}"))
        if settings.SERAI_REQUIRE_2FA:
            self.stdout.write(
                "  At the first sign-in, set up two-factor authentication with any TOTP app "
                "(the page shows a QR code and the key; SERAI_REQUIRE_2FA=0 turns the step off)."
            )
