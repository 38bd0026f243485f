"""Reads of the anti-displacement policy inventory: the jurisdiction × policy matrix, one
jurisdiction's policies, one policy with its dated status history and the campaigns behind it
(only those the viewer may see), and the figures the plan counts.

Policies are public. Campaigns come from the investment watch through its selectors, so a
members-only campaign never shows to the public.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404

from commontable.core.models import Place
from commontable.displacement.choices import PolicyStatus
from commontable.displacement.models import Policy, PolicyType

# The places that make policy, from the widest; the matrix lists them in this order.
JURISDICTION_KINDS = (Place.Kind.STATE, Place.Kind.REGION, Place.Kind.COUNTY, Place.Kind.CITY)

# A mark beside every status, so that it never rests on colour alone (and survives printing in
# black and white): the word is always shown too.
STATUS_SYMBOLS = {
    PolicyStatus.NONE: "○",
    PolicyStatus.PROPOSED: "◐",
    PolicyStatus.ADOPTED: "●",
    PolicyStatus.REPEALED: "⊘",
}


@dataclass(frozen=True)
class StatusLabel:
    """A status as shown: its code (for styling), its word and its mark."""

    code: str
    label: str
    symbol: str


def status_label(status: str) -> StatusLabel:
    status = status or PolicyStatus.NONE
    return StatusLabel(status, str(PolicyStatus(status).label), STATUS_SYMBOLS[PolicyStatus(status)])


def status_legend() -> list[StatusLabel]:
    return [status_label(value) for value in PolicyStatus.values]


def _kind_order():
    return Case(*[When(kind=kind, then=Value(i)) for i, kind in enumerate(JURISDICTION_KINDS)],
                output_field=IntegerField())


def jurisdiction_kind_choices() -> list[tuple[str, str]]:
    labels = dict(Place.Kind.choices)
    return [(kind.value, str(labels[kind])) for kind in JURISDICTION_KINDS]


def jurisdiction_list(kind: str = ""):
    """Places that make policy (state, region, county, city), widest first, by name."""
    kinds = [kind] if kind in JURISDICTION_KINDS else list(JURISDICTION_KINDS)
    return Place.objects.filter(kind__in=kinds).annotate(kind_order=_kind_order()).order_by("kind_order", "name")


def jurisdiction_get(slug: str) -> Place:
    """A jurisdiction by slug; any other place, or none, answers 404."""
    return get_object_or_404(Place, slug=slug, kind__in=JURISDICTION_KINDS)


def policy_type_list():
    return PolicyType.objects.order_by("position", "name")


def policy_type_get(slug: str) -> PolicyType:
    return get_object_or_404(PolicyType, slug=slug)


def policy_get(jurisdiction: Place, policy_type: PolicyType) -> Policy | None:
    """The record of where a jurisdiction stands on a policy type, or None (no status recorded)."""
    return Policy.objects.filter(jurisdiction=jurisdiction, policy_type=policy_type).first()


class PolicyFacts(NamedTuple):
    """What the matrix shows and exports of a policy, read as plain values (no model instances:
    a few hundred jurisdictions make thousands of cells)."""

    status: str
    status_date: dt.date | None
    source_url: str
    source_note: str
    notes: str


@dataclass
class MatrixCell:
    policy_type: PolicyType
    policy: Policy | PolicyFacts | None
    status: StatusLabel

    @property
    def recorded(self) -> bool:
        return self.policy is not None


@dataclass
class MatrixRow:
    jurisdiction: Place
    cells: list[MatrixCell]

    @property
    def adopted(self) -> int:
        return sum(1 for c in self.cells if c.status.code == PolicyStatus.ADOPTED)


@dataclass
class Matrix:
    policy_types: list[PolicyType]
    rows: list[MatrixRow]


def policy_matrix(kind: str = "") -> Matrix:
    """Rows of jurisdictions (widest first), columns of policy types, each cell the status (none
    where nothing is recorded). Three queries whatever the size: places, types, policies."""
    jurisdictions = list(jurisdiction_list(kind))
    types = list(policy_type_list())
    found = {
        (jurisdiction_id, type_id): PolicyFacts(*facts)
        for jurisdiction_id, type_id, *facts in Policy.objects.filter(jurisdiction__in=[j.pk for j in jurisdictions])
        .values_list("jurisdiction_id", "policy_type_id", "status", "status_date", "source_url", "source_note", "notes")
    }
    labels = {code: status_label(code) for code in PolicyStatus.values}
    rows = []
    for place in jurisdictions:
        cells = []
        for policy_type in types:
            policy = found.get((place.pk, policy_type.pk))
            cells.append(MatrixCell(policy_type, policy, labels[policy.status if policy else PolicyStatus.NONE]))
        rows.append(MatrixRow(place, cells))
    return Matrix(types, rows)


def jurisdiction_policies(jurisdiction: Place) -> list[MatrixCell]:
    """Every policy type with where this jurisdiction stands on it (two queries)."""
    found = {p.policy_type_id: p for p in Policy.objects.filter(jurisdiction=jurisdiction)}
    return [MatrixCell(t, found.get(t.pk), status_label(found[t.pk].status if t.pk in found else ""))
            for t in policy_type_list()]


def policy_list(*, jurisdiction: Place | None = None, policy_type: PolicyType | None = None, status: str = "",
                kind: str = ""):
    """Recorded policies (a jurisdiction × type with a status), by jurisdiction and type."""
    items = Policy.objects.select_related("jurisdiction", "policy_type")
    if jurisdiction is not None:
        items = items.filter(jurisdiction=jurisdiction)
    if policy_type is not None:
        items = items.filter(policy_type=policy_type)
    if status:
        items = items.filter(status=status)
    if kind:
        items = items.filter(jurisdiction__kind=kind)
    return items.order_by("jurisdiction__name", "policy_type__position", "policy_type__name", "pk")


@dataclass(frozen=True)
class StatusChange:
    """One entry of a policy's history: status X since a date, with its source."""

    status: StatusLabel
    status_date: dt.date | None
    source_url: str
    source_note: str
    recorded_at: dt.datetime


