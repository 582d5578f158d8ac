"""Static files that come from package registries rather than from this repository: plotly.js
is npm's basic bundle (``plotly.js-basic-dist-min``, fetched at set-up time into ``var/vendor``)
or, when that is absent, the full bundle inside the ``plotly`` Python package (as htmx ships
inside django-htmx). Either is served as ``vendor/plotly.min.js``. cytoscape.js (npm ``cytoscape``,
fetched the same way) is served as ``vendor/cytoscape.min.js`` for the network graph page."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage


def _package_file(package: str, *parts: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0], *parts)


def _plotly() -> Path | None:
    basic = Path(settings.SERAI_PLOTLY_JS)
    return basic if basic.exists() else _package_file("plotly", "package_data", "plotly.min.js")


def assets() -> dict[str, Path]:
    found = {"vendor/plotly.min.js": _plotly(), "vendor/cytoscape.min.js": Path(settings.SERAI_CYTOSCAPE_JS)}
    return {name: path for name, path in found.items() if path is not None and path.exists()}


class PackageAssetsFinder(BaseFinder):
    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        # Like Django's own finders: the path when found, else an empty list (``finders.find``
        # wraps any other non-list answer, such as None, into its list of matches).
        if kwargs:  # RemovedInDjango61Warning: ``all=`` instead of ``find_all=``
            find_all = self._check_deprecated_find_param(find_all=find_all, **kwargs)
        match = assets().get(path)
        if not match:
            return []
        return [str(match)] if find_all else str(match)

    def list(self, ignore_patterns):
        for name, path in assets().items():
            storage = _OneFile(path, Path(name).name)
            storage.prefix = str(Path(name).parent)
            yield Path(name).name, storage


class _OneFile(FileSystemStorage):
    """One file offered under another name (``plotly-basic.min.js`` as ``plotly.min.js``)."""

    def __init__(self, real: Path, alias: str):
        super().__init__(location=str(real.parent))
        self.real, self.alias = real, alias

    def path(self, name):
        return str(self.real) if name == self.alias else super().path(name)
