"""What scorecards tell the plan (objectives 1.4 and 1.6): proposals scored by the community,
scorers taking part (all, or one group; by language through the parameter "language:<code>"), and
asks from scorecards adopted (won or partly won)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commontable.core.indicators import Indicator, Reading
from commontable.scorecards.choices import ScorerGroup, SubmissionStatus
from commontable.scorecards.models import Submission


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def proposals_scored(dates: Sequence[dt.date], param: str = "") -> list[Reading]:
    """Investments with at least one submitted scorecard by the end of each date."""
    out = []
    for day in dates:
        n = (Submission.objects.filter(status=SubmissionStatus.SUBMITTED, submitted_at__lt=_end_of(day))
             .values("session__investment").distinct().count())
        out.append(Reading(value=float(n), n=n))
    return out


def _scorer_filter(param: str) -> Q:
    if param.startswith("language:"):
        return Q(language=param.removeprefix("language:"))
    if param in ScorerGroup.values:
        return Q(group=param)
    return Q()


def scorers(dates: Sequence[dt.date], param: str = "") -> list[Reading]:
    """Scorecards submitted by the end of each date (one per scorer and session)."""
    out = []
    for day in dates:
        n = Submission.objects.filter(_scorer_filter(param), status=SubmissionStatus.SUBMITTED,
                                      submitted_at__lt=_end_of(day)).count()
        out.append(Reading(value=float(n), n=n))
    return out


def asks_adopted(dates: Sequence[dt.date], param: str = "") -> list[Reading]:
    """Asks sent from scorecards to an investment's campaign that were won or partly won by each date."""
    from commontable.scorecards.models import SessionAsk

    out = []
    for day in dates:
        n = SessionAsk.objects.filter(ask__outcome__in=("won", "partly"), ask__outcome_on__lte=day).count()
        out.append(Reading(value=float(n), n=n))
    return out


def _scorer_choices() -> list[tuple[str, str]]:
    return ([("", str(_("Everyone")))] + [(value, str(label)) for value, label in ScorerGroup.choices]
            + [(f"language:{code}", str(name)) for code, name in settings.LANGUAGES])


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


INDICATORS = [
    Indicator(
        key="scorecards.proposals_scored",
        label=_("Proposals scored by the community"),
        counts=_("Proposed developments and investments with at least one submitted scorecard."),
        compute=proposals_scored,
        depends_on=("scorecards.Submission",),
        records_url=lambda param: _url("scorecards:session_list"),
    ),
    Indicator(
        key="scorecards.scorers",
        label=_("Scorers taking part"),
        counts=_("Scorecards submitted, one per scorer and session: everyone, one group of scorers or one language."),
        compute=scorers,
        depends_on=("scorecards.Submission",),
        records_url=lambda param: _url("scorecards:session_list"),
        params=_scorer_choices,
        param_label=_("Scorers"),
    ),
    Indicator(
        key="scorecards.asks_adopted",
        label=_("Asks from scorecards adopted"),
        counts=_("Asks drawn from a scorecard's weakest questions and sent to the investment's campaign that were won "
                 "or partly won."),
        compute=asks_adopted,
        depends_on=("scorecards.SessionAsk", "investments.CampaignAsk"),
        records_url=lambda param: _url("scorecards:session_list"),
    ),
]
