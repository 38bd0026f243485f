"""What the investment watch sends and publishes, registered with core's shared pieces (found by
`notifications_send_due` and the calendar-feed page): decision reminders to watchers, the name of
a watch on the unsubscribe page, and the personal feeds."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commontable.core import feeds, notifications
from commontable.investments.calendar import WATCH_TOPIC, decisions_due_for_reminders
from commontable.investments.models import Investment


def queue_due_reminders(now) -> int:
    """Queue one task per decision with a reminder due now (the task sends to every watcher)."""
    from commontable.investments.tasks import send_decision_reminders

    due = decisions_due_for_reminders(now)
    for decision_id, days in due:
        transaction.on_commit(lambda d=decision_id, n=days: send_decision_reminders.enqueue(d, n))
    return len(due)


def _watch_label(subscription) -> str:
    name = Investment.objects.filter(pk=subscription.object_id).values_list("name", flat=True).first()
    return _("reminders of hearings, votes and deadlines on %(name)s") % {"name": name or "?"}


notifications.register_due("investments.decision-reminders", queue_due_reminders)
notifications.register_topic(WATCH_TOPIC, _watch_label)
feeds.register_personal_feed("investments:decision_feed_personal", gettext_lazy("All decisions you may see"))
feeds.register_personal_feed("investments:decision_feed_watchlist", gettext_lazy("Decisions on investments you watch"))