def _changes(records) -> list[StatusChange]:
    """Historical records (oldest first) as status changes: a record that keeps the status, its
    date and its source (a note changed, a campaign linked) is not a change; one that keeps the
    status but moves its date or source corrects the entry before it."""
    changes: list[StatusChange] = []
    for record in records:
        entry = StatusChange(status_label(record.status), record.status_date, record.source_url or "",
                             record.source_note or "", record.history_date)
        if changes and changes[-1].status.code == entry.status.code:
            last = changes[-1]
            if (last.status_date, last.source_url, last.source_note) != (entry.status_date, entry.source_url,
                                                                       entry.source_note):
                changes[-1] = StatusChange(entry.status, entry.status_date, entry.source_url, entry.source_note,
                                           last.recorded_at)
            continue
        changes.append(entry)
    return changes


def policy_history(policy: Policy | None) -> list[StatusChange]:
    """The statuses a policy has had, newest first (one query)."""
    if policy is None:
        return []
    records = policy.history.order_by("history_date", "history_id").only(
        "status", "status_date", "source_url", "source_note", "history_date")
    return list(reversed(_changes(records)))


def policy_campaigns(policy: Policy | None, user) -> list:
    """The campaign asks linked to a policy that the viewer may see (on investments they may see),
    with their investment."""
    if policy is None:
        return []
    from commontable.investments import selectors as investment_selectors

    return list(investment_selectors.ask_list(user).filter(displacement_policies=policy).prefetch_related(None))


def campaign_choices(user):
    """The asks a policy can be linked to: those the editor may see."""
    from commontable.investments import selectors as investment_selectors

    return investment_selectors.ask_list(user).prefetch_related(None)


# --- the plan's figures -------------------------------------------------------------------------


def adopted_counts(dates: Sequence[dt.date], jurisdiction_slug: str = "") -> list[int]:
    """How many policies stood adopted at the end of each date (in one jurisdiction, or in all),
    by the status dates in each policy's history: a policy adopted in 2019 and repealed in 2023
    counts for 2020 but not for 2024. One query whatever the number of dates."""
    history = Policy.history.model.objects.all()
    if jurisdiction_slug:
        history = history.filter(jurisdiction__slug=jurisdiction_slug)
    records: dict[int, list] = {}
    deleted: set[int] = set()
    for row in history.order_by("history_date", "history_id").only(
            "id", "status", "status_date", "source_url", "source_note", "history_date", "history_type"):
        if row.history_type == "-":  # a deleted record stands nowhere
            deleted.add(row.id)
        records.setdefault(row.id, []).append(row)
    timelines = [_changes(rows) for pk, rows in records.items() if pk not in deleted]
    # A status without a date (none, or proposed on an unknown day) holds from when it was recorded.
    dated = [[(c.status_date or c.recorded_at.date(), c.status.code) for c in changes] for changes in timelines]
    counts = []
    for day in dates:
        adopted = 0
        for changes in dated:
            # The latest change on or before the day; of two on the same day, the one recorded later.
            current = None
            for when, status in changes:
                if when <= day and (current is None or when >= current[0]):
                    current = (when, status)
            if current is not None and current[1] == PolicyStatus.ADOPTED:
                adopted += 1
        counts.append(adopted)
    return counts
