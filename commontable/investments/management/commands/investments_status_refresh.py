"""`manage.py investments_status_refresh`: store today's status of every commitment whose stored
status no longer holds (the day after its deadline, the 181st day of silence) or was never stored.

Run it daily, shortly after midnight in the coalition's time zone (cron or a systemd timer). The
lists are right without it (they compute in SQL the status of the rows it would refresh, ADR 8);
it keeps them on their index. Idempotent: a second run the same day writes nothing."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from commontable.investments.models import Commitment
from commontable.investments.selectors import stored_status_stale


class Command(BaseCommand):
    help = "Store today's status of the commitments whose stored status no longer holds."

    def handle(self, *args, **options):
        today = timezone.localdate()
        count = Commitment.objects.filter(stored_status_stale(today)).refresh_status(today)
        self.stdout.write(f"{count} commitment statuses refreshed for {today.isoformat()}.")
