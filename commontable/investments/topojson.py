"""Decoding TopoJSON (the format of the Census county outlines in the us-atlas package) into
GeoJSON, so the map's base layer can be a small static GeoJSON file of the region's counties
without any JavaScript decoder. Pure Python, no dependencies."""

from __future__ import annotations

from collections.abc import Iterable


def _decode_arcs(topology: dict) -> list[list[list[float]]]:
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy, *_rest in arc:  # delta-encoded, quantized
                x, y = x + dx, y + dy
                points.append([x * sx + tx, y * sy + ty])
        else:
            points = [[float(p[0]), float(p[1])] for p in arc]
        arcs.append(points)
    return arcs


def _ring(indexes: Iterable[int], arcs: list[list[list[float]]]) -> list[list[float]]:
    ring: list[list[float]] = []
    for index in indexes:
        points = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        # consecutive arcs share their end point
        ring.extend(points if not ring else points[1:])
    return ring


def _geometry(obj: dict, arcs) -> dict | None:
    kind = obj.get("type")
    if kind == "Polygon":
        return {"type": "Polygon", "coordinates": [_ring(r, arcs) for r in obj["arcs"]]}
    if kind == "MultiPolygon":
        return {"type": "MultiPolygon", "coordinates": [[_ring(r, arcs) for r in polygon] for polygon in obj["arcs"]]}
    if kind == "LineString":
        return {"type": "LineString", "coordinates": _ring(obj["arcs"], arcs)}
    return None


def features(topology: dict, object_name: str) -> list[dict]:
    """The named object's geometries as GeoJSON features (id and properties kept)."""
    arcs = _decode_arcs(topology)
    out = []
    for obj in topology["objects"][object_name]["geometries"]:
        geometry = _geometry(obj, arcs)
        if geometry is not None:
            out.append({"type": "Feature", "id": obj.get("id"), "properties": obj.get("properties", {}), "geometry": geometry})
    return out


def bbox(geometry: dict) -> tuple[float, float, float, float]:
    xs, ys = [], []

    def walk(value):
        if value and isinstance(value[0], (int, float)):
            xs.append(value[0])
            ys.append(value[1])
        else:
            for item in value:
                walk(item)

    walk(geometry["coordinates"])
    return min(xs), min(ys), max(xs), max(ys)
