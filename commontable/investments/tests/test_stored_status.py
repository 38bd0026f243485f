"""A commitment's status is stored with the last day it holds (ADR 8), so that the lists count and
filter on an index: the stored status must be the rules' status on every day it claims to hold,
change the day after, be written by the services, and the lists must give the rules' status on
any day, whether or not the daily refresh ran."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from commontable.core.testing import login_as
from commontable.core.visibility import viewer_for
from commontable.investments import selectors, services
from commontable.investments.choices import Compliance, TargetDirection
from commontable.investments.compliance import NEVER_CHANGES, commitment_status, status_holds_until
from commontable.investments.models import Commitment
from commontable.investments.pages import PAGES
from commontable.investments.tests.factories import (
    CommitmentFactory,
    CommitmentReportFactory,
    InvestmentFactory,
    ObligorFactory,
)

DAY = dt.timedelta(days=1)
BASE = dt.date(2026, 1, 1)

days = st.integers(min_value=-900, max_value=900).map(lambda n: BASE + n * DAY)
values = st.decimals(min_value=0, max_value=1000, places=4, allow_nan=False, allow_infinity=False)


@st.composite
def commitments(draw):
    starts_on = draw(days)
    deadline = starts_on + draw(st.integers(min_value=1, max_value=1500)) * DAY
    reported = draw(st.booleans())
    return {
        "direction": draw(st.sampled_from(TargetDirection.values)),
        "target": draw(values),
        "starts_on": starts_on,
        "deadline": deadline,
        "latest_value": draw(values) if reported else None,
        "latest_on": starts_on + draw(st.integers(min_value=0, max_value=1600)) * DAY if reported else None,
    }


@given(commitments(), days, st.integers(min_value=0, max_value=2000))
def test_the_status_holds_through_its_last_day_and_changes_the_day_after(facts, today, offset):
    status = commitment_status(**facts, today=today)
    until = status_holds_until(**facts, today=today)
    assert until >= today
    later = min(today + offset * DAY, until)
    assert commitment_status(**facts, today=later) == status
    assert commitment_status(**facts, today=until) == status
    if until != NEVER_CHANGES:
        assert commitment_status(**facts, today=until + DAY) != status


def python_status(commitment, day) -> str:
    commitment.refresh_from_db()
    return commitment_status(direction=commitment.direction, target=commitment.target, starts_on=commitment.starts_on,
                             deadline=commitment.deadline, latest_value=commitment.latest_value,
                             latest_on=commitment.latest_on, today=day)


def test_the_services_store_the_status_the_rules_give(db, personas):
    staff = personas.user("staff")
    today = timezone.localdate()
    commitment = services.commitment_create(
        actor=staff, investment=InvestmentFactory(), source="cba", obligor=ObligorFactory(), text="Local hires",
        category="local_hire", unit="hours", target="1000", starts_on=today - 100 * DAY, deadline=today + 100 * DAY,
    )
    commitment.refresh_from_db()
    assert (commitment.stored_status, commitment.stored_status_on, commitment.stored_status_until) == (
        Compliance.NO_DATA, today, NEVER_CHANGES)
    services.commitment_report_add(actor=staff, commitment=commitment, value="450", as_of=today)
    commitment.refresh_from_db()
    # 450 of 1,000 half way: on 90 % of the line; silence makes it at risk after 180 days, but the
    # deadline comes first
    assert (commitment.stored_status, commitment.stored_status_on, commitment.stored_status_until) == (
        Compliance.ON_TRACK, today, today + 100 * DAY)
    services.commitment_report_add(actor=staff, commitment=commitment, value="1000", as_of=today)
    commitment.refresh_from_db()
    assert (commitment.stored_status, commitment.stored_status_until) == (Compliance.MET, NEVER_CHANGES)


def test_the_lists_give_the_rules_status_on_every_day_with_or_without_the_daily_refresh(db, personas):
    staff = personas.user("staff")
    today = timezone.localdate()
    obligor = ObligorFactory()
    made = []
    for n, (direction, target, start, length, reports) in enumerate([
        ("at_least", "100", -100, 200, [("45", 0)]),  # on track until the deadline or 180 days of silence
        ("at_least", "100", -100, 400, [("60", -10)]),  # on track, silent from day 171
        ("at_least", "100", -300, 310, [("10", -200)]),  # at risk, then missed after the deadline
        ("at_least", "100", -50, 100, []),  # no data whatever the day
        ("at_least", "100", -50, 100, [("100", -1)]),  # met for good
        ("at_most", "10", -20, 30, [("3", -2)]),  # on track, then met after the deadline
        ("at_most", "10", -20, 30, [("11", -2)]),  # at risk, then missed after the deadline
    ]):
        commitment = CommitmentFactory(direction=direction, target=Decimal(target), obligor=obligor,
                                       starts_on=today + start * DAY, deadline=today + (start + length) * DAY,
                                       text=f"Promise {n}")
        for value, on in reports:
            CommitmentReportFactory(commitment=commitment, value=Decimal(value), as_of=today + on * DAY)
        made.append(commitment)
    boundaries = {today}
    for commitment in Commitment.objects.all():
        until = commitment.stored_status_until
        boundaries |= {commitment.deadline, commitment.deadline + DAY}
        if until not in (None, NEVER_CHANGES):  # None: made without the services, never stored
            boundaries |= {until, until + DAY}
    for day in sorted(boundaries | {today + 500 * DAY}):
        expected = {c.pk: python_status(c, day) for c in made}
        # as the lists see it on that day before the daily refresh, then after it
        for refreshed in (False, True):
            if refreshed:
                Commitment.objects.filter(selectors.stored_status_stale(day)).refresh_status(day)
                assert not Commitment.objects.filter(selectors.stored_status_stale(day)).exists()
            listed = dict(selectors.commitment_list(staff, today=day).values_list("pk", "status"))
            assert listed == expected, (day, refreshed)
            for status in Compliance.values:
                filtered = set(selectors.commitment_list(staff, status=status, today=day).values_list("pk", flat=True))
                assert filtered == {pk for pk, value in expected.items() if value == status}, (day, refreshed, status)


def test_the_daily_refresh_writes_only_the_statuses_that_no_longer_hold(db, capsys):
    today = timezone.localdate()
    settled = CommitmentFactory(starts_on=today - 50 * DAY, deadline=today + 50 * DAY)
    changing = CommitmentFactory(starts_on=today - 50 * DAY, deadline=today + 50 * DAY)
    CommitmentReportFactory(commitment=settled, value=Decimal(100), as_of=today)
    CommitmentReportFactory(commitment=changing, value=Decimal(90), as_of=today)
    call_command("investments_status_refresh")
    assert "0 commitment statuses refreshed" in capsys.readouterr().out
    # as if stored yesterday with its last day yesterday (its deadline, say): refreshed today
    Commitment.objects.filter(pk=changing.pk).update(stored_status_until=today - DAY, stored_status_on=today - DAY)
    unset = Commitment.objects.create(**{f: getattr(settled, f) for f in ("investment", "obligor", "source", "category",
                                                                          "unit", "target", "starts_on", "deadline")})
    call_command("investments_status_refresh")
    assert "2 commitment statuses refreshed" in capsys.readouterr().out
    stored = dict(Commitment.objects.values_list("pk", "stored_status"))
    assert stored == {settled.pk: Compliance.MET, changing.pk: Compliance.ON_TRACK, unset.pk: Compliance.NO_DATA}


@pytest.mark.parametrize("stale", [False, True])
def test_the_status_filter_reads_the_index_when_every_stored_status_holds(db, personas, django_assert_num_queries, stale):
    today = timezone.localdate()
    for n in range(6):
        commitment = CommitmentFactory(starts_on=today - 50 * DAY, deadline=today + 50 * DAY, text=f"Promise {n}")
        CommitmentReportFactory(commitment=commitment, value=Decimal(10 if n % 2 else 90), as_of=today)
    if stale:
        Commitment.objects.filter(text="Promise 0").update(stored_status=None, stored_status_on=None, stored_status_until=None)
    staff = personas.user("staff")
    viewer_for(staff)  # who the user is, looked up once a request
    # whether a stored status does not hold today (one indexed EXISTS); the matching rows
    with django_assert_num_queries(2) as captured:
        rows = list(selectors.commitment_list(staff, status=Compliance.AT_RISK).values_list("pk", flat=True))
    assert len(rows) == 3
    sql = captured.captured_queries[-1]["sql"]
    assert ("CASE" in sql) is stale  # the rules run in SQL only where a stored status does not hold


@pytest.mark.parametrize("rows", [5, 15])
def test_the_list_filtered_by_status_has_a_constant_number_of_queries(client, personas, django_assert_num_queries, rows):
    today = timezone.localdate()
    investment = InvestmentFactory(visibility="members")
    for n in range(rows):
        commitment = CommitmentFactory(investment=investment, obligor=ObligorFactory(), text=f"Row {n}",
                                       starts_on=today - 50 * DAY, deadline=today + 50 * DAY, visibility="members")
        CommitmentReportFactory(commitment=commitment, value=Decimal(10), as_of=today)  # at risk
    login_as(client, personas, "member_a")
    url = reverse("investments:commitment_list")
    client.get(url, {"status": "at_risk"})  # warm the content-type cache
    PAGES.changed()  # a cold page: built from the data, not served from the page cache
    # session, user, the viewer kept in the cache (no query); whether every stored status holds today; the
    # paginator's count and the page's ids on the stored status; the page of commitments with
    # investment and obligor; the filter's choices: how many investments, obligors, investments.
    with django_assert_num_queries(9):
        response = client.get(url, {"status": "at_risk"})
    assert response.context["page_obj"].paginator.count == rows
    assert {c.status for c in response.context["commitments"]} == {Compliance.AT_RISK}
