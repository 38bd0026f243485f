"""`manage.py displacement_demo_load`: a clearly labelled synthetic region (about 800 invented tracts,
invented survey values over two windows) and its computation, so the displacement map works out of
the box. Does nothing when tracts are loaded."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from commontable.displacement import demo


class Command(BaseCommand):
    help = "Load the synthetic demo region (invented tracts and survey values) and compute it."

    def add_arguments(self, parser):
        parser.add_argument("--allow-without-debug", action="store_true")
        parser.add_argument("--tracts", type=int, default=demo.TRACTS)

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError("DEBUG is off: load the demo region only on a throwaway database (--allow-without-debug).")
        summary = demo.displacement_demo_load(tracts=options["tracts"])
        if summary is None:
            self.stdout.write("Tracts are already loaded: the demo region was not added.")
        else:
            self.stdout.write(f"Loaded {summary.tracts} invented tracts, computed {summary.run_tracts}; "
                              f"{summary.reports} demo reports, {summary.policies} demo policy statuses.")
