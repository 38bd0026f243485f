"""`manage.py scorecards_demo_load`: a demo scoring session on the first public demo investment,
scored by invented people in four languages, results published (run `investments_demo_load`
first). Adds nothing when it exists."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from commontable.scorecards import demo


class Command(BaseCommand):
    help = "Load a demo scoring session with invented scores."

    def add_arguments(self, parser):
        parser.add_argument("--allow-without-debug", action="store_true")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError("DEBUG is off: load the demo session only on a throwaway database (--allow-without-debug).")
        session = demo.scorecards_session_demo_load()
        self.stdout.write(f"Added the demo scoring session: {session.title}." if session
                          else "The demo scoring session is there already, or no demo investment is loaded.")
