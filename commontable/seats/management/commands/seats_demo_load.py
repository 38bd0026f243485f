"""`manage.py seats_demo_load`: the demo's public bodies, seats and terms, leaders and their
nominations, and engagement processes (run `demo_load` first; `investments_demo_load` too, for the
processes' links to investments). Adds nothing when they are there."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from commontable.seats import demo


class Command(BaseCommand):
    help = "Load demo public bodies, seats, terms, leaders and engagement processes (all invented)."

    def add_arguments(self, parser):
        parser.add_argument("--allow-without-debug", action="store_true")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError("DEBUG is off: load the demo seats only on a throwaway database (--allow-without-debug).")
        if demo.seats_demo_loaded():
            self.stdout.write("The demo seats are already loaded.")
            return
        summary = demo.seats_demo_load()
        if summary is None:
            self.stdout.write("The demo coalition is not loaded yet: run demo_load first.")
            return
        self.stdout.write(
            f"Added {summary.bodies} public bodies, {summary.seats} seats, {summary.terms} terms, "
            f"{summary.leaders} leaders, {summary.nominations} nominations and {summary.processes} engagement processes."
        )
