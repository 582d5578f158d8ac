"""The ``serai`` command: Django's management commands with Serai's settings.

``serai serve``, ``serai migrate``, ``serai loadreference``, ``serai loaddemo``,
``serai ensureadmin``, ``serai check --deploy`` … ``serai help`` lists them all.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "serai.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else ["serai", *argv])
    args[0] = "serai"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
