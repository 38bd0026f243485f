"""Per-language state of the interface catalogs: translated, reviewed, critical strings reviewed.

manage.py i18n_status            # the table
manage.py i18n_status --check    # exit 1 if a catalog fails msgfmt --check or has a wrong header
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from commontable.core import i18n


class Command(BaseCommand):
    help = "Translated / reviewed / critical-reviewed counts per language; --check fails on broken catalogs."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="exit 1 if any catalog fails `msgfmt --check` or lacks the right Plural-Forms",
        )
        parser.add_argument(
            "--language", "-l", action="append", dest="languages", help="only this language (repeatable)"
        )
        parser.add_argument(
            "--list", choices=["untranslated", "unreviewed"], help="also list the msgids in that state"
        )

    def handle(self, *args, check=False, languages=None, list=None, **options):
        known = dict(settings.LANGUAGES)
        for code in languages or []:
            if code not in known:
                raise CommandError(f"Unknown language {code!r}; choose from {', '.join(known)}.")
        statuses = [s for s in i18n.all_statuses() if not languages or s.code in languages]
        header = (
            f"{'language':<10} {'total':>6} {'translated':>15} {'reviewed':>15} {'critical rev.':>15} "
            f"{'English fallback':>17}  state"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for s in statuses:
            if s.is_source:
                self.stdout.write(
                    f"{s.code:<10} {'':>6} {'(source)':>15} {'':>15} {'':>15} {'':>17}  source language"
                )
                continue
            if not s.exists:
                self.stdout.write(f"{s.code:<10} no catalog at {s.path}")
                continue
            state = ("beta" if s.beta else "released") + (
                ", ready to leave beta" if s.beta and s.ready_to_leave_beta else ""
            )
            self.stdout.write(
                f"{s.code:<10} {s.total:>6} {s.translated:>6} ({s.translated_pct:5.1f}%) "
                f"{s.reviewed:>6} ({s.reviewed_pct:5.1f}%) "
                f"{s.critical_reviewed:>3}/{s.critical_total:<3} ({s.critical_reviewed_pct:5.1f}%) "
                f"{s.fallback:>6} ({s.fallback_pct:5.1f}%)  {state}"
            )
            if s.stale_review_keys:
                self.stdout.write(
                    f"{'':<10} {len(s.stale_review_keys)} reviewed string(s) changed since review"
                )
            if list:
                entries = s.untranslated_entries if list == "untranslated" else s.unreviewed_entries
                for entry in entries:
                    self.stdout.write(f"{'':<10} - {entry.key}")
        if check:
            problems = i18n.check_catalogs()
            for problem in problems:
                self.stderr.write(problem)
            if problems:
                raise SystemExit(1)
            self.stdout.write(self.style.SUCCESS("catalogs ok"))
