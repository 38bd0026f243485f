"""Queue the reminders that are due now (run every 15 minutes by cron or a systemd timer, ADR 9).

Each app that sends reminders registers a sender in its `notifications.py`; every sender finds
what is due and queues tasks, which re-check everything when they send and send each message once
(a delivery key), so running this twice, or late, is harmless."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from commontable.core import notifications


class Command(BaseCommand):
    help = "Queue the notifications (reminders) that are due now; safe to run again."

    def handle(self, *args, **options):
        now = timezone.now()
        for name, sender in sorted(notifications.due_senders().items()):
            queued = sender(now)
            self.stdout.write(f"{name}: {queued} queued")
