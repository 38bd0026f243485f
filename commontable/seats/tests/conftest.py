import datetime as dt

import pytest

from commontable.core.models import IssueTopic
from commontable.core.visibility import Visibility
from commontable.seats import services
from commontable.seats.tests.factories import (
    LeaderFactory,
    PlaceFactory,
    PublicBodyFactory,
    SeatFactory,
    TermFactory,
)


@pytest.fixture
def today():
    """The coalition's date (America/Chicago), as the selectors read it."""
    from django.utils import timezone

    return timezone.localdate()


@pytest.fixture
def body(db):
    """A public planning commission that meets on the first and third Tuesday, with three seats:
    one held, one in holdover, one vacant with an application deadline."""
    minneapolis = PlaceFactory(slug="minneapolis", name="Minneapolis")
    housing = IssueTopic.objects.get_or_create(slug="housing", defaults={"name": "Housing"})[0]
    transit = IssueTopic.objects.get_or_create(slug="transit", defaults={"name": "Transit"})[0]
    body = PublicBodyFactory(name="Minneapolis Planning Commission", slug="mpls-planning", jurisdiction=minneapolis,
                             topics=[housing, transit], meeting_frequency="monthly", meeting_weekdays="1",
                             meeting_nth="1,3", first_meeting_on=dt.date(2024, 1, 2),
                             meeting_starts_at=dt.time(18, 30), meeting_location="City Hall, room 317")
    return body


@pytest.fixture
def seats(body, today):
    held = SeatFactory(body=body, name="Ward 3 resident seat", position=1)
    TermFactory(seat=held, holder_name="Hodan Warsame", starts_on=today - dt.timedelta(days=300),
                ends_on=today + dt.timedelta(days=40))
    holdover = SeatFactory(body=body, name="Renter seat", position=2)
    TermFactory(seat=holdover, holder_name="Pa Houa Xiong", starts_on=today - dt.timedelta(days=1200),
                ends_on=today - dt.timedelta(days=30))
    vacant = SeatFactory(body=body, name="At-large seat", position=3, deadline_kind="review_begins",
                         deadline_on=today + dt.timedelta(days=20), deadline_note="Applications read from this date")
    return {"held": held, "holdover": holdover, "vacant": vacant}


@pytest.fixture
def staff_only_body(db):
    return PublicBodyFactory(name="Quiet Task Force", slug="quiet-task-force", visibility=Visibility.STAFF)


@pytest.fixture
def leader(personas):
    return LeaderFactory(person=personas.person_a)


@pytest.fixture
def nomination(leader, seats, today):
    return services.nomination_create(actor=None, leader=leader, seat=seats["vacant"],
                                      nominated_on=today - dt.timedelta(days=5))
