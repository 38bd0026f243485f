"""`manage.py plan_import PATH`: import a plan document, or revise an existing plan with it.
The same checks as the upload page: every problem is reported with its line, and nothing is
written unless the whole document is right."""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commontable.strategy import services
from commontable.strategy.models import Plan
from commontable.strategy.plan_parser import PlanParseError


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from None


class Command(BaseCommand):
    help = "Import a strategic plan from its text document (or revise an existing plan with --plan)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The plan as a text file (e.g. exported from a PDF).")
        parser.add_argument("--plan", help="Short name of an existing plan to revise.")
        parser.add_argument("--title", default="", help="Title (default: from the document).")
        parser.add_argument("--start", help="First day of the plan (default: from the years in the document).")
        parser.add_argument("--end", help="Last day of the plan.")
        parser.add_argument("--succeeds", help="Short name of the plan this one succeeds.")
        parser.add_argument("--visibility", default="members", choices=["public", "members", "staff"])
        parser.add_argument("--default", action="store_true", help="Make it the default plan.")

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        plan = predecessor = None
        if options["plan"]:
            plan = Plan.objects.filter(slug=options["plan"]).first()
            if plan is None:
                raise CommandError(f"No plan with the short name {options['plan']!r}.")
        if options["succeeds"]:
            predecessor = Plan.objects.filter(slug=options["succeeds"]).first()
            if predecessor is None:
                raise CommandError(f"No plan with the short name {options['succeeds']!r}.")
        try:
            plan, changes = services.plan_import(
                data=path.read_bytes(), actor=None, source_name=path.name, plan=plan, title=options["title"],
                period_start=_date(options["start"]) if options["start"] else None,
                period_end=_date(options["end"]) if options["end"] else None,
                predecessor=predecessor, make_default=options["default"], visibility=options["visibility"],
            )
        except PlanParseError as exc:
            raise CommandError("Nothing was imported:\n" + "\n".join(f"  {p}" for p in exc.problems)) from None
        verb = "Imported" if changes.created else "Revised"
        self.stdout.write(self.style.SUCCESS(
            f"{verb} {plan.title} ({plan.period_label}), short name {plan.slug}: "
            f"{plan.strategies.current().count()} strategies, {plan.objectives.current().count()} objectives, "
            f"{plan.values.current().count()} values."
        ))
        for label, items in (("added", changes.added), ("updated", changes.updated), ("archived", changes.archived), ("restored", changes.restored)):
            if items:
                self.stdout.write(f"  {label}: {', '.join(items)}")
