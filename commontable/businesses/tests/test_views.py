"""The business directory's pages for every persona: who sees what (404), who may change what
(403), the forms' happy and failure paths, the filters, exports, contact details shown only to
those allowed, and query counts that do not grow with rows."""

import re

import pytest
from django.urls import reverse

from commontable.businesses.models import Business, Certification, ContractingOpportunity
from commontable.businesses.pages import PAGES
from commontable.businesses.tests.conftest import DAY, TODAY
from commontable.businesses.tests.factories import BusinessFactory, CertificationFactory, OpportunityFactory
from commontable.businesses.tests.queries import assert_own_queries
from commontable.core.testing import assert_permission_matrix, login_as
from commontable.core.visibility import Visibility

EVERYONE = {"anonymous": 200}
STAFF_PAGE = {"anonymous": 302, "staff": 200, "admin": 200}


def url(name, *args, **kwargs):
    return reverse(f"businesses:{name}", args=args, kwargs=kwargs)


# --- businesses -----------------------------------------------------------------------------------


def test_business_list_and_public_business_are_open_to_everyone(client, personas, world):
    assert_permission_matrix(client, personas, "get", url("business_list"), EVERYONE, default=200)
    assert_permission_matrix(client, personas, "get", url("business_detail", "aurora-plumbing"), EVERYONE, default=200)


def test_a_members_business_is_hidden_from_the_public(client, personas, world):
    assert_permission_matrix(client, personas, "get", url("business_detail", "bright-current"),
                             {"anonymous": 404, "public_user": 404}, default=200)


def test_a_staff_business_is_seen_by_staff_only(client, personas, world):
    assert_permission_matrix(client, personas, "get", url("business_detail", "quiet-mechanical"),
                             {"staff": 200, "admin": 200}, default=404)


def test_the_list_shows_what_each_persona_may_see(client, personas, world):
    response = client.get(url("business_list"))
    assert [b.name for b in response.context["businesses"]] == ["Aurora Plumbing Co", "Cedar Line Architects"]
    login_as(client, personas, "member_b")
    names = [b.name for b in client.get(url("business_list")).context["businesses"]]
    assert names == ["Aurora Plumbing Co", "Bright Current Electric", "Cedar Line Architects"]


@pytest.mark.parametrize(("query", "expected"), [
    ({"program": "cert"}, ["Aurora Plumbing Co"]),
    ({"program": "tgb"}, []),  # the electrician's TGB expired
    ({"program": "dbe"}, ["Bright Current Electric"]),
    ({"naics": "238"}, ["Aurora Plumbing Co", "Bright Current Electric"]),
    ({"naics": "2382"}, ["Aurora Plumbing Co", "Bright Current Electric"]),
    ({"naics": "238220"}, ["Aurora Plumbing Co"]),
    ({"naics": "5413"}, ["Cedar Line Architects"]),
    ({"place": "saint-paul"}, ["Aurora Plumbing Co", "Bright Current Electric"]),  # the plumber serves Ramsey County
    ({"place": "hennepin-county"}, ["Cedar Line Architects"]),
    ({"bipoc_owned": "no"}, ["Cedar Line Architects"]),
    ({"bipoc_owned": "yes"}, ["Aurora Plumbing Co", "Bright Current Electric"]),
    ({"q": "architects"}, ["Cedar Line Architects"]),
])
def test_the_list_filters(client, personas, world, query, expected):
    login_as(client, personas, "member_b")
    response = client.get(url("business_list"), query)
    assert response.status_code == 200
    assert [b.name for b in response.context["businesses"]] == expected


@pytest.mark.parametrize("query", [{"naics": "2"}, {"naics": "23x"}, {"program": "nope"}, {"place": "atlantis"}])
def test_a_filter_that_cannot_be_used_says_so(client, personas, world, query):
    response = client.get(url("business_list"), query)
    assert response.status_code == 400
    assert "could not be used" in response.content.decode()


def test_exports_hold_the_filtered_rows_and_contacts_only_where_allowed(client, personas, world):
    login_as(client, personas, "member_b")
    csv = b"".join(client.get(url("business_list"), {"format": "csv", "naics": "238"}).streaming_content).decode()
    assert "Aurora Plumbing Co" in csv and "Cedar Line" not in csv
    assert "hello@bright.example" in csv  # the electrician shares its contacts with members
    assert "office@aurora-plumbing.example" not in csv  # the plumber does not, and B is not its organisation
    anonymous = b"".join(client.get(url("business_list"), {"format": "csv"}).streaming_content).decode() if client.logout() is None else ""
    assert "Email" not in anonymous.splitlines()[0]
    login_as(client, personas, "staff")
    xlsx = client.get(url("business_list"), {"format": "xlsx"})
    assert xlsx.content[:2] == b"PK"


