"""Map geometry from npm's ``world-atlas`` (Natural Earth), installed at set-up time, drawn as
server-side SVG: no tiles, no CDN, no script needed to see the map.

TopoJSON is decoded here (quantised, delta-encoded arcs shared between neighbours).

**The shapes are a static asset.** A page's map holds no outlines: each country is an SVG
``<use>`` of a shape in one SVG document (:func:`shapes_document`, served by :func:`shapes_view`
at ``/map/<key>.svg``) and the page gives it its colour, title and label per request. The
outlines (about 200 KB, the same for every page, viewer and language) are drawn once per process
and downloaded once per browser: the address names the atlas file's SHA-256 and the set of
countries, so the response is cached for a year (``immutable``); a new atlas file or a new set of
countries is a new address. A view, not ``collectstatic``: the document depends on the member
states in the database (which countries are in focus, and so the box around them) as well as the
atlas installed beside the code, and a view needs no build step on any server. The address is
signed (``salted_hmac``), so the view only ever draws a set of countries a page asked for.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac


@dataclass
class Shape:
    id: str  # ISO 3166 numeric, as text ("398")
    name: str
    polygons: list[list[list[tuple[float, float]]]]  # polygons → rings → (lon, lat)


def atlas_path() -> Path:
    return Path(settings.SERAI_WORLD_ATLAS)


@lru_cache(maxsize=2)
def _load(path: str, mtime: float) -> list[Shape]:
    topo = json.loads(Path(path).read_text("utf-8"))
    scale, translate = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
        arcs.append(points)

    def ring(indexes: list[int]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for i in indexes:
            pts = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(pts if not out else pts[1:])
        return out

    shapes = []
    for geom in topo["objects"]["countries"]["geometries"]:
        if geom.get("type") == "Polygon":
            polys = [[ring(r) for r in geom["arcs"]]]
        elif geom.get("type") == "MultiPolygon":
            polys = [[ring(r) for r in poly] for poly in geom["arcs"]]
        else:
            continue
        shapes.append(Shape(str(geom.get("id", "")), geom.get("properties", {}).get("name", ""), polys))
    return shapes


def shapes() -> list[Shape]:
    """All countries, or [] when the geometry is not installed (the page says so)."""
    path = atlas_path()
    if not path.exists():
        return []
    return _load(str(path), path.stat().st_mtime)


WIDTH, PAD_DEG = 760, 3.0


def svg_paths(ids: set[str], *, width: int = WIDTH, pad_deg: float = PAD_DEG) -> dict:
    """SVG path data for the countries in ``ids`` and, in the background, their neighbours within
    the same box (equirectangular, scaled by the cosine of the middle latitude). Computed once per
    geometry file and set of countries; callers must not change what they get. With the default
    size, ``href`` is the address of the same shapes as a cached SVG document (``#context`` for
    the neighbours, ``#c<id>`` for each country in ``ids``)."""
    path = atlas_path()
    if not path.exists():
        return {"available": False, "width": width, "height": 0, "focus": [], "context": []}
    stat = path.stat()
    drawn = _svg_paths(str(path), stat.st_mtime, frozenset(ids), width, pad_deg)
    if width != WIDTH or pad_deg != PAD_DEG or not drawn["focus"]:
        return drawn
    return drawn | {"href": shapes_url(ids, _digest(str(path), stat.st_mtime, stat.st_size))}


@lru_cache(maxsize=8)
def _svg_paths(atlas: str, mtime: float, ids: frozenset[str], width: int, pad_deg: float) -> dict:
    all_shapes = _load(atlas, mtime)
    focus = [s for s in all_shapes if s.id in ids]
    if not focus:
        return {"available": bool(all_shapes), "width": width, "height": 0, "focus": [], "context": []}
    lons = [x for s in focus for poly in s.polygons for x, _ in poly[0]]
    lats = [y for s in focus for poly in s.polygons for _, y in poly[0]]
    west, east = min(lons) - pad_deg, max(lons) + pad_deg
    south, north = min(lats) - pad_deg, max(lats) + pad_deg
    k = math.cos(math.radians((north + south) / 2))
    scale = width / ((east - west) * k)
    height = int((north - south) * scale)

    def outline(shape: Shape) -> str:
        parts = []
        for poly in shape.polygons:
            for r in poly:
                if not any(west <= x <= east and south <= y <= north for x, y in r):
                    continue
                pts = " ".join(f"{(x - west) * k * scale:.1f},{(north - y) * scale:.1f}" for x, y in r)
                parts.append(f"M{pts}Z")
        return "".join(parts)

    def project(x: float, y: float) -> tuple[float, float]:
        return (x - west) * k * scale, (north - y) * scale

    def label_at(shape: Shape) -> tuple[float, float]:
        """Where the name goes: the point of the largest polygon farthest inside its outline."""
        rings = max(
            ([[project(x, y) for x, y in r] for r in poly] for poly in shape.polygons), key=lambda rs: _area(rs[0])
        )
        x, y = label_point(rings)
        return round(x, 1), round(y, 1)

    context = [{"id": s.id, "name": s.name, "d": d} for s in all_shapes if s.id not in ids and (d := outline(s))]
    return {
        "available": True,
        "width": width,
        "height": height,
        "context": context,
        "focus": [{"id": s.id, "name": s.name, "d": outline(s), "label_xy": label_at(s)} for s in focus],
    }


def _area(ring: list[tuple[float, float]]) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]))) / 2


