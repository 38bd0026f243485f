"""The displacement watch's digest, on core's notifications (ADR 9): people who watch a place (a
county, a tract, any `core.Place` with a census code) or an investment get, once a week when there
is something to say, the tier-1 tracts there or near it from the current computation, as they may
see them, in their language. Re-checked at sending: an investment the watcher can no longer see
counts for nothing, and an empty digest is not sent."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from commontable.core import notifications
from commontable.core.models import Place
from commontable.displacement import selectors

PLACE_TOPIC = "displacement.place"
INVESTMENT_TOPIC = "displacement.investment"
TOPICS = (PLACE_TOPIC, INVESTMENT_TOPIC)


def _week(now: dt.datetime) -> str:
    year, week, _day = now.isocalendar()
    return f"{year}-W{week:02d}"


def place_tracts(place: Place, run) -> list[str]:
    """GEOIDs of a run's tracts inside a place, by its census code (state, county or tract)."""
    code = (place.code or "").strip()
    if not code.isdigit() or len(code) not in (2, 5, 11):
        return []
    return list(run.results.filter(geoid__startswith=code).values_list("geoid", flat=True))


def digest_rows(subscription, user) -> tuple[str, list]:
    """(what is watched, tier-1 alert rows there) for one subscription, as `user` may see them."""
    run = selectors.run_current()
    if run is None:
        return "", []
    rows = selectors.alert_rows(run, user=user, tier=1)
    if subscription.topic == PLACE_TOPIC:
        place = Place.objects.filter(pk=subscription.object_id).first()
        if place is None:
            return "", []
        inside = set(place_tracts(place, run))
        return place.name, [row for row in rows if row.geoid in inside]
    from commontable.investments.permissions import visible_investments

    investment = visible_investments(user).filter(pk=subscription.object_id).first()
    if investment is None:
        return "", []
    return investment.name, [row for row in rows if any(item.slug == investment.slug for item in row.investments)]


def send_digests(now: dt.datetime) -> int:
    """Send this week's digest to every watcher with something to read (once per week and per
    set of tracts: a re-run sends nothing twice). Returns how many were sent."""
    from django.core.cache import cache

    from commontable.core.models import Subscription

    run = selectors.run_current()
    if run is None:
        return 0
    # Once a day is enough to look: the computation changes rarely.
    marker = f"displacement.digest-checked:{now.date().isoformat()}:{run.public_id}"
    if not cache.add(marker, True, 60 * 60 * 26):
        return 0
    sent = 0
    week = _week(now)
    for subscription in Subscription.objects.filter(topic__in=TOPICS, unsubscribed_at__isnull=True).select_related("user"):
        def render(recipient, subscription=subscription):
            watched, rows = digest_rows(subscription, recipient.user)
            if not rows:
                return None
            subject = _("Displacement alerts: %(count)s tier-1 tracts in or near %(name)s") % {
                "count": len(rows), "name": watched}
            body = render_to_string("displacement/email/digest.txt", {
                "watched": watched, "rows": rows, "run": run,
                "map_url": notifications.absolute(reverse("displacement:alert_list")),
            })
            return notifications.Message(subject=subject, body=body)

        _watched, rows = digest_rows(subscription, subscription.user)
        if not rows:
            continue
        fingerprint = hashlib.sha256(",".join(sorted(row.geoid for row in rows)).encode()).hexdigest()[:12]
        key = f"displacement.digest:{subscription.pk}:{week}:{run.public_id}:{fingerprint}"
        if notifications.deliver(subscription, key=key, render=render) == notifications.Result.SENT:
            sent += 1
    return sent


def _label(subscription) -> str:
    if subscription.topic == PLACE_TOPIC:
        name = Place.objects.filter(pk=subscription.object_id).values_list("name", flat=True).first()
    else:
        from commontable.investments.models import Investment

        name = Investment.objects.filter(pk=subscription.object_id).values_list("name", flat=True).first()
    return _("displacement alerts in or near %(name)s") % {"name": name or "?"}


notifications.register_due("displacement.digests", send_digests)
notifications.register_topic(PLACE_TOPIC, _label)
notifications.register_topic(INVESTMENT_TOPIC, _label)
