"""The commitment list filters by status in SQL (`selectors.commitment_status_expression`); these
tests hold it to the stated rules in `compliance.commitment_status`: every rule, every boundary,
and a few hundred random commitments, give the same status both ways."""

import datetime as dt
import random
from decimal import Decimal

import pytest

from commontable.investments import selectors
from commontable.investments.choices import Compliance, TargetDirection
from commontable.investments.compliance import commitment_status
from commontable.investments.models import Commitment
from commontable.investments.tests.factories import CommitmentFactory, CommitmentReportFactory, ObligorFactory

TODAY = dt.date(2026, 6, 15)
DAY = dt.timedelta(days=1)

# (name, direction, target, starts_on, deadline, [(value, as_of), …] in the order written)
CASES = [
    ("no report", "at_least", "100", TODAY - 100 * DAY, TODAY + 100 * DAY, []),
    ("exactly the target", "at_least", "100", TODAY - 100 * DAY, TODAY + 100 * DAY, [("100", TODAY)]),
    (
        "above the target after the deadline",
        "at_least",
        "100",
        TODAY - 400 * DAY,
        TODAY - 10 * DAY,
        [("120", TODAY - 20 * DAY)],
    ),
    (
        "short the day after the deadline",
        "at_least",
        "100",
        TODAY - 400 * DAY,
        TODAY - DAY,
        [("99.9999", TODAY - DAY)],
    ),
    ("short on the deadline itself", "at_least", "100", TODAY - 200 * DAY, TODAY, [("95", TODAY)]),
    (
        "silent exactly 180 days",
        "at_least",
        "100",
        TODAY - 400 * DAY,
        TODAY + 400 * DAY,
        [("60", TODAY - 180 * DAY)],
    ),
    ("silent 181 days", "at_least", "100", TODAY - 400 * DAY, TODAY + 400 * DAY, [("60", TODAY - 181 * DAY)]),
    ("exactly on 90 % of the line", "at_least", "100", TODAY - 100 * DAY, TODAY + 100 * DAY, [("45", TODAY)]),
    (
        "just below 90 % of the line",
        "at_least",
        "100",
        TODAY - 100 * DAY,
        TODAY + 100 * DAY,
        [("44.9999", TODAY)],
    ),
    (
        "a third of the way, exactly on the line",
        "at_least",
        "100",
        TODAY - DAY,
        TODAY + 2 * DAY,
        [("30", TODAY)],
    ),
    ("a third of the way, just below", "at_least", "100", TODAY - DAY, TODAY + 2 * DAY, [("29.9999", TODAY)]),
    (
        "fractional target on its line",
        "at_least",
        "33.3333",
        TODAY - 7 * DAY,
        TODAY + 14 * DAY,
        [("9.9999", TODAY)],
    ),
    (
        "reported before the start",
        "at_least",
        "100",
        TODAY - 10 * DAY,
        TODAY + 10 * DAY,
        [("0", TODAY - 20 * DAY)],
    ),
    (
        "reported for after the deadline",
        "at_least",
        "100",
        TODAY - 10 * DAY,
        TODAY + 10 * DAY,
        [("90", TODAY + 20 * DAY)],
    ),
    (
        "the newest report counts",
        "at_least",
        "100",
        TODAY - 100 * DAY,
        TODAY + 100 * DAY,
        [("90", TODAY), ("10", TODAY - 50 * DAY)],
    ),
    (
        "of two on a day, the last written",
        "at_least",
        "100",
        TODAY - 100 * DAY,
        TODAY + 100 * DAY,
        [("90", TODAY), ("10", TODAY)],
    ),
    ("a zero target", "at_least", "0", TODAY - 100 * DAY, TODAY + 100 * DAY, [("0", TODAY)]),
    (
        "huge numbers",
        "at_least",
        "9999999999999",
        TODAY - 100 * DAY,
        TODAY + 100 * DAY,
        [("4499999999999.9999", TODAY)],
    ),
    (
        "at most: within after the deadline",
        "at_most",
        "10",
        TODAY - 400 * DAY,
        TODAY - DAY,
        [("10", TODAY - 5 * DAY)],
    ),
    (
        "at most: over after the deadline",
        "at_most",
        "10",
        TODAY - 400 * DAY,
        TODAY - DAY,
        [("10.0001", TODAY - 5 * DAY)],
    ),
    (
        "at most: within before the deadline",
        "at_most",
        "10",
        TODAY - 10 * DAY,
        TODAY,
        [("3", TODAY - 400 * DAY)],
    ),
    (
        "at most: over before the deadline",
        "at_most",
        "10",
        TODAY - 10 * DAY,
        TODAY + 10 * DAY,
        [("11", TODAY)],
    ),
    ("at most: no report", "at_most", "10", TODAY - 10 * DAY, TODAY + 10 * DAY, []),
]


