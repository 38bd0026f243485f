"""`manage.py businesses_demo_load`: a fictional BIPOC business directory and contracting
opportunities on the demo investments (run `investments_demo_load` first). Adds only what is missing."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from commontable.businesses import demo


class Command(BaseCommand):
    help = "Load fictional BIPOC-owned businesses and contracting opportunities on the demo investments."

    def add_arguments(self, parser):
        parser.add_argument("--allow-without-debug", action="store_true")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError("DEBUG is off: load the demo businesses only on a throwaway database (--allow-without-debug).")
        summary = demo.businesses_demo_load()
        self.stdout.write(
            f"Added {summary.businesses} businesses with {summary.certifications} certifications and "
            f"{summary.opportunities} contracting opportunities."
        )
        if summary.missing_investments:
            self.stdout.write(f"{summary.missing_investments} opportunities need the demo investments: run investments_demo_load first.")
