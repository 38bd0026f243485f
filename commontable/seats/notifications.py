"""What seats send and publish, registered with core's shared pieces (found by
`notifications_send_due` and the calendar-feed page): openings on watched bodies (vacancies and
terms ending within 90 days, with application deadlines), the name of a watch on the unsubscribe
page, and the personal feed of watched bodies' meetings.

A watcher is told once per *set* of openings: the message's key holds a digest of what is open,
so a new vacancy, a changed deadline or a new term ending soon makes a new message, and a run
that finds nothing new sends nothing. The openings are worked out again at send time, in what
the recipient may still see.
"""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commontable.core import feeds, notifications
from commontable.core.models import Subscription
from commontable.seats import selectors
from commontable.seats.models import PublicBody
from commontable.seats.permissions import visible_bodies
from commontable.seats.services import WATCH_TOPIC


def body_openings(user, body: PublicBody, today) -> tuple[list, list]:
    """The body's vacant seats and terms ending soon, as `user` may see them (none once dissolved)."""
    vacant = list(selectors.vacant_seats(user, today, body=body))
    ending = list(selectors.ending_terms(user, today, body=body))
    return vacant, ending


def openings_digest(vacant, ending) -> str:
    parts = [f"v{s.pk}:{s.deadline_kind}:{s.deadline_on}" for s in vacant]
    parts += [f"e{t.pk}:{t.ends_on}" for t in ending]
    return hashlib.sha256("|".join(sorted(parts)).encode()).hexdigest()[:16]


def send_openings(now) -> int:
    """Tell each watcher of a body about its openings when they changed since the last message."""
    today = timezone.localdate(now)
    watched = (Subscription.objects.filter(topic=WATCH_TOPIC, unsubscribed_at__isnull=True)
               .values_list("object_id", flat=True).distinct())
    sent = 0
    for body in PublicBody.objects.filter(pk__in=list(watched), dissolved_on__isnull=True).select_related(
            "jurisdiction"):
        for subscription in notifications.subscribers(WATCH_TOPIC, body.pk):
            user = subscription.user
            vacant, ending = body_openings(user, body, today)
            if not vacant and not ending:
                continue
            digest = openings_digest(vacant, ending)
            key = f"seats.openings:{body.pk}:{digest}:{subscription.pk}"

            def render(recipient, body=body, digest=digest):
                vacant_now, ending_now = body_openings(recipient.user, body, today)
                if (not vacant_now and not ending_now) or openings_digest(vacant_now, ending_now) != digest:
                    return None  # nothing open any more, or it changed again: the next run says so
                return notifications.Message(
                    subject=_("Openings on %(name)s") % {"name": body.name},
                    body=render_to_string("seats/openings_email.txt", {
                        "body": body, "vacant": vacant_now, "ending": ending_now,
                        "url": notifications.absolute(reverse("seats:body_detail", args=[body.slug])),
                    }),
                )

            if notifications.deliver(subscription, key=key, render=render) == notifications.Result.SENT:
                sent += 1
    return sent


def _watch_label(subscription) -> str:
    """The watch named on the unsubscribe page: the body's name only while the watcher may still
    see it (a body made staff-only since is not named to them)."""
    viewer = subscription.user or AnonymousUser()
    name = visible_bodies(viewer).filter(pk=subscription.object_id).values_list("name", flat=True).first()
    if name is None:
        return _("openings and meetings of a public body you watched")
    return _("openings and meetings of %(name)s") % {"name": name}


notifications.register_due("seats.openings", send_openings)
notifications.register_topic(WATCH_TOPIC, _watch_label)
feeds.register_personal_feed("seats:meeting_feed_watchlist", gettext_lazy("Meetings of public bodies you watch"))