def _edges(rings: list[list[tuple[float, float]]], most: int = 400) -> np.ndarray:
    """The rings' edges as an (n, 4) array x0, y0, x1, y1, each ring thinned to about ``most``
    points between them (plenty to place a label)."""
    total = sum(len(r) for r in rings)
    step = max(1, total // most)
    parts = []
    for ring in rings:
        pts = np.asarray(ring[::step] if len(ring) > 3 * step else ring, dtype=float)
        parts.append(np.hstack([pts, np.roll(pts, -1, axis=0)]))
    return np.vstack(parts)


def label_point(rings: list[list[tuple[float, float]]], steps: int = 32) -> tuple[float, float]:
    """A point well inside a polygon (outer ring, then holes) for its label: on a grid over the
    bounding box, the inside point farthest from every edge, refined once on a finer grid around
    it. A concave country (Uzbekistan, Kyrgyzstan) gets a point inside it, which its centroid
    is not always."""
    e = _edges(rings)
    x0, y0, x1, y1 = e[:, 0], e[:, 1], e[:, 2], e[:, 3]
    dx, dy = x1 - x0, y1 - y0
    length2 = np.where(dx * dx + dy * dy == 0, 1.0, dx * dx + dy * dy)
    xs, ys = e[:, 0], e[:, 1]
    box = (xs.min(), ys.min(), xs.max(), ys.max())
    best, best_d = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2), -1.0
    for _ in range(2):
        gx, gy = np.meshgrid(np.linspace(box[0], box[2], steps + 1), np.linspace(box[1], box[3], steps + 1))
        px, py = gx.ravel()[:, None], gy.ravel()[:, None]
        # even-odd rule: crossings of a ray to the right
        with np.errstate(divide="ignore", invalid="ignore"):
            crosses = ((y0 > py) != (y1 > py)) & (px < x0 + (py - y0) * dx / np.where(dy == 0, 1.0, dy))
        inside = crosses.sum(axis=1) % 2 == 1
        t = np.clip(((px - x0) * dx + (py - y0) * dy) / length2, 0.0, 1.0)
        dist = np.hypot(px - x0 - t * dx, py - y0 - t * dy).min(axis=1)
        dist = np.where(inside, dist, -1.0)
        i = int(dist.argmax())
        if dist[i] > best_d:
            best, best_d = (float(px[i, 0]), float(py[i, 0])), float(dist[i])
        cell_x, cell_y = (box[2] - box[0]) / steps, (box[3] - box[1]) / steps
        box = (best[0] - cell_x, best[1] - cell_y, best[0] + cell_x, best[1] + cell_y)
    return best


# --- the shapes as a cached static asset ------------------------------------------------------
FORMAT = "1"  # bump when the document's drawing changes: every address changes with it
_KEY = re.compile(r"(?P<digest>[0-9a-f]{16})-(?P<ids>[0-9]{1,3}(?:_[0-9]{1,3}){0,31})-(?P<mac>[0-9a-f]{16})")
MAX_AGE = 365 * 24 * 3600


@lru_cache(maxsize=2)
def _digest(atlas: str, mtime: float, size: int) -> str:
    """The SHA-256 of the atlas file (read once per file version)."""
    return hashlib.sha256(Path(atlas).read_bytes()).hexdigest()


def _mac(digest: str, ids: str) -> str:
    return salted_hmac("serai.core.geo.shapes", f"{FORMAT}|{digest}|{ids}").hexdigest()[:16]


def shapes_url(ids: set[str] | frozenset[str], digest: str) -> str:
    """The address of the shapes document of ``ids`` drawn from the atlas with SHA-256 ``digest``."""
    joined = "_".join(sorted(ids, key=lambda i: (len(i), i)))
    return reverse("map_shapes", args=[f"{digest[:16]}-{joined}-{_mac(digest[:16], joined)}"])


@lru_cache(maxsize=4)
def _document(atlas: str, mtime: float, ids: frozenset[str]) -> tuple[bytes, bytes, str]:
    """The shapes document (plain and gzipped) and its ETag."""
    drawn = _svg_paths(atlas, mtime, ids, WIDTH, PAD_DEG)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {drawn["width"]} {drawn["height"]}">',
        '<g id="context">',
        *(f'<path d="{c["d"]}"><title>{escape(c["name"])}</title></path>' for c in drawn["context"]),
        "</g>",
        *(f'<path id="c{escape(c["id"])}" d="{c["d"]}"/>' for c in drawn["focus"]),
        "</svg>\n",
    ]
    body = "".join(parts).encode()
    return body, gzip.compress(body, 9, mtime=0), '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def shapes_document(ids: set[str] | frozenset[str]) -> bytes | None:
    """The SVG document the map's ``<use>`` elements point into, or None without the atlas."""
    path = atlas_path()
    if not path.exists():
        return None
    return _document(str(path), path.stat().st_mtime, frozenset(ids))[0]


def shapes_view(request, key: str):
    """``/map/<key>.svg``: the shapes document, cached by browsers and proxies for a year (the
    key names the atlas file's hash and the countries). A key this server did not sign is 404. A
    signed key of an earlier atlas file (a page cached before the atlas was updated) gets today's
    shapes, cached for ten minutes only."""
    found = _KEY.fullmatch(key)
    path = atlas_path()
    if found is None or not path.exists():
        raise Http404("no such map")
    if not constant_time_compare(found["mac"], _mac(found["digest"], found["ids"])):
        raise Http404("no such map")
    stat = path.stat()
    current = found["digest"] == _digest(str(path), stat.st_mtime, stat.st_size)[:16]
    body, zipped, etag = _document(str(path), stat.st_mtime, frozenset(found["ids"].split("_")))
    headers = {
        "Cache-Control": f"public, max-age={MAX_AGE}, immutable" if current else "public, max-age=600",
        "ETag": etag,
        "Vary": "Accept-Encoding",
    }
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified(headers=headers)
        return response
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(zipped, content_type="image/svg+xml; charset=utf-8", headers=headers)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(body, content_type="image/svg+xml; charset=utf-8", headers=headers)
    return response
