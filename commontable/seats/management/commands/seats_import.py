"""`manage.py seats_import bodies|seats FILE [--dry-run]`: the same imports as the web pages, from a
terminal. Prints every problem by row (in --language, default the site's), exits 1 and writes nothing
when there is any; otherwise checks and applies the file in one transaction, all rows or none."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from commontable.core.import_commands import import_actor, read_import_file, report_problems, run_import
from commontable.core.imports import get_import
from commontable.seats.imports import BODY_KIND, SEAT_KIND

KINDS = {"bodies": BODY_KIND, "seats": SEAT_KIND}


class Command(BaseCommand):
    help = "Import public bodies or seats (with their holders' terms) from a CSV or XLSX file (all rows or none)."
    # A data command: the project's system checks say nothing about the file (`manage.py check` runs them).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("kind", help=f"What the file holds: {', '.join(KINDS)}.")
        parser.add_argument("file", help="A .csv or .xlsx file.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report; write nothing.")
        parser.add_argument("--user", help="Email of the staff account to record as the importer.")
        parser.add_argument("--language", default=settings.LANGUAGE_CODE, help="Language of the messages.")
        parser.add_argument("--warnings", action="store_true", help="Also list warnings.")

    def handle(self, *args, kind: str, file: str, dry_run: bool, user: str | None, language: str, warnings: bool,
               **options):
        spec = get_import(KINDS[kind]) if kind in KINDS else None
        if spec is None:
            raise CommandError(f"Unknown kind {kind!r}; choose one of: {', '.join(KINDS)}.", returncode=2)
        path, data = read_import_file(file)
        actor = import_actor(user, spec.allows, kind)
        with translation.override(language):
            run_import(self, spec, path, data, actor, apply=not dry_run,
                       report=lambda preview: report_problems(self, preview, warnings=warnings))
