"""Static files that come from installed packages rather than from this repository:
plotly.js ships inside the ``plotly`` Python package (as htmx ships inside django-htmx)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage


def _package_file(package: str, *parts: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0], *parts)


def assets() -> dict[str, Path]:
    found = {"vendor/plotly.min.js": _package_file("plotly", "package_data", "plotly.min.js")}
    return {name: path for name, path in found.items() if path is not None and path.exists()}


class PackageAssetsFinder(BaseFinder):
    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        match = assets().get(path)
        if find_all:
            return [str(match)] if match else []
        return str(match) if match else None

    def list(self, ignore_patterns):
        for name, path in assets().items():
            storage = FileSystemStorage(location=str(path.parent))
            storage.prefix = str(Path(name).parent)
            yield path.name, storage
