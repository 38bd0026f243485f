"""`manage.py investments_import --format capital-plan|usaspending [--apply] FILE`: the same import as
the web pages, from a terminal. A dry run by default: prints what each row would do and every
problem by row and column (in --language), writes nothing. With --apply, checks and writes the file
in one transaction, all rows or none; exits 1 (nothing written) when any row has an error."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from commontable.core.imports import ImportRefused, get_import, import_file_apply, validate_file
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
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}", returncode=2)
        limit = settings.COMMONTABLE_UPLOAD_MAX_BYTES
        if path.stat().st_size > limit:
            raise CommandError(f"The file is larger than the upload limit ({limit} bytes).", returncode=2)
        actor = None
        if user:
            actor = get_user_model().objects.filter(email__iexact=user, is_active=True).first()
            if actor is None or not spec.allows(actor):
                raise CommandError(f"{user} is not an active account allowed to import investments.", returncode=2)
        data = path.read_bytes()
        with translation.override(language):
            if not apply:
                preview = validate_file(spec, data, path.name)
                self._report(preview, rows)
                if preview.has_errors:
                    raise CommandError(
                        translation.ngettext(
                            "Nothing would be imported: %(count)d problem.",
                            "Nothing would be imported: %(count)d problems.",
                            preview.error_count,
                        ) % {"count": preview.error_count},
                        returncode=1,
                    )
                self.stdout.write(translation.gettext("Dry run: nothing was written. Add --apply to import."))
                return
            try:
                batch, preview = import_file_apply(spec=spec, data=data, filename=path.name, actor=actor)
            except ImportRefused as refused:
                if refused.preview is not None:
                    self._report(refused.preview, rows)
                raise CommandError(refused.message, returncode=1) from refused
            self._report(preview, rows)
            self.stdout.write(
                translation.gettext("Applied %(file)s (import %(id)s).") % {"file": path.name, "id": batch.public_id}
            )

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