@pytest.mark.parametrize(("persona", "shown"), [
    ("anonymous", False), ("public_user", False), ("member_b", False), ("member_a", True), ("staff", True)])
def test_contact_details_follow_the_business_consent(client, personas, world, persona, shown):
    login_as(client, personas, persona)
    body = client.get(url("business_detail", "aurora-plumbing")).content.decode()
    assert ("office@aurora-plumbing.example" in body) == shown


def test_the_list_queries_do_not_grow_with_rows(client, personas, world):
    for n in range(6):
        b = BusinessFactory(codes=[f"23822{n}", "541"], organization=personas.org_b)
        b.places_served.add(world.places.saint_paul, world.places.ramsey)
        CertificationFactory(business=b)
    login_as(client, personas, "member_a")
    client.get(url("business_list"))  # warm the content-type cache
    PAGES.changed()  # a cold page: built from the data, not served from the page cache
    # The paginator's count, the place filter's choices, the page with organisations, then its
    # trades, places and current certifications.
    with assert_own_queries(6):
        response = client.get(url("business_list"))
    assert len(response.context["businesses"]) == 9


def test_the_detail_queries_do_not_grow_with_rows(client, personas, world):
    for n in range(6):
        CertificationFactory(business=world.plumber, program="sbe", number=f"S{n}")
        world.plumber.trades.create(code=f"5416{n}")
    login_as(client, personas, "staff")
    client.get(url("business_detail", "aurora-plumbing"))
    PAGES.changed()  # a cold page: built from the data, not served from the page cache
    # The business with its organisation; trades, places, certifications, awards; the staff's
    # activity and history (the content type is cached).
    with assert_own_queries(7):
        response = client.get(url("business_detail", "aurora-plumbing"))
    assert len(response.context["certifications"]) == 7


def test_staff_add_a_business(client, personas, world):
    assert_permission_matrix(client, personas, "get", url("business_create"), STAFF_PAGE, default=403)
    login_as(client, personas, "staff")
    response = client.post(url("business_create"), {
        "name": "Nokomis Mechanical", "naics_codes": "238220, 2382", "places_served": ["saint-paul"],
        "bonding_limit": "1,000,000", "preferred_language": "es", "bipoc_owned": "yes", "visibility": "public",
    })
    assert response.status_code == 302
    business = Business.objects.get(slug="nokomis-mechanical")
    assert business.bonding_limit_cents == 100_000_000 and business.preferred_language == "es"


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"naics_codes": "2, 238220"}, "naics_codes", "is not a NAICS code"),
    ({"bonding_limit": "-10"}, "bonding_limit", "cannot be negative"),
    ({"bonding_limit": "10.123"}, "bonding_limit", "at most two decimals"),
])
def test_bad_business_input_comes_back_on_its_field(client, personas, world, data, field, message):
    login_as(client, personas, "staff")
    response = client.post(url("business_create"), {"name": "Nokomis", "preferred_language": "en", "visibility": "public",
                                                     **data})
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not Business.objects.filter(name="Nokomis").exists()


def test_a_representative_edits_their_organisations_business(client, personas, world):
    edit = url("business_edit", "aurora-plumbing")
    assert_permission_matrix(client, personas, "get", edit, {"anonymous": 302, "member_a": 200, "staff": 200, "admin": 200},
                             default=403)
    login_as(client, personas, "member_a")
    form = client.get(edit).context["form"]
    assert "organization" not in form.fields and "visibility" not in form.fields
    response = client.post(edit, {"name": "Aurora Plumbing & Heating", "naics_codes": "238220", "preferred_language": "so",
                                  "places_served": ["ramsey-county"], "bonding_limit": "300000"})
    assert response.status_code == 302
    world.plumber.refresh_from_db()
    assert world.plumber.name == "Aurora Plumbing & Heating" and world.plumber.organization == personas.org_a


def test_consent_to_notices_is_set_on_the_business_page(client, personas, world):
    consent = url("business_notices_consent", "aurora-plumbing")
    assert_permission_matrix(client, personas, "post", consent,
                             {"anonymous": 302, "member_a": 302, "staff": 302, "admin": 302}, default=403)
    world.plumber.refresh_from_db()
    assert not world.plumber.consents_to_notices  # the posts carried no consent: withdrawn
    login_as(client, personas, "member_a")
    client.post(consent, {"consent": "on"})
    world.plumber.refresh_from_db()
    assert world.plumber.consents_to_notices


