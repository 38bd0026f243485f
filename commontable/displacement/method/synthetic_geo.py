"""Synthetic tract shapes and points, for tests, demos and benchmarks. No real geography here.

- `synthetic_tracts(n)`: n tracts that tile a box (default: around the 7-county Twin Cities region)
  exactly: no gaps, no overlaps, every border shared vertex for vertex by the two tracts on either
  side. The layout is brick-like (rows of tracts whose columns do not line up, so most corners are
  T-junctions, as with real tracts; some are 4-way). With `wiggle`, every interior border gets extra
  vertices (a slow meander plus a few metres of digitising noise), identical on both sides, so
  `coverage_simplify` has real work and the vertex counts look like TIGER/Line's.
- `synthetic_national(n_tracts)`: a jittered grid of about national size, built with whole-array
  operations, for the point-lookup benchmark.
- `synthetic_points(n, bbox, seed)`: uniform random points.

GEOIDs are 11 characters and invented: region tracts use the 7 counties' FIPS codes with tract codes
`97nnnn`; national ones use state code 99, which no state has.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import shapely

TWIN_CITIES_BBOX = (-93.77, 44.47, -92.73, 45.41)
CONUS_BBOX = (-124.7, 24.5, -66.9, 49.4)
# Anoka, Carver, Dakota, Hennepin, Ramsey, Scott, Washington, roughly west to east.
COUNTY_FIPS = ("27019", "27139", "27053", "27003", "27037", "27123", "27163")

NOISE_DEG = 3e-5  # ≈ 3 m of digitising noise on wiggly borders


class Tracts(NamedTuple):
    geoids: list[str]
    polygons: np.ndarray  # shapely Polygons, lon/lat


def _check_bbox(bbox) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(v) for v in bbox)
    if not (x1 > x0 and y1 > y0):
        raise ValueError(f"bbox must be (min lon, min lat, max lon, max lat); got {bbox!r}.")
    return x0, y0, x1, y1


def synthetic_points(n: int, bbox=TWIN_CITIES_BBOX, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(lon, lat) of n points drawn uniformly in the box."""
    x0, y0, x1, y1 = _check_bbox(bbox)
    rng = np.random.default_rng(seed)
    return rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)


def _wiggle(rng, m: int, length: float, amplitude: float) -> np.ndarray:
    """Offsets (perpendicular to a border) for m interior vertices; zero at both ends of the border."""
    t = np.arange(1, m + 1) / (m + 1)
    envelope = np.sin(np.pi * t)
    waves = rng.integers(1, 4)
    meander = amplitude * length * np.sin(2 * np.pi * waves * t / 2 + rng.uniform(0, 2 * np.pi))
    noise = rng.uniform(-NOISE_DEG, NOISE_DEG, m)
    return envelope * (meander + noise)


