"""`manage.py displacement_fetch YEAR [--states 27] [--counties 053,123] [--cache-dir DIR] [--key KEY]`:
fetch the tract survey values the method needs from the Census Data API, paced (one call a second
by default) and resumable (each answer is kept in the cache directory; a re-run fetches only what is
missing), then store them all or nothing. The key is optional (without one the API allows about 500
calls a day); it may also come from the CENSUS_API_KEY environment variable."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commontable.displacement import selectors, services


class Command(BaseCommand):
    help = "Fetch ACS 5-year tract values from the Census Data API (paced, resumable) and store them."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="End year of the 5-year survey, e.g. 2022.")
        parser.add_argument("--states", default="", help="State FIPS codes, comma-separated (default: the default region's).")
        parser.add_argument("--counties", default="", help="County codes (3 digits) within the first state; default: "
                                                            "the default region's counties.")
        parser.add_argument("--all-counties", action="store_true", help="Every county of the states.")
        parser.add_argument("--cache-dir", default="census-cache", help="Where answers are kept (default ./census-cache).")
        parser.add_argument("--key", default=os.environ.get("CENSUS_API_KEY", ""))
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between calls.")

    def handle(self, *args, **options):
        region = selectors.region_default()
        fips = region.county_fips if region else []
        states = [s.strip() for s in options["states"].split(",") if s.strip()] or sorted({f[:2] for f in fips})
        if not states:
            raise CommandError("Name the states (--states 27).")
        counties = None
        if not options["all_counties"]:
            listed = [c.strip() for c in options["counties"].split(",") if c.strip()]
            if listed:
                counties = {f"{int(states[0]):02d}": listed}
            elif fips:
                counties = {}
                for code in fips:
                    counties.setdefault(code[:2], []).append(code[2:])
        try:
            load = services.census_fetch(
                year=options["year"], states=states, counties=counties, cache_dir=Path(options["cache_dir"]),
                key=options["key"] or None, min_interval=options["interval"],
                progress=lambda name: self.stdout.write(f"fetched {name}"),
            )
        except services.CensusRefused as refused:
            raise CommandError("Nothing was stored (answers already fetched are kept for the next run).\n"
                               + "\n".join(refused.problems[:50])) from None
        self.stdout.write(f"Stored {load.rows} tracts, {len(load.variables)} variables, survey ending {load.year}.")
