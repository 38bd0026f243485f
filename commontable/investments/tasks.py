"""Background work of the investment watch: reminders of decisions to their watchers (ADR 9)."""

from __future__ import annotations

from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from commontable.core import notifications
from commontable.investments import calendar
from commontable.investments.models import Decision, DecisionStatus


def _reminder(decision_id: int, days: int, user):
    """Render one watcher's reminder, re-checking at send time: the decision still exists, is
    still scheduled, this reminder is still the one due (not postponed away), and the watcher may
    still see it. None sends nothing."""

    def render(recipient: notifications.Recipient) -> notifications.Message | None:
        decision = Decision.objects.select_related("investment", "body").filter(pk=decision_id).first()
        if decision is None or decision.status != DecisionStatus.SCHEDULED or decision.starts_at is None:
            return None
        if calendar.reminder_offset_due(decision.starts_at, timezone.now()) != days:
            return None
        if user is None or not calendar.still_visible(user, decision):
            return None
        local = decision.local_start
        when = (formats.date_format(local, "DATETIME_FORMAT") + f" ({local.tzname()})" if local is not None
                else formats.date_format(decision.starts_on, "DATE_FORMAT"))
        context = {"decision": decision, "when": when,
                   "url": notifications.absolute(reverse("investments:decision_detail", args=[decision.public_id]))}
        return notifications.Message(
            subject=_("Reminder: %(title)s, %(when)s") % {"title": decision.title, "when": when},
            body=render_to_string("investments/decision_reminder_email.txt", context),
        )

    return render


@task
def send_decision_reminders(decision_id: int, days: int) -> dict:
    """Remind every watcher of the decision's investment, once each (the key holds the decision's
    time, so a postponed hearing is reminded again for its new date)."""
    decision = Decision.objects.filter(pk=decision_id).first()
    results: dict[str, int] = {}
    if decision is None or decision.starts_at is None:
        return results
    for subscription in notifications.subscribers(calendar.WATCH_TOPIC, decision.investment_id):
        result = notifications.deliver(subscription, key=calendar.reminder_key(decision, days, subscription.pk),
                                       render=_reminder(decision_id, days, subscription.user))
        results[result] = results.get(result, 0) + 1
    return results
