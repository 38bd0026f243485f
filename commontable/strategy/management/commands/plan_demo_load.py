"""`manage.py plan_demo_load`: load the coalition's own plan as the default plan, with example
indicators, targets, measurements, action items and a board report, for the demo. Does nothing
when a plan is already there."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from commontable.strategy import demo


class Command(BaseCommand):
    help = "Load the coalition's plan as the default plan, with demo indicators and targets."

    def add_arguments(self, parser):
        parser.add_argument("--allow-without-debug", action="store_true")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError("DEBUG is off: load the demo plan only on a throwaway database (--allow-without-debug).")
        plan = demo.plan_demo_load()
        if plan is None:
            self.stdout.write("A plan is already loaded.")
        else:
            self.stdout.write(f"Loaded the plan {plan.title} ({plan.period_label}) as the default plan.")
