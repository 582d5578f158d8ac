"""Map geometry from npm's ``world-atlas`` (Natural Earth), installed at set-up time, drawn as
server-side SVG: no tiles, no CDN, no script needed to see the map.

TopoJSON is decoded here (quantised, delta-encoded arcs shared between neighbours).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from django.conf import settings


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


def svg_paths(ids: set[str], *, width: int = 760, pad_deg: float = 3.0) -> dict:
    """SVG path data for the countries in ``ids`` and, in the background, their neighbours within
    the same box (equirectangular, scaled by the cosine of the middle latitude). Computed once per
    geometry file and set of countries; callers must not change what they get."""
    path = atlas_path()
    if not path.exists():
        return {"available": False, "width": width, "height": 0, "focus": [], "context": []}
    return _svg_paths(str(path), path.stat().st_mtime, frozenset(ids), width, pad_deg)


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
