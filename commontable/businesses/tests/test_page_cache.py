"""Cached business directory pages (core/page_cache.py, ADR 13): a second load is served from the
cache, a change shows on the next load, and one viewer never gets a body built for another
(contact details, records they may not see, edit forms)."""

import re

from django.urls import reverse

from commontable.businesses import services
from commontable.core.testing import login_as

LIST = reverse("businesses:business_list")
OPPORTUNITIES = reverse("businesses:opportunity_list")


def body(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    page = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page[page.index("<main") : page.index("</main>")])


def business_page(business):
    return reverse("businesses:business_detail", args=[business.slug])


def opportunity_page(opportunity):
    return reverse("businesses:opportunity_detail", args=[opportunity.public_id])


def test_a_second_load_is_served_from_the_cache(client, personas, world, django_assert_max_num_queries):
    login_as(client, personas, "staff")
    for url in (LIST, OPPORTUNITIES, business_page(world.plumber), opportunity_page(world.opportunity)):
        first = body(client, url)
        with django_assert_max_num_queries(5):  # session, user, viewer: none of the page's own
            second = body(client, url)
        assert second == first


def test_an_anonymous_visitor_never_gets_contact_details_built_for_staff(client, personas, world):
    login_as(client, personas, "staff")
    assert "office@aurora-plumbing.example" in body(client, business_page(world.plumber))
    assert "Quiet Mechanical" in body(client, LIST)
    client.logout()
    assert "office@aurora-plumbing.example" not in body(client, business_page(world.plumber))
    assert "Quiet Mechanical" not in body(client, LIST)
    assert client.get(business_page(world.secret)).status_code == 404


def test_a_representative_sees_their_own_business_contacts_and_another_member_does_not(client, personas, world):
    login_as(client, personas, "member_a")  # org A: the plumber's organisation
    assert "office@aurora-plumbing.example" in body(client, business_page(world.plumber))
    login_as(client, personas, "member_b")
    assert "office@aurora-plumbing.example" not in body(client, business_page(world.plumber))


def test_a_change_shows_on_the_next_load(client, personas, world):
    login_as(client, personas, "staff")
    before = body(client, LIST)
    services.business_update(actor=personas.user("staff"), business=world.architect, name="Cedar Line Design Studio")
    after = body(client, LIST)
    assert "Cedar Line Architects" in before and "Cedar Line Design Studio" in after
    assert "Cedar Line Design Studio" in body(client, business_page(world.architect))


def test_a_refused_filter_is_never_kept(client, personas, world):
    assert client.get(LIST, {"program": "no-such-program"}).status_code == 400
    assert client.get(LIST, {"program": "no-such-program"}).status_code == 400