def make(direction, target, starts_on, deadline, reports, obligor):
    commitment = CommitmentFactory(
        direction=direction, target=Decimal(target), starts_on=starts_on, deadline=deadline, obligor=obligor
    )
    for value, as_of in reports:
        CommitmentReportFactory(commitment=commitment, value=Decimal(value), as_of=as_of)
    return commitment


def python_status(commitment) -> str:
    latest = commitment.reports.order_by("-as_of", "-id").first()
    return commitment_status(
        direction=commitment.direction,
        target=commitment.target,
        starts_on=commitment.starts_on,
        deadline=commitment.deadline,
        latest_value=latest.value if latest else None,
        latest_on=latest.as_of if latest else None,
        today=TODAY,
    )


def assert_sql_agrees(personas, expected: dict[int, str] | None = None):
    staff = personas.user("staff")
    sql = dict(selectors.commitment_list(staff, today=TODAY).values_list("pk", "status"))
    python = {c.pk: python_status(c) for c in Commitment.objects.all()}
    assert sql == python
    if expected is not None:
        assert python == expected
    for status in Compliance.values:
        filtered = set(
            selectors.commitment_list(staff, status=status, today=TODAY).values_list("pk", flat=True)
        )
        assert filtered == {pk for pk, value in python.items() if value == status}, status


EXPECTED = {
    "no report": Compliance.NO_DATA,
    "exactly the target": Compliance.MET,
    "above the target after the deadline": Compliance.MET,
    "short the day after the deadline": Compliance.MISSED,
    "short on the deadline itself": Compliance.ON_TRACK,
    "silent exactly 180 days": Compliance.ON_TRACK,
    "silent 181 days": Compliance.AT_RISK,
    "exactly on 90 % of the line": Compliance.ON_TRACK,
    "just below 90 % of the line": Compliance.AT_RISK,
    "a third of the way, exactly on the line": Compliance.ON_TRACK,
    "a third of the way, just below": Compliance.AT_RISK,
    "fractional target on its line": Compliance.AT_RISK,
    "reported before the start": Compliance.ON_TRACK,
    "reported for after the deadline": Compliance.ON_TRACK,
    "the newest report counts": Compliance.ON_TRACK,
    "of two on a day, the last written": Compliance.AT_RISK,
    "a zero target": Compliance.MET,
    "huge numbers": Compliance.ON_TRACK,
    "at most: within after the deadline": Compliance.MET,
    "at most: over after the deadline": Compliance.MISSED,
    "at most: within before the deadline": Compliance.ON_TRACK,
    "at most: over before the deadline": Compliance.AT_RISK,
    "at most: no report": Compliance.NO_DATA,
}


def test_every_rule_and_boundary_gives_the_same_status_in_sql_and_in_python(personas):
    obligor = ObligorFactory()
    expected = {}
    for name, direction, target, starts_on, deadline, reports in CASES:
        commitment = make(direction, target, starts_on, deadline, reports, obligor)
        expected[commitment.pk] = EXPECTED[name]
    assert set(expected.values()) == set(Compliance.values)
    assert_sql_agrees(personas, expected)


@pytest.mark.parametrize("seed", [1, 2])
def test_random_commitments_get_the_same_status_in_sql_and_in_python(personas, seed):
    rng = random.Random(seed)
    obligor = ObligorFactory()
    for _n in range(120):
        starts_on = TODAY - rng.randint(1, 1500) * DAY
        deadline = starts_on + rng.randint(1, 2000) * DAY
        target = (
            Decimal(rng.choice([1, 3, 7, 40, 100, 250, 1000, 12345])) + Decimal(rng.randint(0, 9999)) / 10000
        )
        reports = []
        for _r in range(rng.choice([0, 1, 1, 2, 3])):
            share = Decimal(rng.randint(0, 12000)) / 10000
            reports.append(
                (str((target * share).quantize(Decimal("0.0001"))), starts_on + rng.randint(-30, 1600) * DAY)
            )
        direction = rng.choice([TargetDirection.AT_LEAST, TargetDirection.AT_LEAST, TargetDirection.AT_MOST])
        make(direction, str(target), starts_on, deadline, [(v, min(on, TODAY)) for v, on in reports], obligor)
    assert_sql_agrees(personas)
