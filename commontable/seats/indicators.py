"""What seats at decision tables tell the plan (objectives 1.2 and 1.6): seats held by coalition
leaders (optionally on climate, environment and mobility bodies; the change since the plan's
start is the series' own), nominations made and appointments won, vacancies filled, and agency
processes logged with their average engagement score.

The plan's figures are seen by everyone who may see the plan, members included, so they leave out
staff-only bodies (a campaign still being planned: ADR 18) and staff-only processes: a figure
that moved when staff recorded a term on a hidden body would tell members that a leader sits on
it. Such a body counts from the day it is opened to members."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Avg, Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from commontable.core.indicators import Indicator, Reading, Unit
from commontable.core.visibility import Visibility
from commontable.seats.choices import NominationOutcome
from commontable.seats.models import EngagementProcess, Nomination, Term
from commontable.seats.selectors import CLIMATE_MOBILITY_TOPICS, serving_q

CLIMATE = "climate_mobility"


def _url(name: str, query: str = "") -> str | None:
    try:
        return reverse(name) + query
    except NoReverseMatch:
        return None


def _body_filter(param: str, prefix: str = "seat__body__") -> Q:
    """Bodies shown to members (see above), of the topic asked for, if any."""
    shown = ~Q(**{f"{prefix}visibility": Visibility.STAFF})
    if param == CLIMATE:
        return shown & Q(**{f"{prefix}topics__slug__in": CLIMATE_MOBILITY_TOPICS})
    if param:
        return shown & Q(**{f"{prefix}topics__slug": param})
    return shown


def seats_held_by_leaders(dates: Sequence[dt.date], param: str = "") -> list[Reading]:
    """Seats held on each date by people in the leadership pipeline (holdover included)."""
    out = []
    for day in dates:
        n = (Term.objects.filter(serving_q(day), _body_filter(param), holder_person__leader__isnull=False)
             .values("seat_id").distinct().count())
        out.append(Reading(value=float(n), n=n))
    return out


def nominations_made(dates: Sequence[dt.date], param: str = "") -> list[Reading]:
    """Nominations of coalition leaders to seats made by each date."""
    out = []
    for day in dates:
        n = Nomination.objects.filter(_body_filter(param), nominated_on__lte=day).values("pk").distinct().count()
        out.append(Reading(value=float(n), n=n))
    return out


def appointments_won(dates: Sequence[dt.date], param: str = "") -> list[Reading]:
    """Nominations that ended in an appointment by each date."""
    out = []
    for day in dates:
        n = (Nomination.objects.filter(_body_filter(param), outcome=NominationOutcome.APPOINTED, outcome_on__lte=day)
             .values("pk").distinct().count())
        out.append(Reading(value=float(n), n=n))
    return out


def vacancies_filled(dates: Sequence[dt.date], param: str = "") -> list[Reading]:
    """Terms begun by each date on a seat that was vacant the day before (by anyone: the
    region's bodies filling their seats at all; "leaders" counts coalition leaders only)."""
    out = []
    leaders = Q(holder_person__leader__isnull=False) if param == "leaders" else Q()
    for day in dates:
        n = Term.objects.filter(_body_filter(""), leaders, fills_vacancy=True, starts_on__lte=day).count()
        out.append(Reading(value=float(n), n=n))
    return out


def processes_logged(dates: Sequence[dt.date], param: str = "") -> list[Reading]:
    """Agency processes whose engagement was logged, held by each date."""
    out = []
    for day in dates:
        n = EngagementProcess.objects.exclude(visibility=Visibility.STAFF).filter(held_on__lte=day).count()
        out.append(Reading(value=float(n), n=n))
    return out


def engagement_score(dates: Sequence[dt.date], param: str = "") -> list[Reading]:
    """The average engagement score (0–100) of the scored processes held by each date."""
    out = []
    for day in dates:
        scored = EngagementProcess.objects.exclude(visibility=Visibility.STAFF).filter(
            held_on__lte=day, score__isnull=False)
        row = scored.aggregate(avg=Avg("score"))
        n = scored.count()
        out.append(Reading(value=round(float(row["avg"]), 1) if row["avg"] is not None else None, n=n))
    return out


def _topic_choices() -> list[tuple[str, str]]:
    from commontable.core.models import IssueTopic

    return ([("", str(_("All bodies"))), (CLIMATE, str(_("Climate, environment and mobility bodies")))]
            + [(t.slug, t.name) for t in IssueTopic.objects.order_by("name")])


INDICATORS = [
    Indicator(
        key="seats.held_by_leaders",
        label=_("Seats held by coalition leaders"),
        counts=_("Seats on public bodies held by people in the coalition's leadership pipeline, holdovers included; "
                 "all bodies, the climate, environment and mobility bodies, or one topic."),
        compute=seats_held_by_leaders,
        depends_on=("seats.Term", "seats.Leader", "seats.PublicBody"),
        records_url=lambda param: _url("seats:rollup"),
        params=_topic_choices,
        param_label=_("Bodies"),
    ),
    Indicator(
        key="seats.nominations",
        label=_("Nominations of coalition leaders"),
        counts=_("Leaders put forward for seats on public bodies."),
        compute=nominations_made,
        depends_on=("seats.Nomination", "seats.PublicBody"),
        records_url=lambda param: _url("seats:nomination_list"),
        params=_topic_choices,
        param_label=_("Bodies"),
    ),
    Indicator(
        key="seats.appointments",
        label=_("Appointments won"),
        counts=_("Nominations of coalition leaders that ended in an appointment."),
        compute=appointments_won,
        depends_on=("seats.Nomination", "seats.PublicBody"),
        records_url=lambda param: _url("seats:nomination_list", "?outcome=appointed"),
        params=_topic_choices,
        param_label=_("Bodies"),
    ),
    Indicator(
        key="seats.vacancies_filled",
        label=_("Vacancies filled"),
        counts=_("Terms begun on a seat that was vacant the day before: by anyone, or by coalition leaders."),
        compute=vacancies_filled,
        depends_on=("seats.Term", "seats.Leader", "seats.PublicBody"),
        records_url=lambda param: _url("seats:opening_list"),
        params=lambda: [("", str(_("By anyone"))), ("leaders", str(_("By coalition leaders")))],
        param_label=_("Filled"),
    ),
    Indicator(
        key="seats.processes_logged",
        label=_("Agency processes logged"),
        counts=_("Plans, hearings and comment periods whose community engagement was logged against the standard."),
        compute=processes_logged,
        depends_on=("seats.EngagementProcess",),
        records_url=lambda param: _url("seats:process_list"),
    ),
    Indicator(
        key="seats.engagement_score",
        label=_("Average engagement score"),
        counts=_("The average score (0–100) of the logged processes, against the standard: language access, "
                 "interpretation, accommodations, timing and place, and input that changed the decision."),
        compute=engagement_score,
        unit=Unit.OTHER,
        depends_on=("seats.EngagementProcess",),
        records_url=lambda param: _url("seats:process_list"),
    ),
]
