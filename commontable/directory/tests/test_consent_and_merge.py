"""The consent ledger and the merge of duplicate people: state, audit and invariants."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from commontable.core.audit import activity_for
from commontable.directory import services
from commontable.directory.choices import ConsentPurpose, MembershipStatus
from commontable.directory.models import Affiliation, ConsentUsage, Person
from commontable.directory.selectors import person_consent_status, person_duplicate_candidates
from commontable.directory.tests.factories import AffiliationFactory, OrganizationFactory, PersonFactory


@pytest.mark.django_db
def test_consent_is_recorded_with_its_text_version_and_audited():
    person = PersonFactory()
    services.consent_give(actor=None, person=person, purpose=ConsentPurpose.CONTACT_SMS, text_version="sms-2026-01")
    status = person_consent_status(person)
    assert status[ConsentPurpose.CONTACT_SMS].text_version == "sms-2026-01"
    assert activity_for(person).filter(action="directory.consent.given").exists()


@pytest.mark.django_db
def test_withdrawal_stops_new_use_at_once():
    person = PersonFactory()
    services.consent_give(actor=None, person=person, purpose=ConsentPurpose.CONTACT_EMAIL, text_version="v1")
    assert services.consent_use(actor=None, person=person, purpose=ConsentPurpose.CONTACT_EMAIL, detail="newsletter")
    services.consent_withdraw(actor=None, person=person, purpose=ConsentPurpose.CONTACT_EMAIL)
    assert services.consent_use(actor=None, person=person, purpose=ConsentPurpose.CONTACT_EMAIL, detail="again") is None
    assert ConsentUsage.objects.count() == 1
    assert ConsentPurpose.CONTACT_EMAIL not in person_consent_status(person)


@pytest.mark.django_db
def test_expired_consent_is_not_used():
    person = PersonFactory()
    services.consent_give(actor=None, person=person, purpose=ConsentPurpose.PHOTO, text_version="v1",
                          expires_at=timezone.now() - dt.timedelta(days=1))
    assert services.consent_use(actor=None, person=person, purpose=ConsentPurpose.PHOTO, detail="flyer") is None


@pytest.mark.django_db
def test_unknown_consent_purpose_is_refused():
    with pytest.raises(ValueError):
        services.consent_give(actor=None, person=PersonFactory(), purpose="sell_my_data", text_version="v1")


@pytest.mark.django_db
def test_membership_follows_its_allowed_path_with_dated_history():
    org = services.organization_create(actor=None, name="Cedar Tenants United")
    services.organization_status_change(organization=org, actor=None, status=MembershipStatus.MEMBER)
    services.organization_status_change(organization=org, actor=None, status=MembershipStatus.LAPSED)
    org.refresh_from_db()
    assert org.membership_status == MembershipStatus.LAPSED
    assert [c.status for c in org.status_changes.order_by("id")] == ["applicant", "member", "lapsed"]
    assert org.member_since is not None


@pytest.mark.django_db
def test_an_applicant_cannot_lapse():
    org = services.organization_create(actor=None, name="New Group")
    with pytest.raises(ValidationError):
        services.organization_status_change(organization=org, actor=None, status=MembershipStatus.LAPSED)
    assert org.status_changes.count() == 1


@pytest.mark.django_db
def test_values_affirmation_sets_renewal_a_year_later():
    org = OrganizationFactory()
    services.organization_values_affirm(organization=org, actor=None, version="values-2023", on=dt.date(2024, 2, 29))
    assert org.renewal_due_on == dt.date(2025, 2, 28)


@pytest.mark.django_db
def test_duplicates_are_found_by_email_phone_and_similar_names():
    a = services.person_create(actor=None, full_name="Nuur Xuseen", email="Nuur@Example.org ")
    b = services.person_create(actor=None, full_name="Noor Hussein", email="nuur@example.org")
    c = services.person_create(actor=None, full_name="Mai Vang", phone="(612) 555-0101")
    d = services.person_create(actor=None, full_name="Mai Yang", mobile="+1 612 555 0101")
    e = services.person_create(actor=None, full_name="José Ñúñez")
    f = services.person_create(actor=None, full_name="Jose Nunez")
    groups = {(g.reason, frozenset(p.pk for p in g.people)) for g in person_duplicate_candidates()}
    assert ("email", frozenset({a.pk, b.pk})) in groups
    assert ("phone", frozenset({c.pk, d.pk})) in groups
    assert ("name", frozenset({e.pk, f.pk})) in groups


@pytest.mark.django_db
def test_merge_keeps_every_affiliation_and_the_audit_trail():
    org1, org2 = OrganizationFactory(), OrganizationFactory()
    keep = PersonFactory(full_name="Bao Vang", email="")
    dupe = PersonFactory(full_name="Npaug Vaj", email="bao@example.org")
    AffiliationFactory(person=keep, organization=org1)
    AffiliationFactory(person=dupe, organization=org1, is_representative=True)
    AffiliationFactory(person=dupe, organization=org2, role="organizer")
    services.consent_give(actor=None, person=dupe, purpose=ConsentPurpose.CONTACT_EMAIL, text_version="v1")
    services.person_merge(actor=None, keep=keep, duplicate=dupe)
    keep.refresh_from_db()
    dupe.refresh_from_db()
    assert dupe.merged_into == keep
    assert set(Affiliation.objects.filter(person=keep).values_list("organization_id", flat=True)) == {org1.pk, org2.pk}
    assert Affiliation.objects.get(person=keep, organization=org1).is_representative
    assert keep.email == "bao@example.org" and "Npaug Vaj" in keep.aliases
    assert ConsentPurpose.CONTACT_EMAIL in person_consent_status(keep)
    assert activity_for(keep).filter(action="directory.person.merged").exists()
    assert activity_for(dupe).filter(action="directory.person.merged-into").exists()
    assert not Person.objects.active().filter(pk=dupe.pk).exists()


@pytest.mark.django_db
def test_a_person_cannot_be_merged_twice_or_with_themselves():
    keep, dupe = PersonFactory(), PersonFactory()
    with pytest.raises(ValidationError):
        services.person_merge(actor=None, keep=keep, duplicate=keep)
    services.person_merge(actor=None, keep=keep, duplicate=dupe)
    with pytest.raises(ValidationError):
        services.person_merge(actor=None, keep=keep, duplicate=dupe)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["Nuur Xuseen Cabdirashiid", "Vaaj Xyooj", "José Ñúñez", "张伟", "محمد عبدي", "Ŋgúgĩ"])
def test_names_in_any_script_round_trip_exactly(name):
    person = services.person_create(actor=None, full_name=name)
    assert Person.objects.get(pk=person.pk).full_name == name
