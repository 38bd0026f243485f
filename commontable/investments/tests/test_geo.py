import json

import pytest
from django.core.exceptions import ValidationError

from commontable.investments.geo import parse_location

STATION = {"type": "Point", "coordinates": [-93.1647, 44.9556]}
LINE = {"type": "LineString", "coordinates": [[-93.27, 44.97], [-93.09, 44.95]]}
AREA = {"type": "Polygon", "coordinates": [[[-93.2, 44.9], [-93.1, 44.9], [-93.1, 45.0], [-93.2, 45.0], [-93.2, 44.9]]]}


@pytest.mark.parametrize("geometry", [STATION, LINE, AREA])
def test_points_lines_and_areas_in_the_region_are_kept(geometry):
    location = parse_location(json.dumps(geometry))
    assert location.geometry["type"] == geometry["type"]
    assert location.bbox[0] <= location.bbox[2]


def test_a_feature_or_a_one_feature_collection_gives_its_geometry():
    feature = {"type": "Feature", "properties": {"name": "x"}, "geometry": STATION}
    assert parse_location(feature).geometry["type"] == "Point"
    assert parse_location({"type": "FeatureCollection", "features": [feature]}).geometry["type"] == "Point"


def test_empty_means_no_location():
    assert parse_location("") is None and parse_location(None) is None


@pytest.mark.parametrize("bad, message", [
    ("{not json", "not even JSON"),
    ('{"type": "Circle", "coordinates": [0, 0]}', "point, a line or an area"),
    ('{"type": "FeatureCollection", "features": []}', "exactly one feature"),
    ('{"type": "Point", "coordinates": ["a", "b"]}', "malformed"),
    ('{"type": "Polygon", "coordinates": [[[-93.2, 44.9], [-93.1, 45.0], [-93.1, 44.9], [-93.2, 45.0], [-93.2, 44.9]]]}', "not valid"),
    ('{"type": "Point", "coordinates": [44.95, -93.16]}', "longitude"),
    ('{"type": "Point", "coordinates": [-87.63, 41.88]}', "outside the coalition's region"),
    ('[1, 2]', "GeoJSON geometry or feature"),
])
def test_bad_locations_are_refused_in_plain_words(bad, message):
    with pytest.raises(ValidationError, match=message):
        parse_location(bad)


def test_a_huge_location_is_refused():
    with pytest.raises(ValidationError, match="larger than 2 MB"):
        parse_location(" " * (2 * 1024 * 1024 + 1))
