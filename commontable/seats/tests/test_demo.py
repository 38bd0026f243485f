"""The demo's seats at decision tables: fifteen invented bodies across jurisdictions with
vacancies in every deadline kind, terms ending within 90 days, holdovers and a dissolved task
force; leaders with nominations in every outcome; a roll-up whose total shows the BIPOC figure
while smaller lines stay suppressed; loaded once, and only with DEBUG on (or when asked to)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from commontable.accounts.models import User
from commontable.core.deadlines import DeadlineKind
from commontable.core.models import ActivityLog
from commontable.directory import demo as directory_demo
from commontable.seats import selectors
from commontable.seats.choices import NominationOutcome
from commontable.seats.models import EngagementProcess, Leader, Nomination, PublicBody, Seat, Term

DEMO_PEOPLE = 200  # enough people at member organisations for the leaders, and quick to load


def load(*args: str) -> str:
    out = StringIO()
    call_command("seats_demo_load", "--allow-without-debug", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def coalition(db):
    directory_demo.build_small(people=DEMO_PEOPLE)
    return {key: User.objects.get(email=email) for key, email in directory_demo.login_emails()}


def test_the_demo_has_openings_of_every_kind_holdovers_and_a_dissolved_body(coalition):
    call_command("investments_demo_load", "--allow-without-debug", stdout=StringIO())
    out = load()
    assert "Added 15 public bodies" in out
    staff, member = coalition["staff"], coalition["member"]

    assert PublicBody.objects.values("jurisdiction__kind").distinct().count() >= 5
    assert min(b.seats.count() for b in PublicBody.objects.all()) >= 5
    assert max(b.seats.count() for b in PublicBody.objects.all()) <= 15
    assert set(Seat.objects.values_list("seat_type", flat=True)) == {"appointed", "elected", "ex_officio", "designated"}
    assert Term.objects.count() >= 2 * Seat.objects.count()

    vacant = list(selectors.vacant_seats(staff))
    assert len(vacant) >= 6
    assert {seat.deadline_kind for seat in vacant} >= set(DeadlineKind.values)
    ending = list(selectors.ending_terms(staff))
    assert len(ending) >= 5
    today = selectors.timezone.localdate()
    assert all(0 <= (term.ends_on - today).days <= selectors.ENDING_DAYS for term in ending)
    assert selectors.holdover_terms(staff).count() >= 2

    dissolved = PublicBody.objects.get(dissolved_on__isnull=False)
    assert not dissolved.seats.filter(terms__occupied_until__gte=today).exists()
    assert Nomination.objects.filter(seat__body=dissolved, outcome=NominationOutcome.WITHDRAWN).exists()
    assert set(Nomination.objects.values_list("outcome", flat=True)) == set(NominationOutcome.values)
    assert all(n.endorsements.exists() for n in Nomination.objects.all())

    assert Leader.objects.count() == 16
    assert Leader.objects.filter(person__user=member).exists()  # the member login sees their own path
    assert EngagementProcess.objects.filter(investment__isnull=False).count() >= 4
    assert EngagementProcess.objects.filter(score__isnull=True).exists()

    rollup = selectors.rollup(member)
    assert not rollup.total.bipoc.suppressed and rollup.total.bipoc.value >= 5
    lines = rollup.by_topic + rollup.by_jurisdiction
    assert any(line.bipoc.suppressed for line in lines)
    assert rollup.climate_mobility.seats > 0 and rollup.climate_mobility.vacant > 0


def test_a_second_load_changes_nothing(coalition):
    load()
    counts = (PublicBody.objects.count(), Seat.objects.count(), Term.objects.count(), Nomination.objects.count(),
              ActivityLog.objects.count())
    assert "already loaded" in load()
    assert (PublicBody.objects.count(), Seat.objects.count(), Term.objects.count(), Nomination.objects.count(),
            ActivityLog.objects.count()) == counts


def test_the_demo_without_the_coalition_says_to_load_it_first(db):
    assert "run demo_load first" in load()
    assert not PublicBody.objects.exists()


def test_the_demo_is_refused_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seats_demo_load", stdout=StringIO())
    assert not PublicBody.objects.exists()
