"""Reminders of decisions to watchers, end to end with the locmem mail backend: the watcher gets
it in their language, once (a re-run sends nothing twice), none for a cancelled hearing or for
someone who can no longer see the investment, again for a postponed hearing's new date, and the
email's unsubscribe link works without signing in."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import formats, timezone, translation

from commontable.core.models import Delivery
from commontable.core.visibility import Visibility
from commontable.investments import calendar
from commontable.investments.models import DecisionKind, DecisionStatus
from commontable.investments.tests.factories import InvestmentFactory


def _local_in(hours: float):
    moment = timezone.localtime() + dt.timedelta(hours=hours)
    return moment.date(), moment.time().replace(second=0, microsecond=0)


@pytest.fixture
def watched(personas):
    investment = InvestmentFactory(name="Snelling Station", slug="snelling-station", visibility=Visibility.MEMBERS)
    watcher = personas.user("member_b")
    watcher.preferred_language = "es"
    watcher.save()
    calendar.investment_watch(user=watcher, investment=investment)
    on, at = _local_in(20)
    hearing = calendar.decision_create(actor=personas.user("staff"), investment=investment, kind=DecisionKind.HEARING,
                                       title="Station area hearing", starts_on=on, starts_at_time=at,
                                       location="City Hall")
    return investment, watcher, hearing


def send_due(capture):
    with capture(execute=True):
        call_command("notifications_send_due", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_watcher_gets_one_reminder_in_their_language(watched, django_capture_on_commit_callbacks):
    _investment, watcher, hearing = watched
    send_due(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [watcher.email]
    assert message.extra_headers["Content-Language"] == "es"
    with translation.override("es"):
        assert formats.date_format(hearing.local_start, "DATETIME_FORMAT") in message.subject
    assert "Station area hearing" in message.body and "City Hall" in message.body
    assert str(hearing.public_id) in message.body
    send_due(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1  # a re-run sends nothing twice
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 1


def test_a_cancelled_hearing_sends_no_reminder(watched, personas, django_capture_on_commit_callbacks):
    _investment, _watcher, hearing = watched
    calendar.decision_update(actor=personas.user("staff"), decision=hearing, status=DecisionStatus.CANCELLED)
    send_due(django_capture_on_commit_callbacks)
    assert not mail.outbox


def test_cancelled_after_queueing_is_rechecked_at_send_time(watched, personas):
    from commontable.investments.tasks import _reminder

    _investment, watcher, hearing = watched
    render = _reminder(hearing.pk, 1, watcher)
    calendar.decision_update(actor=personas.user("staff"), decision=hearing, status=DecisionStatus.CANCELLED)
    assert render(None) is None


def test_a_postponed_hearing_is_reminded_again_for_its_new_date(watched, personas,
                                                                django_capture_on_commit_callbacks):
    _investment, _watcher, hearing = watched
    send_due(django_capture_on_commit_callbacks)
    on, at = _local_in(22)
    calendar.decision_update(actor=personas.user("staff"), decision=hearing, starts_on=on, starts_at_time=at)
    send_due(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2


def test_a_week_ahead_gets_the_week_reminder_then_the_day_reminder(personas, django_capture_on_commit_callbacks):
    investment = InvestmentFactory(visibility=Visibility.PUBLIC)
    calendar.investment_watch(user=personas.user("public_user"), investment=investment)
    on, at = _local_in(24 * 6)
    calendar.decision_create(actor=None, investment=investment, kind=DecisionKind.VOTE, title="Budget vote",
                             starts_on=on, starts_at_time=at)
    send_due(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert Delivery.objects.get().key.split(":")[-2] == "7d"


def test_no_reminder_to_a_watcher_who_can_no_longer_see_it(watched, django_capture_on_commit_callbacks):
    investment, _watcher, _hearing = watched
    investment.visibility = Visibility.STAFF
    investment.save()
    send_due(django_capture_on_commit_callbacks)
    assert not mail.outbox


def test_unwatching_or_the_emails_link_stops_reminders(watched, django_capture_on_commit_callbacks):
    investment, watcher, _hearing = watched
    send_due(django_capture_on_commit_callbacks)
    link = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    path = link.split("://", 1)[1].split("/", 1)[1]
    anonymous = Client()
    page = anonymous.get("/" + path).content.decode()
    assert "hearings, votes and deadlines on Snelling Station" in page
    assert anonymous.post("/" + path).status_code == 200
    assert not calendar.is_watching(watcher, investment)


def test_reminder_offsets_are_the_nearest_due():
    now = dt.datetime(2027, 3, 1, 12, tzinfo=dt.UTC)
    assert calendar.reminder_offset_due(now + dt.timedelta(days=10), now) is None
    assert calendar.reminder_offset_due(now + dt.timedelta(days=6), now) == 7
    assert calendar.reminder_offset_due(now + dt.timedelta(hours=3), now) == 1
    assert calendar.reminder_offset_due(now - dt.timedelta(hours=3), now) is None
