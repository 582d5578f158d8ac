"""Import and load reports: every import leaves a JSON report behind in ``var/reports/``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder


def reports_dir() -> Path:
    path = Path(settings.VAR_DIR) / "reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_report(name: str, payload: dict[str, Any]) -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = reports_dir() / f"{name}-{stamp}.json"
    path.write_text(json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
    return path
