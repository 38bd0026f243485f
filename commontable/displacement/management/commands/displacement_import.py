"""`manage.py displacement_import KIND FILE [--year YYYY]`: load a census file as the upload page
does (checked first, then written all or nothing). KIND is `acs` (a Census Data API response or a
data.census.gov export), `tracts` (TIGER/Line shapefile ZIP or GeoJSON) or `relationship` (the
2010→2020 tract relationship file or an NHGIS crosswalk)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commontable.displacement import services
from commontable.displacement.choices import SourceKind


class Command(BaseCommand):
    help = "Load a census file (survey table, tract boundaries or tract relationship), all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=[choice.value for choice in SourceKind])
        parser.add_argument("path", nargs="+", help="One or more files, loaded one after the other.")
        parser.add_argument("--year", type=int, help="Survey end year, when the file name does not say it.")

    def handle(self, *args, **options):
        for name in options["path"]:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"No such file: {path}")
            try:
                load = services.census_load(kind=options["kind"], data=path.read_bytes(), file_name=path.name,
                                            year=options["year"])
            except services.CensusRefused as refused:
                raise CommandError(f"{path.name}: nothing was written.\n" + "\n".join(refused.problems[:100])) from None
            self.stdout.write(f"{path.name}: loaded {load.rows} rows ({load.get_kind_display()}, {load.year}).")
