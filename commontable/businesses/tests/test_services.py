"""The directory's writes: what they refuse (with the reason on the field, nothing written), what
they record, and the audit entry each leaves."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from commontable.businesses import services
from commontable.businesses.choices import OpportunityStatus
from commontable.businesses.models import Business, BusinessTrade, Certification, ContractingOpportunity
from commontable.businesses.tests.conftest import DAY, TODAY
from commontable.core.models import ActivityLog


def _actions():
    return list(ActivityLog.objects.values_list("action", flat=True))


def test_a_business_is_added_with_its_trades_places_and_bonding_limit_in_cents(personas, places):
    staff = personas.user("staff")
    business = services.business_create(actor=staff, name="  Nokomis Mechanical ", naics_codes="238220, 2382",
                                        places_served=[places.saint_paul], bonding_limit="1,250,000.50")
    assert business.name == "Nokomis Mechanical" and business.slug == "nokomis-mechanical"
    assert business.bonding_limit_cents == 125_000_050
    assert sorted(business.trades.values_list("code", flat=True)) == ["2382", "238220"]
    assert list(business.places_served.all()) == [places.saint_paul]
    assert _actions() == ["businesses.business.created"]


@pytest.mark.parametrize(("field", "kwargs"), [
    ("naics_codes", {"naics_codes": ["2"]}),
    ("naics_codes", {"naics_codes": ["2382201"]}),
    ("naics_codes", {"naics_codes": ["23a"]}),
    ("bonding_limit", {"bonding_limit": "-5"}),
    ("bonding_limit", {"bonding_limit": "10.005"}),
    ("bonding_limit", {"bonding_limit": "ten"}),
    ("name", {"name": "   "}),
])
def test_bad_input_is_refused_on_its_field_and_nothing_is_written(personas, field, kwargs):
    with pytest.raises(ValidationError) as caught:
        services.business_create(actor=personas.user("staff"), **{"name": "Good Name", **kwargs})
    assert field in caught.value.message_dict
    assert not Business.objects.exists() and not BusinessTrade.objects.exists() and not ActivityLog.objects.exists()


def test_an_update_replaces_trades_and_audits_what_changed(personas, world):
    services.business_update(actor=personas.user("staff"), business=world.plumber, naics_codes=["238210"],
                             bonding_limit="", phone="651-555-0199")
    world.plumber.refresh_from_db()
    assert list(world.plumber.trades.values_list("code", flat=True)) == ["238210"]
    assert world.plumber.bonding_limit_cents is None
    entry = ActivityLog.objects.get(action="businesses.business.updated")
    assert set(entry.data["changed"]) == {"phone", "bonding_limit_cents"}


def test_a_failed_update_changes_nothing(personas, world):
    with pytest.raises(ValidationError):
        services.business_update(actor=personas.user("staff"), business=world.plumber, naics_codes=["1"],
                                 bonding_limit="5", phone="000")
    world.plumber.refresh_from_db()
    assert world.plumber.phone == "651-555-0101" and world.plumber.bonding_limit_cents == 250_000_00
    assert list(world.plumber.trades.values_list("code", flat=True)) == ["238220"]


def test_a_certification_cannot_end_before_it_begins(personas, world):
    with pytest.raises(ValidationError) as caught:
        services.certification_add(actor=personas.user("staff"), business=world.architect, program="cert",
                                   valid_from=dt.date(2025, 5, 1), valid_until=dt.date(2025, 4, 30))
    assert "valid_until" in caught.value.message_dict
    assert not world.architect.certifications.exists()


def test_an_other_program_needs_its_name(personas, world):
    with pytest.raises(ValidationError) as caught:
        services.certification_add(actor=personas.user("staff"), business=world.architect, program="other",
                                   valid_from=TODAY)
    assert "program_other" in caught.value.message_dict


def test_certifications_are_added_and_removed_with_audit(personas, world):
    staff = personas.user("staff")
    certification = services.certification_add(actor=staff, business=world.architect, program="sbe", number=" S-1 ",
                                               valid_from=TODAY - DAY, valid_until=TODAY + 300 * DAY)
    assert certification.is_current() and certification.number == "S-1"
    services.certification_remove(actor=staff, certification=certification)
    assert not Certification.objects.filter(pk=certification.pk).exists()
    assert _actions()[:2] == ["businesses.certification.removed", "businesses.certification.added"]


def test_consent_to_notices_is_given_with_its_version_and_withdrawn(personas, world):
    staff = personas.user("staff")
    services.business_notices_consent_set(actor=staff, business=world.architect, consent=True)
    world.architect.refresh_from_db()
    assert world.architect.consents_to_notices and world.architect.notices_consent_version
    services.business_notices_consent_set(actor=staff, business=world.architect, consent=False)
    world.architect.refresh_from_db()
    assert not world.architect.consents_to_notices
    assert _actions()[:2] == ["businesses.notices-consent.withdrawn", "businesses.notices-consent.given"]


def test_an_opportunity_needs_a_trade_and_valid_codes_programs_value_and_links(personas, world):
    staff = personas.user("staff")
    with pytest.raises(ValidationError) as caught:
        services.opportunity_create(actor=staff, investment=world.investment, title="", naics_codes=["9"],
                                    certifications_wanted=["nope"], estimated_value="-1", links=["javascript:alert(1)"])
    assert set(caught.value.message_dict) == {"title", "naics_codes", "certifications_wanted", "estimated_value", "links"}
    with pytest.raises(ValidationError) as caught:
        services.opportunity_create(actor=staff, investment=world.investment, title="Work", naics_codes=[])
    assert "naics_codes" in caught.value.message_dict


def test_an_opportunity_is_posted_closed_and_cannot_be_closed_twice(personas, world):
    staff = personas.user("staff")
    opportunity = services.opportunity_create(actor=staff, investment=world.investment, title="Signage", naics_codes="3399",
                                              estimated_value="12,000", links=["https://bids.example/1"])
    assert opportunity.estimated_value_cents == 1_200_000 and opportunity.status == OpportunityStatus.OPEN
    services.opportunity_close(actor=staff, opportunity=opportunity)
    with pytest.raises(ValidationError):
        services.opportunity_close(actor=staff, opportunity=opportunity)
    assert _actions()[:2] == ["businesses.opportunity.closed", "businesses.opportunity.created"]


def test_an_award_goes_to_a_business_in_the_directory(personas, world):
    staff = personas.user("staff")
    services.opportunity_award(actor=staff, opportunity=world.opportunity, business=world.plumber, amount="98,500.25",
                               awarded_on=TODAY)
    world.opportunity.refresh_from_db()
    assert world.opportunity.status == OpportunityStatus.AWARDED
    assert world.opportunity.awarded_to == world.plumber and world.opportunity.awarded_amount_cents == 9_850_025
    with pytest.raises(ValidationError) as caught:
        services.opportunity_award(actor=staff, opportunity=world.opportunity, business=world.electrician)
    assert "status" in caught.value.message_dict


def test_an_award_to_a_business_that_does_not_exist_is_refused(personas, world):
    ghost = Business(pk=999_999, name="Ghost", slug="ghost")
    for business in (None, ghost):
        with pytest.raises(ValidationError) as caught:
            services.opportunity_award(actor=personas.user("staff"), opportunity=world.opportunity, business=business)
        assert "business" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.opportunity_award(actor=personas.user("staff"), opportunity=world.opportunity, business=world.plumber,
                                   amount="1.001", awarded_on=TODAY + DAY)
    assert {"amount", "awarded_on"} <= set(caught.value.message_dict)
    assert ContractingOpportunity.objects.get(pk=world.opportunity.pk).status == OpportunityStatus.OPEN
