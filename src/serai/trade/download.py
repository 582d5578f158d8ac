"""Fetch a BACI release from CEPII when a network exists (``serai trade download``).

The file is streamed to ``<dest>/<name>.part`` and renamed once complete and checked to be a zip,
so an interrupted download never looks like a finished one. The base URL can be pointed elsewhere
(``--base-url`` or ``SERAI_BACI_URL``), for a mirror inside a closed network — and for the tests,
which serve a file from a local HTTP server.
"""

from __future__ import annotations

import hashlib
import os
import re
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from pathlib import Path

from .errors import TradeError

DEFAULT_BASE_URL = "https://www.cepii.fr/DATA_DOWNLOAD/baci/data/"
RELEASE = re.compile(r"^V\d{6}[a-z]?$")
HS = re.compile(r"^HS(92|96|02|07|12|17|22)$")


def release_name(release: str, hs: str) -> str:
    release, hs = release.strip(), hs.strip().upper()
    if not RELEASE.match(release):
        raise TradeError(f"release {release!r} is not like V202501")
    if not HS.match(hs):
        raise TradeError(f"HS edition {hs!r} is not one of HS92, HS96, HS02, HS07, HS12, HS17, HS22")
    return f"BACI_{hs}_{release}.zip"


def download(
    release: str,
    hs: str,
    dest: Path | str,
    *,
    base_url: str | None = None,
    timeout: float = 60.0,
    progress: Callable[[str, int, int], None] | None = None,
) -> tuple[Path, str]:
    """Download ``BACI_<hs>_<release>.zip`` into ``dest``; returns the path and its SHA-256."""
    name = release_name(release, hs)
    base = base_url or os.environ.get("SERAI_BACI_URL") or DEFAULT_BASE_URL
    url = base.rstrip("/") + "/" + name
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    part, final = dest / f"{name}.part", dest / name
    digest = hashlib.sha256()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, open(part, "wb") as out:
            total = int(response.headers.get("Content-Length") or 0)
            done = 0
            while chunk := response.read(1 << 20):
                out.write(chunk)
                digest.update(chunk)
                done += len(chunk)
                if progress:
                    progress(name, done, total)
    except urllib.error.HTTPError as exc:
        part.unlink(missing_ok=True)
        raise TradeError(f"{url}: the server answered {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        part.unlink(missing_ok=True)
        raise TradeError(
            f"{url}: cannot download ({getattr(exc, 'reason', exc)}); without a network, copy the "
            f"zip here by hand and run `serai trade load`"
        ) from exc
    if not zipfile.is_zipfile(part):
        part.unlink(missing_ok=True)
        raise TradeError(f"{url}: what came back is not a zip file")
    os.replace(part, final)
    return final, digest.hexdigest()