def test_certifications_are_added_and_removed_by_those_who_edit(client, personas, world):
    add = url("certification_add", "aurora-plumbing")
    assert_permission_matrix(client, personas, "get", add, {"anonymous": 302, "member_a": 200, "staff": 200, "admin": 200},
                             default=403)
    login_as(client, personas, "member_a")
    bad = client.post(add, {"program": "tgb", "valid_from": "2025-05-01", "valid_until": "2025-04-01"})
    assert bad.status_code == 400 and "cannot end before it begins" in " ".join(bad.context["form"].errors["valid_until"])
    assert client.post(add, {"program": "tgb", "valid_from": "2025-05-01"}).status_code == 302
    certification = Certification.objects.get(business=world.plumber, program="tgb")
    remove = url("certification_remove", certification.public_id)
    login_as(client, personas, "member_b")
    assert client.post(remove).status_code == 403
    login_as(client, personas, "member_a")
    assert client.post(remove).status_code == 302
    assert not Certification.objects.filter(pk=certification.pk).exists()


def test_an_expired_certification_is_shown_as_expired(client, personas, world):
    login_as(client, personas, "staff")
    body = client.get(url("business_detail", "bright-current")).content.decode()
    assert "Expired" in body and "Current" in body


# --- opportunities --------------------------------------------------------------------------------


def test_opportunity_pages_follow_their_and_their_investments_visibility(client, personas, world):
    assert_permission_matrix(client, personas, "get", url("opportunity_list"), EVERYONE, default=200)
    assert_permission_matrix(client, personas, "get", url("opportunity_detail", world.public_opportunity.public_id),
                             EVERYONE, default=200)
    assert_permission_matrix(client, personas, "get", url("opportunity_detail", world.opportunity.public_id),
                             {"anonymous": 404, "public_user": 404}, default=200)
    assert_permission_matrix(client, personas, "get", url("opportunity_detail", world.hidden.public_id),
                             {"staff": 200, "admin": 200}, default=404)


def cells(body: str, name: str) -> list[str]:
    """The texts of the cells of the matches table's row for this business."""
    for row in re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", body, re.S):
        texts = [t.strip() for t in re.findall(r">([^<>]*)<", row) if t.strip()]
        if texts and texts[0] == name:
            return texts
    return []


def test_the_opportunity_page_lists_the_matches_and_why(client, personas, world):
    login_as(client, personas, "member_b")
    body = client.get(url("opportunity_detail", world.opportunity.public_id)).content.decode()
    assert "Aurora Plumbing Co" in body and "Bright Current Electric" in body and "Quiet Mechanical" not in body
    assert "Ramsey County" in body and "DBE" in body
    assert f'href="{url("business_detail", "aurora-plumbing")}"' in body
    # Nothing wanted, no place named: each row says so, in the reader's language.
    broad = OpportunityFactory(investment=world.opportunity.investment, title="Any trade 23", codes=["23"])
    body = client.get(url("opportunity_detail", broad.public_id)).content.decode()
    assert cells(body, "Aurora Plumbing Co") == ["Aurora Plumbing Co", "238220", "CERT", "Any place"]
    # Bright Current's certification lapses: its row says none is current
    Certification.objects.filter(business__name="Bright Current Electric").update(valid_until=TODAY - DAY)
    PAGES.changed()
    body = client.get(url("opportunity_detail", broad.public_id)).content.decode()
    assert cells(body, "Bright Current Electric") == ["Bright Current Electric", "238210", "None wanted", "Any place"]
    client.post(reverse("accounts:language_set"), {"language": "es", "next": "/"})
    body = client.get(url("opportunity_detail", broad.public_id)).content.decode()
    assert "None wanted" not in body and "Any place" not in body


def test_the_opportunity_list_filters_by_investment_for_the_investment_page(client, personas, world):
    login_as(client, personas, "member_b")
    response = client.get(url("opportunity_list"), {"investment": "snelling-station"})
    assert [o.title for o in response.context["opportunities"]] == ["Station mechanical work"]
    csv = b"".join(client.get(url("opportunity_list"), {"format": "csv"}).streaming_content).decode()
    assert "Park design" in csv and "Land survey" not in csv


def test_the_opportunity_list_queries_do_not_grow_with_rows(client, personas, world):
    for n in range(6):
        OpportunityFactory(investment=world.investment, codes=["238", f"54{n}"], awarded_to=world.plumber,
                           status="awarded")
    login_as(client, personas, "member_a")
    client.get(url("opportunity_list"))
    PAGES.changed()  # a cold page: built from the data, not served from the page cache
    # How many investments the filter would list (a menu up to 50), the paginator's count, the page
    # with investments and winners, their trades; the investment filter's choices.
    with assert_own_queries(5):
        response = client.get(url("opportunity_list"))
    assert len(response.context["opportunities"]) == 8


def test_the_opportunity_page_queries_do_not_grow_with_matches(client, personas, world):
    for n in range(6):
        b = BusinessFactory(codes=[f"23822{n}"])
        b.places_served.add(world.places.saint_paul)
        CertificationFactory(business=b, program="dbe")
    login_as(client, personas, "member_a")
    client.get(url("opportunity_detail", world.opportunity.public_id))
    PAGES.changed()  # a cold page: built from the data, not served from the page cache
    # The opportunity with investment and winner; the matching: its codes, its places,
    # the containing places (county, state, none above), the businesses, their matching trades,
    # certifications and places; its places for the page.
    with assert_own_queries(11):
        response = client.get(url("opportunity_detail", world.opportunity.public_id))
    assert len(response.context["matches"]) == 8


