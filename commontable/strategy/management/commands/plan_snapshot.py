"""`manage.py plan_snapshot`: keep today's value of bound indicators whose records keep no history,
so their trend can be drawn later. Run it daily (cron or a systemd timer); it is idempotent."""

from django.core.management.base import BaseCommand

from commontable.strategy import services


class Command(BaseCommand):
    help = "Record today's value of every bound indicator that cannot be computed for past dates."

    def handle(self, *args, **options):
        written = services.snapshot_record()
        self.stdout.write(f"{written} figures kept.")
