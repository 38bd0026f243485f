"""`manage.py investments_import --format capital-plan|usaspending [--apply] FILE`: the same import as
the web pages, from a terminal. A dry run by default: prints what each row would do and every
problem by row and column (in --language), writes nothing. With --apply, checks and writes the file
in one transaction, all rows or none; exits 1 (nothing written) when any row has an error."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from commontable.core.import_commands import import_actor, read_import_file, run_import
from commontable.core.imports import get_import
from commontable.investments.imports import ACTION_SKIP, describe_preview_counts

FORMATS = ("capital-plan", "usaspending")


class Command(BaseCommand):
    help = "Import investments from a capital plan or USAspending award file (CSV or XLSX); a dry run unless --apply."

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=FORMATS, help="What the file holds.")
        parser.add_argument("file", help="A .csv or .xlsx file.")
        parser.add_argument("--apply", action="store_true", help="Write the file (all rows or none).")
        parser.add_argument("--user", help="Email of the staff account to record as the importer.")
        parser.add_argument("--language", default=settings.LANGUAGE_CODE, help="Language of the messages.")
        parser.add_argument("--rows", action="store_true", help="Also print what each row will do.")

    def handle(self, *args, format: str, file: str, apply: bool, user: str | None, language: str, rows: bool, **options):
        spec = get_import(format)
        path, data = read_import_file(file)
        actor = import_actor(user, spec.allows, "investments")
        with translation.override(language):
            run_import(self, spec, path, data, actor, apply=apply,
                       report=lambda preview: self._report(preview, rows),
                       dry_run_note=translation.gettext("Dry run: nothing was written. Add --apply to import."))

    def _report(self, preview, rows: bool) -> None:
        for notice in preview.notices:
            self.stderr.write(notice)
        for problem in preview.problems(warnings=False):
            self.stderr.write(str(problem))
        for row in preview.rows:
            if row.action == ACTION_SKIP:
                for warning in row.warnings:
                    self.stdout.write(str(warning))
            elif rows and (row.changes or row.action):
                label = row.action_label or row.action
                self.stdout.write(f"{row.number}: {label}" + (f" — {'; '.join(row.changes)}" if row.changes else ""))
        self.stdout.write(f"{preview.spec.label}: {describe_preview_counts(preview.counts)}")