def synthetic_tracts(
    n: int,
    *,
    bbox=TWIN_CITIES_BBOX,
    seed: int = 0,
    wiggle: bool = True,
    vertices: int = 200,
) -> Tracts:
    """n synthetic tracts tiling `bbox` exactly; about `vertices` vertices per tract with `wiggle`.

    Returns (geoids, polygons), GEOIDs sorted west-to-east by county, then in row order.
    """
    if n < 1:
        raise ValueError("n must be at least 1.")
    x0, y0, x1, y1 = _check_bbox(bbox)
    rng = np.random.default_rng(seed)
    width, height = x1 - x0, y1 - y0
    # Rows so that tracts are roughly square on the ground (a degree of longitude is shorter).
    ground_width = width * math.cos(math.radians((y0 + y1) / 2))
    rows = max(1, min(n, round(math.sqrt(n * height / ground_width))))
    per_row = [n // rows + (1 if i < n % rows else 0) for i in range(rows)]
    h = height / rows
    w_min = width / max(per_row)

    # Column dividers of each row (interior x only), each jittered; a divider close to one of the row
    # below is snapped onto it (a 4-way corner), so that no border is a sliver.
    dividers: list[np.ndarray] = []
    for count in per_row:
        w = width / count
        xs = x0 + (np.arange(1, count) + rng.uniform(-0.2, 0.2, count - 1)) * w
        if dividers and len(xs) and len(dividers[-1]):
            below = dividers[-1]
            nearest = below[np.clip(np.searchsorted(below, xs), 0, len(below) - 1)]
            other = below[np.clip(np.searchsorted(below, xs) - 1, 0, len(below) - 1)]
            nearest = np.where(np.abs(other - xs) < np.abs(nearest - xs), other, nearest)
            xs = np.where(np.abs(nearest - xs) < 0.05 * w_min, nearest, xs)
        dividers.append(xs)

    spacing = 2 * (w_min + h) / max(vertices, 4) if wiggle else math.inf

    # Horizontal borders: polyline k runs along the bottom of row k (the top of row k-1).
    polylines: list[np.ndarray] = []
    where: list[dict[float, int]] = []  # x of each corner → its index in the polyline
    for k in range(rows + 1):
        corners = set()
        if k > 0:
            corners.update(dividers[k - 1].tolist())
        if k < rows:
            corners.update(dividers[k].tolist())
        xs = np.array([x0, *sorted(corners), x1])
        if k in (0, rows):
            ys = np.full(len(xs), y0 if k == 0 else y1)
        else:
            ys = y0 + k * h + rng.uniform(-0.15, 0.15) * h + rng.uniform(-0.02, 0.02, len(xs)) * h
        coords = [np.array([[xs[0], ys[0]]])]
        index = {float(xs[0]): 0}
        size = 1
        for a in range(len(xs) - 1):
            length = xs[a + 1] - xs[a]
            m = int(length / spacing) if (wiggle and 0 < k < rows) else 0
            if m:
                t = np.arange(1, m + 1) / (m + 1)
                px = xs[a] + t * length
                py = ys[a] + t * (ys[a + 1] - ys[a]) + _wiggle(rng, m, length, 0.04)
                coords.append(np.column_stack([px, py]))
                size += m
            coords.append(np.array([[xs[a + 1], ys[a + 1]]]))
            index[float(xs[a + 1])] = size
            size += 1
        polylines.append(np.concatenate(coords))
        where.append(index)

    polygons = []
    columns = []
    for i, count in enumerate(per_row):
        bottom, top = polylines[i], polylines[i + 1]
        xs = [x0, *dividers[i].tolist(), x1]
        # Vertical borders of this row, bottom to top, interior vertices only.
        sides = []
        for j, x in enumerate(xs):
            ya = bottom[where[i][x], 1]
            yb = top[where[i + 1][x], 1]
            length = yb - ya
            m = int(length / spacing) if (wiggle and 0 < j < count) else 0
            t = np.arange(1, m + 1) / (m + 1)
            sides.append(np.column_stack([x + _wiggle(rng, m, length, 0.03), ya + t * length]))
        for j in range(count):
            left, right = xs[j], xs[j + 1]
            ring = np.concatenate(
                [
                    bottom[where[i][left] : where[i][right] + 1],
                    sides[j + 1],
                    top[where[i + 1][left] : where[i + 1][right] + 1][::-1],
                    sides[j][::-1],
                ]
            )
            polygons.append(shapely.Polygon(ring))
            columns.append((left + right) / 2)

    # Counties as west-to-east strips; tract codes numbered within each county.
    strip = np.minimum(
        ((np.array(columns) - x0) / width * len(COUNTY_FIPS)).astype(int), len(COUNTY_FIPS) - 1
    )
    order = np.lexsort((np.arange(n), strip))
    geoids: list[str] = [""] * n
    counters = dict.fromkeys(range(len(COUNTY_FIPS)), 0)
    for k in order.tolist():
        counters[strip[k]] += 1
        geoids[k] = f"{COUNTY_FIPS[strip[k]]}97{counters[strip[k]]:04d}"
    polys = np.empty(n, dtype=object)
    polys[:] = polygons
    return Tracts([geoids[k] for k in order], polys[order])


def synthetic_national(
    n_tracts: int = 85_000,
    vertices: int = 200,
    seed: int = 0,
    *,
    bbox=CONUS_BBOX,
) -> Tracts:
    """About-national tracts: a jittered grid over `bbox` (the first n_tracts cells, row by row).

    Each cell has 4 + 4k vertices, k = round((vertices - 4) / 4) extra vertices on each border (7 →
    8 vertices, 200 → 200), wiggled identically on both sides. Built with whole-array operations:
    85,000 tracts: about 0.3 s at 8 vertices, a few seconds at 200 (17M coordinates).
    """
    if n_tracts < 1:
        raise ValueError("n_tracts must be at least 1.")
    x0, y0, x1, y1 = _check_bbox(bbox)
    rng = np.random.default_rng(seed)
    ground_width = (x1 - x0) * math.cos(math.radians((y0 + y1) / 2))
    rows = max(1, round(math.sqrt(n_tracts * (y1 - y0) / ground_width)))
    cols = math.ceil(n_tracts / rows)
    dx, dy = (x1 - x0) / cols, (y1 - y0) / rows
    k = max(0, round((vertices - 4) / 4))

    # Lattice corners, jittered; corners on the box edges stay on them.
    gx = x0 + np.arange(cols + 1) * dx
    gy = y0 + np.arange(rows + 1) * dy
    X = np.broadcast_to(gx, (rows + 1, cols + 1)).copy()
    Y = np.broadcast_to(gy[:, None], (rows + 1, cols + 1)).copy()
    X[:, 1:-1] += rng.uniform(-0.2, 0.2, (rows + 1, cols - 1)) * dx
    Y[1:-1, :] += rng.uniform(-0.2, 0.2, (rows - 1, cols + 1)) * dy
    corners = np.stack([X, Y], axis=-1)

    def border(start: np.ndarray, end: np.ndarray, interior: np.ndarray) -> np.ndarray:
        """k interior vertices on each segment start→end, offset along the segment's normal."""
        if k == 0:
            return np.empty((*start.shape[:-1], 0, 2))
        t = (np.arange(1, k + 1) / (k + 1))[:, None]
        vec = end - start
        length = np.hypot(vec[..., 0], vec[..., 1])
        normal = np.stack([-vec[..., 1], vec[..., 0]], axis=-1) / length[..., None]
        phase = rng.uniform(0, 2 * np.pi, length.shape)[..., None]
        # sin(πt)·sin(2πt + φ), expanded so that only per-edge cos φ, sin φ need computing.
        tt = t[:, 0]
        a, b = np.sin(np.pi * tt) * np.sin(2 * np.pi * tt), np.sin(np.pi * tt) * np.cos(2 * np.pi * tt)
        offset = 0.04 * length[..., None] * (a * np.cos(phase) + b * np.sin(phase))
        offset = np.where(interior[..., None], offset, 0.0)
        return start[..., None, :] + t * vec[..., None, :] + offset[..., None] * normal[..., None, :]

    rows_idx = np.arange(rows + 1)[:, None]
    cols_idx = np.arange(cols + 1)[None, :]
    horizontal = border(
        corners[:, :-1], corners[:, 1:], np.broadcast_to((rows_idx > 0) & (rows_idx < rows), (rows + 1, cols))
    )
    vertical = border(
        corners[:-1, :], corners[1:, :], np.broadcast_to((cols_idx > 0) & (cols_idx < cols), (rows, cols + 1))
    )

    cell = np.arange(n_tracts)
    i, j = cell // cols, cell % cols
    ring = np.concatenate(
        [
            corners[i, j][:, None],
            horizontal[i, j],
            corners[i, j + 1][:, None],
            vertical[i, j + 1],
            corners[i + 1, j + 1][:, None],
            horizontal[i + 1, j][:, ::-1],
            corners[i + 1, j][:, None],
            vertical[i, j][:, ::-1],
            corners[i, j][:, None],
        ],
        axis=1,
    )
    polygons = shapely.polygons(ring)
    geoids = [f"99{c // 10_000:03d}{c % 10_000:04d}00" for c in range(n_tracts)]
    return Tracts(geoids, polygons)
