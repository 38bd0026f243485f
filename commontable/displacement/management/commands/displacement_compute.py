"""`manage.py displacement_compute T0 T1 [--region SLUG] [--profile twin_cities|udp_compat]`: compute a
region's typology, risk index and sensitivity flags for the survey windows ending T0 and T1."""

from django.core.management.base import BaseCommand, CommandError

from commontable.displacement import selectors, services
from commontable.displacement.choices import Profile
from commontable.displacement.models import Region


class Command(BaseCommand):
    help = "Compute the displacement typology, risk index and flags for a region and two survey windows."

    def add_arguments(self, parser):
        parser.add_argument("t0", type=int)
        parser.add_argument("t1", type=int)
        parser.add_argument("--region", help="Region short name (default: the default region).")
        parser.add_argument("--profile", default=Profile.TWIN_CITIES, choices=[choice.value for choice in Profile])
        parser.add_argument("--draws", type=int, default=100, help="Redraws within the margins for stability.")

    def handle(self, *args, **options):
        region = Region.objects.filter(slug=options["region"]).first() if options["region"] else selectors.region_default()
        if region is None:
            raise CommandError("No such region.")
        try:
            run = services.run_compute(region=region, profile=options["profile"], t0=options["t0"], t1=options["t1"],
                                       stability_draws=options["draws"])
        except services.CensusRefused as refused:
            raise CommandError("Nothing was computed.\n" + "\n".join(refused.problems[:100])) from None
        self.stdout.write(f"Computed {run.tract_count} tracts ({run.region.slug}, {run.profile}, {run.t0}–{run.t1}).")
