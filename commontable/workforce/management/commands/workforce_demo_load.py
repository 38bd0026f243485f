"""`manage.py workforce_demo_load`: workforce goals and twelve months of hours on two demo
investments (run `investments_demo_load` first). Does nothing when workforce records exist."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from commontable.workforce import demo


class Command(BaseCommand):
    help = "Load demo workforce goals and certified-payroll hours on two of the demo investments."

    def add_arguments(self, parser):
        parser.add_argument("--allow-without-debug", action="store_true")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError(
                "DEBUG is off: load the demo workforce only on a throwaway database (--allow-without-debug)."
            )
        summary = demo.workforce_demo_load()
        if summary is None:
            self.stdout.write("Workforce records are already loaded, or the demo investments are missing "
                              "(run investments_demo_load first).")
        else:
            self.stdout.write(f"Loaded {summary.goals} goals and {summary.records} hours records.")
