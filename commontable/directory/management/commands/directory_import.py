"""`manage.py directory_import people FILE [--dry-run]`: the same import as the web pages, from a
terminal. Prints every problem by row (in --language, default the site's), exits 1 and writes
nothing when there is any; otherwise checks and applies the file in one transaction."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from commontable.core.import_commands import import_actor, read_import_file, report_problems, run_import
from commontable.core.imports import get_import

KINDS = ("people", "organizations")


class Command(BaseCommand):
    help = "Import people or organizations from a CSV or XLSX file (all rows or none)."
    # A data command: the project's system checks (URLs, templates, …) say nothing about the file,
    # and cost seconds before every import. `manage.py check` runs them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("kind", help=f"What the file holds: {', '.join(KINDS)}.")
        parser.add_argument("file", help="A .csv or .xlsx file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; write nothing."
        )
        parser.add_argument("--user", help="Email of the staff account to record as the importer.")
        parser.add_argument("--language", default=settings.LANGUAGE_CODE, help="Language of the messages.")
        parser.add_argument(
            "--warnings", action="store_true", help="Also list warnings (converted digits, …)."
        )

    def handle(
        self,
        *args,
        kind: str,
        file: str,
        dry_run: bool,
        user: str | None,
        language: str,
        warnings: bool,
        **options,
    ):
        spec = get_import(kind) if kind in KINDS else None
        if spec is None:
            raise CommandError(f"Unknown kind {kind!r}; choose one of: {', '.join(KINDS)}.", returncode=2)
        path, data = read_import_file(file)
        actor = import_actor(user, spec.allows, kind)
        with translation.override(language):
            started = time.perf_counter()
            batch = run_import(self, spec, path, data, actor, apply=not dry_run,
                               report=lambda preview: report_problems(self, preview, warnings=warnings))
            if batch is not None and options.get("verbosity", 1) >= 2:
                # Read by the benchmark; the process also spends time starting Python and Django.
                self.stdout.write(f"import_seconds={time.perf_counter() - started:.2f}")
