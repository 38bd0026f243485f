import datetime as dt

import pytest
from django.utils import timezone

from commontable.core.indicators import compute, registry
from commontable.directory import services
from commontable.directory.choices import BipocLed, ConsentPurpose, MembershipStatus
from commontable.directory.models import ConsentRecord, MembershipStatusChange
from commontable.directory.tests.factories import (
    OrganizationFactory,
    PersonFactory,
    TableFactory,
    TableParticipationFactory,
)

D = dt.date


def _status(org, status, on):
    MembershipStatusChange.objects.create(organization=org, status=status, effective_on=on)
    org.membership_status = status
    org.save()


def test_member_organizations_follow_the_dated_history(db):
    a, b = OrganizationFactory(), OrganizationFactory()
    _status(a, MembershipStatus.APPLICANT, D(2023, 1, 10))
    _status(a, MembershipStatus.MEMBER, D(2023, 3, 1))
    _status(b, MembershipStatus.MEMBER, D(2023, 6, 1))
    _status(a, MembershipStatus.LAPSED, D(2024, 1, 1))
    readings = compute("directory.member_organizations", [D(2023, 2, 1), D(2023, 3, 31), D(2023, 6, 30), D(2024, 6, 30)])
    assert [r.value for r in readings] == [0, 1, 2, 1]


def test_a_status_change_shows_on_the_next_load(db):
    org = OrganizationFactory(membership_status=MembershipStatus.APPLICANT)
    today = timezone.localdate()
    assert compute("directory.member_organizations", [today])[0].value == 0
    services.organization_status_change(organization=org, actor=None, status=MembershipStatus.MEMBER, effective_on=today)
    assert compute("directory.member_organizations", [today])[0].value == 1


def test_values_affirmation_is_current_until_renewal_is_overdue(db):
    today = timezone.localdate()
    current = OrganizationFactory(membership_status=MembershipStatus.MEMBER)
    services.organization_values_affirm(organization=current, actor=None, version="2025", on=today - dt.timedelta(days=30))
    overdue = OrganizationFactory(membership_status=MembershipStatus.MEMBER)
    services.organization_values_affirm(organization=overdue, actor=None, version="2023", on=today - dt.timedelta(days=800))
    OrganizationFactory(membership_status=MembershipStatus.MEMBER)  # never affirmed
    assert compute("directory.values_affirmed", [today])[0].value == 1


def test_bipoc_led_share_counts_self_identification_among_members(db):
    for answer in [BipocLed.YES, BipocLed.YES, BipocLed.NO, BipocLed.UNSTATED]:
        OrganizationFactory(membership_status=MembershipStatus.MEMBER, bipoc_led=answer)
    OrganizationFactory(membership_status=MembershipStatus.APPLICANT, bipoc_led=BipocLed.YES)
    assert compute("directory.bipoc_led_share", [timezone.localdate()])[0].value == 50.0


def test_active_tables(db):
    TableFactory(is_active=True)
    TableFactory(is_active=False)
    assert compute("directory.tables_active", [timezone.localdate()])[0].value == 1


def _consent(person, given, withdrawn=None, purpose=ConsentPurpose.CONTACT_EMAIL):
    tz = timezone.get_current_timezone()
    return ConsentRecord.objects.create(
        person=person, purpose=purpose, text_version="1",
        given_at=dt.datetime.combine(given, dt.time(12), tz),
        withdrawn_at=dt.datetime.combine(withdrawn, dt.time(12), tz) if withdrawn else None,
    )


def test_people_who_agreed_to_be_contacted_are_counted_per_date_and_small_counts_hidden(db):
    people = [PersonFactory() for _ in range(6)]
    for person in people[:5]:
        _consent(person, D(2023, 2, 1))
        _consent(person, D(2023, 2, 1), purpose=ConsentPurpose.CONTACT_SMS)  # counted once
    _consent(people[5], D(2023, 2, 1), withdrawn=D(2024, 1, 1))
    _consent(PersonFactory(), D(2023, 2, 1), purpose=ConsentPurpose.PHOTO)  # not about contact
    readings = compute("directory.people_contact_consent", [D(2023, 1, 1), D(2023, 6, 30), D(2024, 6, 30)])
    assert readings[0].value == 0 and not readings[0].suppressed
    assert readings[1].value == 6
    assert readings[2].value == 5
    ConsentRecord.objects.filter(person__in=people[:2]).update(withdrawn_at=timezone.now() - dt.timedelta(days=1))
    from commontable.core.indicators import data_changed

    data_changed("directory.ConsentRecord")
    latest = compute("directory.people_contact_consent", [timezone.localdate()])[0]
    assert latest.suppressed and latest.value is None and latest.n == 3


def test_organizations_taking_part_in_a_table_by_date(db):
    table = TableFactory(slug="corridor")
    TableParticipationFactory(table=table, joined_on=D(2023, 1, 1))
    TableParticipationFactory(table=table, joined_on=D(2024, 1, 1), left_on=D(2025, 1, 1))
    TableParticipationFactory(table=TableFactory(), joined_on=D(2023, 1, 1))
    readings = compute("directory.table_organizations", [D(2023, 6, 1), D(2024, 6, 1), D(2025, 6, 1)], "corridor")
    assert [r.value for r in readings] == [1, 2, 1]


def test_table_only_tables_are_not_offered_as_a_parameter(db, personas):
    from commontable.core.visibility import Visibility

    hidden = TableFactory(slug="hidden", visibility=Visibility.STAFF)
    choices = dict(registry()["directory.table_organizations"].param_choices())
    assert personas.table.slug in choices and hidden.slug not in choices


@pytest.mark.parametrize("key", ["directory.member_organizations", "directory.values_affirmed", "directory.bipoc_led_share",
                                 "directory.tables_active", "directory.people_contact_consent"])
def test_every_figure_links_to_the_records_it_counts(db, client, personas, key):
    from commontable.core.testing import login_as

    url = registry()[key].url_for("")
    login_as(client, personas, "staff")
    assert client.get(url).status_code == 200
