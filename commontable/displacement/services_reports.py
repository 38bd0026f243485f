"""Writes of community reports: a member records a displacement event they witnessed, and the
reporter (or staff) withdraws it.

A report is kept for staff whatever the reporter consents to; `consent_aggregate` decides only
whether it is counted on the public map. The tract is found from the point when the report is
made. Every write is audited (`displacement.report.<verb-ed>`) without the exact place, which stays
on the report for staff and the reporter alone.
"""

from __future__ import annotations

import datetime as dt
import math

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commontable.core.audit import log_action
from commontable.core.text import has_control_characters
from commontable.displacement.choices import ReportKind
from commontable.displacement.models import CommunityReport

# How many reports one person may make in 24 hours: enough for a community monitor walking a block
# of notices, few enough that one account cannot flood the public counts.
REPORTS_PER_DAY = 20
RATE_WINDOW = dt.timedelta(hours=24)
# The version of the consent wording on the report form; kept with each report.
CONSENT_TEXT_VERSION = "2026-11"
EARLIEST = dt.date(2000, 1, 1)
DESCRIPTION_MAX = 4000


class ReportRateLimited(ValidationError):
    """Too many reports from one person in the last 24 hours."""


def tract_for_point(lon: float, lat: float) -> str:
    """The GEOID of the tract holding the point, "" outside every tract known (the tract
    boundaries live in `displacement.selectors`)."""
    from commontable.displacement import selectors

    return selectors.tract_for_point(lon, lat) or ""


def _check(*, kind: str, description: str, occurred_on, lon, lat, today: dt.date) -> None:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if kind not in ReportKind.values:
        add("kind", _("Choose what happened."))
    if not isinstance(occurred_on, dt.date):
        add("occurred_on", _("Give the day it happened."))
    elif occurred_on > today:
        add("occurred_on", _("The day cannot be in the future."))
    elif occurred_on < EARLIEST:
        add("occurred_on", _("Give a day in 2000 or later."))
    for name, value, low, high in (("lat", lat, -90, 90), ("lon", lon, -180, 180)):
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
            add(name, _("Give the place as a number."))
        elif not low <= value <= high:
            add(name, _("Give a number from %(low)s to %(high)s.") % {"low": low, "high": high})
    if len(description) > DESCRIPTION_MAX:
        add("description", _("Keep it to %(max)d characters.") % {"max": DESCRIPTION_MAX})
    if has_control_characters(description):
        add("description", _("This field contains control characters (such as NUL), which are not allowed."))
    if errors:
        raise ValidationError(errors)


def _check_rate(actor, now: dt.datetime) -> None:
    # One person's reports are counted with their account row locked, so that two reports sent at
    # once cannot both slip under the limit (PostgreSQL; SQLite writes one transaction at a time).
    get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
    recent = list(CommunityReport.objects.filter(reporter=actor, created_at__gt=now - RATE_WINDOW)
                  .order_by("created_at").values_list("created_at", flat=True))
    if len(recent) >= REPORTS_PER_DAY:
        again = recent[len(recent) - REPORTS_PER_DAY] + RATE_WINDOW
        raise ReportRateLimited(
            ngettext(
                "You have sent %(count)d report in the last 24 hours, the most we take from one person in a day. "
                "Thank you — please send the next one after %(time)s.",
                "You have sent %(count)d reports in the last 24 hours, the most we take from one person in a day. "
                "Thank you — please send the next one after %(time)s.",
                len(recent),
            ) % {"count": len(recent), "time": date_format(timezone.localtime(again), "SHORT_DATETIME_FORMAT")},
            code="rate_limited",
        )


@transaction.atomic
def report_create(
    *, actor, kind: str, occurred_on: dt.date, lat: float, lon: float, description: str = "",
    consent_aggregate: bool = False, consent_contact: bool = False, language: str = "", today: dt.date | None = None,
) -> CommunityReport:
    """Record a displacement event a member witnessed: what, when (not in the future, not before
    2000) and where (a point; its tract is found here). Kept for staff in full; counted publicly,
    per tract, only with `consent_aggregate`. At most REPORTS_PER_DAY per person in 24 hours."""
    description = (description or "").strip()
    _check(kind=kind, description=description, occurred_on=occurred_on, lon=lon, lat=lat,
           today=today or timezone.localdate())
    now = timezone.now()
    _check_rate(actor, now)
    lon, lat = round(float(lon), 6), round(float(lat), 6)
    report = CommunityReport(
        kind=kind, description=description, occurred_on=occurred_on, lon=lon, lat=lat,
        geoid=tract_for_point(lon, lat), consent_aggregate=bool(consent_aggregate),
        consent_contact=bool(consent_contact), consent_text_version=CONSENT_TEXT_VERSION,
        language=(language or "")[:10], reporter=actor,
    )
    report.full_clean()
    report.save()
    log_action(report, "displacement.report.created", actor=actor, data={
        "kind": kind, "tract": report.geoid, "occurred_on": occurred_on.isoformat(),
        "consent_aggregate": report.consent_aggregate, "consent_contact": report.consent_contact,
    })
    return report


@transaction.atomic
def report_withdraw(*, actor, report: CommunityReport) -> CommunityReport:
    """Withdraw a report: it stays for the record but is counted nowhere from now on."""
    report = CommunityReport.objects.select_for_update().get(pk=report.pk)
    if report.withdrawn_at is not None:
        raise ValidationError(_("This report was already withdrawn."), code="withdrawn")
    report.withdrawn_at = timezone.now()
    report.save(update_fields=["withdrawn_at", "updated_at"])
    by_reporter = actor is not None and actor.pk == report.reporter_id
    log_action(report, "displacement.report.withdrawn", actor=actor, data={"by_reporter": by_reporter})
    return report