def test_staff_post_an_opportunity(client, personas, world):
    assert_permission_matrix(client, personas, "get", url("opportunity_create"), STAFF_PAGE, default=403)
    login_as(client, personas, "staff")
    response = client.post(url("opportunity_create"), {
        "investment": "snelling-station", "title": "Elevator maintenance", "naics_codes": "238290",
        "certifications_wanted": ["cert", "tgb"], "places": ["saint-paul"], "estimated_value": "80,000",
        "bid_due_on": (TODAY + 30 * DAY).isoformat(), "links": "https://bids.example/e1\nhttps://bids.example/e2",
        "visibility": "members",
    })
    assert response.status_code == 302
    opportunity = ContractingOpportunity.objects.get(title="Elevator maintenance")
    assert opportunity.links == ["https://bids.example/e1", "https://bids.example/e2"]
    assert opportunity.estimated_value_cents == 8_000_000
    bad = client.post(url("opportunity_create"), {"investment": "snelling-station", "title": "X", "naics_codes": "1",
                                                  "visibility": "members"})
    assert bad.status_code == 400 and "naics_codes" in bad.context["form"].errors


@pytest.mark.parametrize("name", ["opportunity_edit", "opportunity_close", "opportunity_award"])
def test_only_staff_manage_an_opportunity(client, personas, world, name):
    assert_permission_matrix(client, personas, "get", url(name, world.opportunity.public_id),
                             {"anonymous": 302, "public_user": 404, "staff": 200, "admin": 200}, default=403)


def test_staff_edit_close_and_award(client, personas, world):
    login_as(client, personas, "staff")
    edit = url("opportunity_edit", world.opportunity.public_id)
    data = {**client.get(edit).context["form"].initial}
    data.update(title="Station mechanical and plumbing work", naics_codes="2382, 238220", places=["saint-paul"],
                certifications_wanted=["cert"], links="", visibility="members", investment="")
    data = {k: v for k, v in data.items() if v is not None}
    assert client.post(edit, data).status_code == 302
    award = url("opportunity_award", world.opportunity.public_id)
    missing = client.post(award, {"business": "no-such-business", "amount": "100"})
    assert missing.status_code == 400 and "Choose a business in the directory." in str(missing.context["form"].errors)
    assert client.post(award, {"business": "aurora-plumbing", "amount": "95,000"}).status_code == 302
    world.opportunity.refresh_from_db()
    assert world.opportunity.status == "awarded" and world.opportunity.awarded_to == world.plumber
    close = client.post(url("opportunity_close", world.opportunity.public_id), {})
    assert close.status_code == 400  # an awarded opportunity is not open


def test_the_investment_page_counts_the_opportunities_the_viewer_may_see(client, personas, world):
    """The investment's page lists this app's line through core.hooks (it cannot import us)."""
    page = reverse("investments:investment_detail", args=[world.investment.slug])
    link = '<a href="/businesses/opportunities/?investment=snelling-station">'
    login_as(client, personas, "member_b")
    assert link + "1 contracting opportunity</a>" in client.get(page).content.decode()
    OpportunityFactory(investment=world.investment, title="Hidden work", visibility=Visibility.STAFF)
    assert link + "1 contracting opportunity</a>" in client.get(page).content.decode()
    login_as(client, personas, "staff")
    assert link + "2 contracting opportunities</a>" in client.get(page).content.decode()


def test_staff_find_businesses_in_the_admin(client, personas, world):
    login_as(client, personas, "admin")
    for path in ("/admin/businesses/business/", f"/admin/businesses/business/{world.plumber.pk}/change/",
                 "/admin/businesses/contractingopportunity/", "/admin/businesses/certification/"):
        assert client.get(path).status_code == 200, path


def test_the_investment_filter_lists_only_investments_with_opportunities_and_becomes_a_text_field(client, personas, world):
    from commontable.investments.tests.factories import InvestmentFactory

    login_as(client, personas, "staff")
    field = client.get(url("opportunity_list")).context["filter"].form.fields["investment"]
    assert sorted(i.slug for i in field.queryset) == ["open-park", "quiet-land-deal", "snelling-station"]
    for _n in range(50):
        OpportunityFactory(investment=InvestmentFactory(), codes=["23"])
    response = client.get(url("opportunity_list"), {"investment": "snelling-station"})
    assert response.context["filter"].form.fields["investment"].widget.input_type == "text"
    assert [o.title for o in response.context["opportunities"]] == ["Station mechanical work"]
