"""A commitment keeps its latest report (by as_of, then id) in `latest_value`/`latest_on`, which
the lists' status reads instead of a subquery: written when a report is added, filled for the
reports that existed by migration 0003, always the same as the subquery over the reports."""

import datetime as dt
import importlib
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from commontable.investments import selectors, services
from commontable.investments.models import Commitment, CommitmentReport
from commontable.investments.tests.factories import CommitmentFactory, CommitmentReportFactory

fill = importlib.import_module("commontable.investments.migrations.0003_commitment_latest_report")


@pytest.fixture
def staff(personas):
    return personas.users["staff"]


def by_subquery() -> dict[int, tuple]:
    latest = CommitmentReport.objects.filter(commitment=OuterRef("pk")).order_by("-as_of", "-id")
    return {
        pk: (value, on)
        for pk, value, on in Commitment.objects.annotate(
            value_now=Subquery(latest.values("value")[:1]), on_now=Subquery(latest.values("as_of")[:1])
        ).values_list("pk", "value_now", "on_now")
    }


def by_columns() -> dict[int, tuple]:
    return {pk: (value, on) for pk, value, on in Commitment.objects.values_list("pk", "latest_value", "latest_on")}


def test_an_older_report_does_not_replace_the_latest(db, staff):
    commitment = CommitmentFactory(starts_on=dt.date(2024, 1, 1), target=Decimal(100))
    services.commitment_report_add(actor=staff, commitment=commitment, value="40", as_of=dt.date(2025, 3, 1))
    assert (commitment.latest_value, commitment.latest_on) == (Decimal(40), dt.date(2025, 3, 1))
    services.commitment_report_add(actor=staff, commitment=commitment, value="10", as_of=dt.date(2024, 6, 1))
    commitment.refresh_from_db()
    assert (commitment.latest_value, commitment.latest_on) == (Decimal(40), dt.date(2025, 3, 1))
    # on the same day, the one written last counts (as the reports' order says)
    services.commitment_report_add(actor=staff, commitment=commitment, value="45", as_of=dt.date(2025, 3, 1))
    commitment.refresh_from_db()
    assert (commitment.latest_value, commitment.latest_on) == (Decimal(45), dt.date(2025, 3, 1))
    services.commitment_report_add(actor=staff, commitment=commitment, value="50", as_of=dt.date(2025, 4, 1))
    commitment.refresh_from_db()
    assert (commitment.latest_value, commitment.latest_on) == (Decimal(50), dt.date(2025, 4, 1))
    assert by_columns() == by_subquery()
    assert not commitment.history.filter(history_type="~").exists()  # derived columns: not in the history


def test_the_migration_fills_the_same_latest_report_as_the_subquery(db):
    none = CommitmentFactory()
    one = CommitmentFactory()
    CommitmentReportFactory(commitment=one, value=Decimal("7.5"), as_of=dt.date(2024, 5, 1))
    shuffled = CommitmentFactory()
    for value, on in (("3", "2024-09-01"), ("9", "2024-12-01"), ("1", "2024-02-01"), ("8", "2024-12-01")):
        CommitmentReportFactory(commitment=shuffled, value=Decimal(value), as_of=dt.date.fromisoformat(on))
    expected = by_subquery()
    assert expected[none.pk] == (None, None)
    assert expected[shuffled.pk] == (Decimal(8), dt.date(2024, 12, 1))
    assert by_columns() == expected  # as written by the factory (as by the service)

    Commitment.objects.update(latest_value=None, latest_on=None)  # as before the migration
    fill.fill_latest_report(django_apps, None)
    assert by_columns() == expected
    fill.clear_latest_report(django_apps, None)
    assert set(by_columns().values()) == {(None, None)}


def test_status_counts_read_the_columns_today_and_the_reports_for_a_past_day(db, staff):
    commitment = CommitmentFactory(starts_on=dt.date(2024, 1, 1), deadline=dt.date(2030, 1, 1), target=Decimal(10))
    services.commitment_report_add(actor=staff, commitment=commitment, value="12", as_of=dt.date(2025, 1, 1))
    today = timezone.localdate()
    assert selectors.status_counts(Commitment.objects.all(), today)["met"] == 1
    assert selectors.status_counts(Commitment.objects.all(), dt.date(2024, 12, 31))["no_data"] == 1
