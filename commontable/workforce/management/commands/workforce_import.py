"""`manage.py workforce_import <investment-slug> FILE [--dry-run]`: the certified-payroll import of
the web pages, from a terminal. Prints every problem by row, exits 1 and writes nothing when there
is any; otherwise checks and applies the file in one transaction."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from commontable.core.import_commands import import_actor, read_import_file
from commontable.core.imports import ImportRefused, describe_counts
from commontable.investments.models import Investment
from commontable.workforce import services


class Command(BaseCommand):
    help = "Import certified-payroll hours (CSV or XLSX) into one investment, all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("investment", help="The investment's slug.")
        parser.add_argument("file", help="A .csv or .xlsx file.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report; write nothing.")
        parser.add_argument("--user", help="Email of the staff account to record as the importer.")
        parser.add_argument("--language", default=settings.LANGUAGE_CODE, help="Language of the messages.")

    def handle(self, *args, investment: str, file: str, dry_run: bool, user: str | None, language: str, **options):
        target = Investment.objects.filter(slug=investment).first()
        if target is None:
            raise CommandError(f"No investment with the slug {investment!r}.", returncode=2)
        path, data = read_import_file(file)
        actor = import_actor(user, lambda account: account.has_perm("workforce.edit_workforce"), "hours")
        with translation.override(language):
            try:
                batch, checked = services.hours_import_file(
                    actor=actor, investment=target, data=data, filename=path.name, dry_run=dry_run
                )
            except ImportRefused as refused:
                if refused.preview is not None:
                    self._report(refused.preview)
                raise CommandError(refused.message, returncode=1) from refused
            self._report(checked.preview)
            if batch is None:
                self.stdout.write(translation.gettext("Dry run: nothing was written."))
            else:
                self.stdout.write(
                    translation.gettext("Applied %(file)s (import %(id)s).") % {"file": path.name, "id": batch.public_id}
                )

    def _report(self, preview) -> None:
        for notice in preview.notices:
            self.stderr.write(str(notice))
        for problem in preview.problems():
            self.stderr.write(str(problem))
        self.stdout.write(describe_counts(preview.counts))
