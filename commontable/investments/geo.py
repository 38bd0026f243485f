"""Checking a location given as GeoJSON: the right shape, valid geometry, inside the region.

Accepts a GeoJSON geometry, a Feature or a FeatureCollection with one feature (what drawing tools
and GIS exports produce); stores the geometry only, in WGS84 longitude/latitude, with its bounding
box for the map and for region checks.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

GEOMETRY_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon")
MAX_BYTES = 2 * 1024 * 1024
MAX_POINTS = 50_000
# The seven-county Twin Cities region with a margin; a coalition elsewhere sets COMMONTABLE_REGION_BBOX.
DEFAULT_REGION = (-94.2, 44.3, -92.6, 45.6)


@dataclass(frozen=True)
class Location:
    geometry: dict
    bbox: tuple[float, float, float, float]


def region_bbox() -> tuple[float, float, float, float]:
    return tuple(getattr(settings, "COMMONTABLE_REGION_BBOX", None) or DEFAULT_REGION)  # type: ignore[return-value]


def parse_location(value: str | dict | None) -> Location | None:
    """The checked geometry, or None for an empty value. Raises ValidationError in plain words."""
    if value in (None, "", {}):
        return None
    if isinstance(value, str):
        if len(value.encode()) > MAX_BYTES:
            raise ValidationError(_("The location is larger than 2 MB; simplify the shape."))
        try:
            value = json.loads(value)
        except ValueError:
            raise ValidationError(_("The location is not valid GeoJSON (it is not even JSON).")) from None
    if not isinstance(value, dict):
        raise ValidationError(_("The location must be a GeoJSON geometry or feature."))
    if value.get("type") == "FeatureCollection":
        features = value.get("features")
        if not isinstance(features, list) or len(features) != 1:
            raise ValidationError(_("Give exactly one feature: the investment's location."))
        value = features[0]
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, dict) or value.get("type") not in GEOMETRY_TYPES:
        raise ValidationError(_("The location must be a point, a line or an area (GeoJSON Point, LineString, Polygon or their Multi- forms)."))
    try:
        from shapely.geometry import mapping, shape
        from shapely.validation import explain_validity

        geometry = shape(value)
    except Exception:  # shapely raises several kinds for malformed coordinates
        raise ValidationError(_("The location's coordinates are malformed.")) from None
    if geometry.is_empty:
        raise ValidationError(_("The location is empty."))
    coordinates = list(_coordinates(value.get("coordinates")))
    if len(coordinates) > MAX_POINTS:
        raise ValidationError(_("The location has too many points; simplify the shape."))
    if any(not (math.isfinite(x) and math.isfinite(y)) for x, y in coordinates):
        raise ValidationError(_("The location's coordinates are malformed."))
    if not geometry.is_valid:
        raise ValidationError(_("The shape is not valid: %(reason)s.") % {"reason": explain_validity(geometry)})
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise ValidationError(_("The coordinates must be longitude then latitude, in degrees (WGS84)."))
    r_min_lon, r_min_lat, r_max_lon, r_max_lat = region_bbox()
    if min_lon < r_min_lon or max_lon > r_max_lon or min_lat < r_min_lat or max_lat > r_max_lat:
        raise ValidationError(_("The location is outside the coalition's region. Check that longitude comes before latitude."))
    return Location(geometry=mapping(geometry) | {"coordinates": _rounded(value["coordinates"])}, bbox=(min_lon, min_lat, max_lon, max_lat))


def _coordinates(value):
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], (int, float)):
        yield (float(value[0]), float(value[1]) if len(value) > 1 else float("nan"))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _coordinates(item)


def _rounded(value):
    """Six decimals (about 10 cm) are more than a map of the region needs."""
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], (int, float)):
        return [round(float(v), 6) for v in value[:2]]
    return [_rounded(item) for item in value]
