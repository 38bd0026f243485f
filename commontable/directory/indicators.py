"""What the member directory can tell the plan: figures computed from its records, for any date.

Declared in `DirectoryConfig.indicators`; read by the plan only through `core.indicators`. Each
function answers a whole series in one or two queries (see `core/indicators.py`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commontable.core.indicators import Direction, Indicator, Reading, Unit, people_count, share
from commontable.core.visibility import Visibility
from commontable.directory.choices import CHANNEL_PURPOSES, BipocLed, MembershipStatus
from commontable.directory.models import (
    ConsentRecord,
    MembershipStatusChange,
    Organization,
    Table,
    TableParticipation,
)


def _end_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def _members_on(dates: Sequence[dt.date]) -> list[set[int]]:
    """The member organisations on each date, from the dated status history (one query)."""
    changes = (
        MembershipStatusChange.objects.filter(effective_on__lte=max(dates))
        .order_by("organization_id", "effective_on", "id")
        .values_list("organization_id", "status", "effective_on")
    )
    history: dict[int, list[tuple[dt.date, str]]] = {}
    for org_id, status, effective_on in changes:
        history.setdefault(org_id, []).append((effective_on, status))
    result = []
    for day in dates:
        members = set()
        for org_id, steps in history.items():
            status = None
            for effective_on, step_status in steps:
                if effective_on > day:
                    break
                status = step_status
            if status == MembershipStatus.MEMBER:
                members.add(org_id)
        result.append(members)
    return result


def member_organizations(dates: Sequence[dt.date], param: str = "") -> list[Reading]:
    return [Reading(value=float(len(members)), n=len(members)) for members in _members_on(dates)]


def bipoc_led_share(dates: Sequence[dt.date], param: str = "") -> list[Reading]:
    """Share of today's members that identify themselves as BIPOC-led. Self-identification has no
    history, so this answers for today only."""
    counts = Organization.objects.filter(membership_status=MembershipStatus.MEMBER).aggregate(
        whole=Count("pk"), part=Count("pk", filter=Q(bipoc_led=BipocLed.YES))
    )
    return [share(counts["part"], counts["whole"]) for _day in dates]


def values_affirmed(dates: Sequence[dt.date], param: str = "") -> list[Reading]:
    """Members whose values affirmation is current (affirmed, and renewal not yet overdue). Only the
    latest affirmation is kept, so this answers for today only."""
    result = []
    for day in dates:
        count = Organization.objects.filter(
            membership_status=MembershipStatus.MEMBER, values_affirmed_on__lte=day, renewal_due_on__gte=day
        ).count()
        result.append(Reading(value=float(count), n=count))
    return result


def tables_active(dates: Sequence[dt.date], param: str = "") -> list[Reading]:
    count = Table.objects.filter(is_active=True).count()
    return [Reading(value=float(count), n=count) for _day in dates]


def people_contact_consent(dates: Sequence[dt.date], param: str = "") -> list[Reading]:
    """People who may be contacted on at least one channel on each date: consent given by then,
    not withdrawn and not expired by then. Small counts are suppressed."""
    aggregates = {}
    for index, day in enumerate(dates):
        moment = _end_of_day(day)
        aggregates[f"d{index}"] = Count(
            "person_id",
            distinct=True,
            filter=Q(given_at__lt=moment)
            & (Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=moment))
            & (Q(expires_at__isnull=True) | Q(expires_at__gte=moment)),
        )
    counts = ConsentRecord.objects.filter(
        purpose__in=list(CHANNEL_PURPOSES.values()), person__merged_into__isnull=True
    ).aggregate(**aggregates)
    return [people_count(counts[f"d{index}"]) for index in range(len(dates))]


def table_organizations(dates: Sequence[dt.date], param: str = "") -> list[Reading]:
    """Organisations taking part in one table (the parameter, a table's slug) on each date."""
    aggregates = {
        f"d{index}": Count(
            "organization_id",
            distinct=True,
            filter=(Q(joined_on__isnull=True) | Q(joined_on__lte=day)) & (Q(left_on__isnull=True) | Q(left_on__gt=day)),
        )
        for index, day in enumerate(dates)
    }
    counts = TableParticipation.objects.filter(table__slug=param).aggregate(**aggregates)
    return [Reading(value=float(counts[f"d{index}"]), n=counts[f"d{index}"]) for index in range(len(dates))]


def _table_choices() -> list[tuple[str, str]]:
    # Tables that only their own participants may see are left out: a binding's label is shown to
    # everyone who can see the plan.
    return list(
        Table.objects.exclude(visibility__in=[Visibility.TABLE, Visibility.STAFF])
        .order_by("name")
        .values_list("slug", "name")
    )


def _url(name: str, **query) -> str:
    url = reverse(name)
    return f"{url}?{urlencode(query)}" if query else url


INDICATORS = [
    Indicator(
        key="directory.member_organizations",
        label=_("Member organizations"),
        counts=_("Organizations whose membership status was “member” on the day."),
        compute=member_organizations,
        depends_on=("directory.MembershipStatusChange", "directory.Organization"),
        records_url=lambda param: _url("directory:organization_list", membership_status=MembershipStatus.MEMBER),
    ),
    Indicator(
        key="directory.values_affirmed",
        label=_("Members with a current values affirmation"),
        counts=_("Member organizations that have affirmed the coalition's values and whose renewal is not overdue."),
        compute=values_affirmed,
        history=False,
        depends_on=("directory.Organization",),
        records_url=lambda param: _url("directory:organization_list", membership_status=MembershipStatus.MEMBER, values="current"),
    ),
    Indicator(
        key="directory.bipoc_led_share",
        label=_("BIPOC-led share of members"),
        counts=_("Member organizations that identify themselves as BIPOC-led, as a share of all member organizations."),
        compute=bipoc_led_share,
        unit=Unit.PERCENT,
        history=False,
        depends_on=("directory.Organization",),
        records_url=lambda param: _url("directory:organization_list", membership_status=MembershipStatus.MEMBER, bipoc_led=BipocLed.YES),
    ),
    Indicator(
        key="directory.tables_active",
        label=_("Active tables"),
        counts=_("Tables (coalitions inside the coalition) marked active."),
        compute=tables_active,
        history=False,
        depends_on=("directory.Table",),
        records_url=lambda param: _url("directory:table_list"),
    ),
    Indicator(
        key="directory.people_contact_consent",
        label=_("People who agreed to be contacted"),
        counts=_("People with a current consent to be contacted by email, text message or phone."),
        compute=people_contact_consent,
        depends_on=("directory.ConsentRecord", "directory.Person"),
        records_url=lambda param: _url("directory:person_list", contact_consent="yes"),
    ),
    Indicator(
        key="directory.table_organizations",
        label=_("Organizations taking part in a table"),
        counts=_("Organizations taking part in the table on the day (joined and not yet left)."),
        compute=table_organizations,
        depends_on=("directory.TableParticipation", "directory.Table"),
        records_url=lambda param: reverse("directory:table_detail", args=[param]) if param else None,
        params=_table_choices,
        param_label=_("Table"),
    ),
]

__all__ = ["INDICATORS", "Direction"]
