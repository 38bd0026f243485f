"""Reads of community reports: the staff list with its filters, a reporter's own reports, and
the counts per tract — public (only reports counted with consent, small counts suppressed so that
no hidden count can be worked out from the total) and exact (staff).

The public reads never hold a place finer than a tract, and only tracts with at least
`PUBLIC_MINIMUM` reports show a count (`core.suppression.suppress`, with complementary
suppression). Withdrawn reports are counted nowhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Q

from commontable.core.suppression import Cell, suppress, suppress_total
from commontable.displacement.models import CommunityReport
from commontable.displacement.permissions import visible_reports

PUBLIC_MINIMUM = 5


def reports_counted():
    """Reports that count anywhere: not withdrawn."""
    return CommunityReport.objects.filter(withdrawn_at__isnull=True)


def reports_counted_publicly():
    """Reports that count on public pages: not withdrawn, consent to be counted, inside a tract."""
    return reports_counted().filter(consent_aggregate=True).exclude(geoid="")


def _per_tract(reports) -> dict[str, int]:
    return dict(reports.order_by().values_list("geoid").annotate(n=Count("pk")).values_list("geoid", "n"))


def reports_per_tract_public() -> dict[str, Cell]:
    """{GEOID: Cell} of every tract with a report counted publicly: the count where it is at least
    five, otherwise hidden — and, so that a hidden count cannot be worked out by subtracting the
    shown ones from the total, the next smallest as well. A map must show a hidden tract exactly
    as one with no report. One query."""
    return suppress(_per_tract(reports_counted_publicly()), k=PUBLIC_MINIMUM)


def reports_per_tract_staff() -> dict[str, Cell]:
    """{GEOID: Cell} with the exact count of every tract's reports that are not withdrawn, with or
    without consent to public counting (staff see every report in full). One query."""
    return {geoid: Cell(n) for geoid, n in _per_tract(reports_counted().exclude(geoid="")).items()}


@dataclass(frozen=True)
class PublicCounts:
    """What the public page and API show: the tracts with a count, ordered by count then GEOID;
    the total (hidden when under five); and how many reports are in tracts not shown (never the
    count of one tract: suppression hides at least two)."""

    tracts: list[tuple[str, int]]
    total: Cell
    not_shown: int | None
    tracts_hidden: int


def public_counts() -> PublicCounts:
    """The public page's figures, from one query."""
    return public_counts_from(_per_tract(reports_counted_publicly()))


def public_counts_from(per_tract: dict[str, int]) -> PublicCounts:
    """The public figures from exact counts per tract (pure: no query)."""
    cells = suppress(per_tract, k=PUBLIC_MINIMUM)
    exact_total = sum(per_tract.values())
    shown = sorted(((g, c.value) for g, c in cells.items() if not c.suppressed), key=lambda t: (-t[1], t[0]))
    total = suppress_total(exact_total, k=PUBLIC_MINIMUM)
    hidden_tracts = sum(1 for c in cells.values() if c.suppressed)
    not_shown = None
    # The remainder is a sum over at least two hidden tracts (complementary suppression); with a
    # single tract hidden and nothing to pair it with, the remainder would be that tract's count,
    # so it is not given (nor is the total, which would give it by subtraction).
    if hidden_tracts >= 2 and not total.suppressed:
        not_shown = exact_total - sum(n for _g, n in shown)
    elif hidden_tracts == 1:
        total = Cell(None, True, "complementary")
    return PublicCounts(shown, total, not_shown, hidden_tracts if not total.suppressed else 0)


def report_list(user, *, kind: str = "", geoid: str = "", occurred_from: dt.date | None = None,
                occurred_to: dt.date | None = None, withdrawn: str = ""):
    """The reports a user may read one by one (staff: all; a member: their own), newest event
    first, filtered by kind, tract, the day it happened and whether it was withdrawn."""
    items = visible_reports(user)
    if kind:
        items = items.filter(kind=kind)
    if geoid:
        items = items.filter(geoid=geoid)
    if occurred_from:
        items = items.filter(occurred_on__gte=occurred_from)
    if occurred_to:
        items = items.filter(occurred_on__lte=occurred_to)
    if withdrawn == "yes":
        items = items.filter(withdrawn_at__isnull=False)
    elif withdrawn == "no":
        items = items.filter(withdrawn_at__isnull=True)
    return items.select_related("reporter").order_by("-occurred_on", "-created_at", "-id")


def received_counts(dates: Sequence[dt.date], days: int | None) -> list[int]:
    """Reports counted publicly that were received in the `days` days up to each date (or ever, by
    each date, when `days` is None), in one query."""
    aggregates = {}
    for i, day in enumerate(dates):
        condition = Q(created_at__date__lte=day)
        if days is not None:
            condition &= Q(created_at__date__gt=day - dt.timedelta(days=days))
        aggregates[f"d{i}"] = Count("pk", filter=condition)
    found = reports_counted().filter(consent_aggregate=True).aggregate(**aggregates) if dates else {}
    return [found[f"d{i}"] for i in range(len(dates))]
