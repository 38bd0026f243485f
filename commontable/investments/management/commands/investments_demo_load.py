"""`manage.py investments_demo_load`: fictional investments in the Twin Cities with funding, stages,
asks and commitments in every status, for the demo. Does nothing when investments are already there."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from commontable.investments import demo


class Command(BaseCommand):
    help = "Load fictional investments with funding, asks and commitments in every status, for the demo."

    def add_arguments(self, parser):
        parser.add_argument("--allow-without-debug", action="store_true")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError(
                "DEBUG is off: load the demo investments only on a throwaway database (--allow-without-debug)."
            )
        summary = demo.investments_demo_load()
        if summary is None:
            self.stdout.write("Investments are already loaded.")
        else:
            self.stdout.write(
                f"Loaded {summary.investments} investments with {summary.commitments} commitments, "
                f"{summary.reports} reports and {summary.asks} asks."
            )
