"""`manage.py seats_import bodies|seats FILE [--dry-run]`: the same imports as the web pages, from a
terminal. Prints every problem by row (in --language, default the site's), exits 1 and writes nothing
when there is any; otherwise checks and applies the file in one transaction, all rows or none."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from commontable.core.imports import (
    ImportRefused,
    describe_counts,
    get_import,
    import_file_apply,
    validate_file,
)
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
                raise CommandError(f"{user} is not an active account allowed to import {kind}.", returncode=2)
        data = path.read_bytes()
        with translation.override(language):
            if dry_run:
                preview = validate_file(spec, data, path.name)
                self._report(preview, warnings)
                if preview.has_errors:
                    raise CommandError(
                        translation.ngettext(
                            "Nothing would be imported: %(count)d problem.",
                            "Nothing would be imported: %(count)d problems.",
                            preview.error_count,
                        ) % {"count": preview.error_count},
                        returncode=1,
                    )
                self.stdout.write(translation.gettext("Dry run: nothing was written."))
                return
            try:
                batch, preview = import_file_apply(spec=spec, data=data, filename=path.name, actor=actor)
            except ImportRefused as refused:
                if refused.preview is not None:
                    self._report(refused.preview, warnings)
                raise CommandError(refused.message, returncode=1) from refused
            self._report(preview, warnings)
            self.stdout.write(
                translation.gettext("Applied %(file)s (import %(id)s).") % {"file": path.name, "id": batch.public_id}
            )

    def _report(self, preview, warnings: bool) -> None:
        for notice in preview.notices:
            self.stderr.write(notice)
        for problem in preview.problems(warnings=warnings):
            self.stderr.write(str(problem))
        for companion in preview.companions.values():
            self.stdout.write(f"{companion.spec.label}: {describe_counts(companion.counts)}")
        self.stdout.write(f"{preview.spec.label}: {describe_counts(preview.counts)}")
