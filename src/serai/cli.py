"""The ``serai`` command: Django's management commands with Serai's settings.

``serai serve``, ``serai migrate``, ``serai loadreference``, ``serai loaddemo``,
``serai ensureadmin``, ``serai check --deploy`` … ``serai help`` lists them all.
``serai trade …`` is the trade engine's own command line (serai.trade.cli), without Django.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args_in = list(sys.argv[1:] if argv is None else argv)
    if args_in[:1] == ["trade"]:  # the trade engine is a plain library: no Django for it
        from serai.trade.cli import main as trade_main

        sys.exit(trade_main(args_in[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "serai.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else ["serai", *argv])
    args[0] = "serai"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
