"""`manage.py investments_basemap COUNTIES_TOPOJSON`: write the map's base layer, the outlines of
the counties in and around the coalition's region, as a small GeoJSON file under static/.

The source is `counties-10m.json` from the us-atlas npm package (Census cartographic boundaries,
ISC licence); the result is committed, so this runs only when the region changes."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commontable.investments import topojson
from commontable.investments.geo import region_bbox

OUT = Path(__file__).resolve().parents[2].parent / "static" / "investments" / "counties.geojson"


class Command(BaseCommand):
    help = "Write the county outlines of the coalition's region for the investment map."

    def add_arguments(self, parser):
        parser.add_argument("source", help="counties-10m.json from the us-atlas package")
        parser.add_argument("--out", default=str(OUT))

    def handle(self, *args, **options):
        try:
            topology = json.loads(Path(options["source"]).read_text())
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read {options['source']}: {exc}") from None
        min_lon, min_lat, max_lon, max_lat = region_bbox()
        kept = []
        for feature in topojson.features(topology, "counties"):
            a, b, c, d = topojson.bbox(feature["geometry"])
            if a <= max_lon and c >= min_lon and b <= max_lat and d >= min_lat:
                feature["geometry"]["coordinates"] = _round(feature["geometry"]["coordinates"])
                kept.append(feature)
        out = Path(options["out"])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps({"type": "FeatureCollection", "features": kept}, separators=(",", ":")))
        self.stdout.write(f"{len(kept)} counties written to {out} ({out.stat().st_size // 1024} KB).")


def _round(value):
    if value and isinstance(value[0], (int, float)):
        return [round(value[0], 4), round(value[1], 4)]
    return [_round(v) for v in value]
