"""`manage.py scorecards_examples_load`: the two example rubrics (the Equitable Development
Scorecard and the climate and mobility lens), published as version 1. Real content, not demo data:
safe on any database; a rubric whose short name exists already is left as it is."""

from django.core.management.base import BaseCommand

from commontable.scorecards import demo


class Command(BaseCommand):
    help = "Load the example scorecard rubrics that are not there yet."

    def handle(self, *args, **options):
        created = demo.scorecards_demo_load()
        self.stdout.write(f"Added {len(created)} example rubric(s)." if created else "The example rubrics are there already.")
