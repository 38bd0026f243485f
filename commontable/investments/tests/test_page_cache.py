"""Cached investment pages (core/page_cache.py, ADR 13): a second load is served from the cache, a
change shows on the next load whatever wrote it, and one viewer never gets a body built for another
(records they may not see, edit forms, another language)."""

import re
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from commontable.core.page_cache import CSRF_PLACEHOLDER
from commontable.core.testing import login_as
from commontable.investments import services
from commontable.investments.models import Commitment
from commontable.investments.pages import PAGES
from commontable.investments.tests.conftest import TODAY

LIST = reverse("investments:investment_list")
COMMITMENTS = reverse("investments:commitment_list")


def detail(investment):
    return reverse("investments:investment_detail", args=[investment.slug])


def commitment_page(commitment):
    return reverse("investments:commitment_detail", args=[commitment.public_id])


def body(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    page = response.content.decode()
    # Each response masks the CSRF token afresh: compare pages without it.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page[page.index("<main") : page.index("</main>")])


def test_a_second_load_is_served_from_the_cache(client, personas, world, django_assert_max_num_queries):
    login_as(client, personas, "staff")
    for url in (LIST, COMMITMENTS, detail(world.investment), commitment_page(world.commitments["met"])):
        first = body(client, url)
        # session, user, viewer: none of the page's own queries (the lists' counts, rows and menus).
        with django_assert_max_num_queries(5):
            second = body(client, url)
        assert second == first


def test_a_new_investment_shows_on_the_next_load(client, personas, world):
    login_as(client, personas, "staff")
    assert "Rondo Plaza" not in body(client, LIST)
    services.investment_create(actor=personas.user("staff"), name="Rondo Plaza", kind="housing", visibility="members")
    assert "Rondo Plaza" in body(client, LIST)


def test_a_new_report_shows_on_the_commitment_and_investment_pages(client, personas, world):
    login_as(client, personas, "staff")
    commitment = world.commitments["no_data"]
    assert "123.5" not in body(client, commitment_page(commitment))
    assert "123.5" not in body(client, detail(world.investment))
    services.commitment_report_add(
        actor=personas.user("staff"), commitment=commitment, value="123.5", as_of=TODAY,
        evidence_url="https://example.org/count.pdf",
    )
    assert "123.5" in body(client, commitment_page(commitment))
    assert "123.5" in body(client, detail(world.investment))


def test_a_write_that_signals_do_not_see_is_announced(client, personas, world):
    login_as(client, personas, "staff")
    commitment = world.commitments["no_data"]
    body(client, COMMITMENTS)
    # As a bulk load does: reports written without the service, then the latest ones stored.
    commitment.reports.create(value=Decimal("77.25"), as_of=TODAY, evidence_url="https://example.org/r.pdf")
    Commitment.objects.filter(pk=commitment.pk).update(latest_value=None, latest_on=None)
    PAGES.changed()
    assert "77.25" not in body(client, COMMITMENTS)
    Commitment.objects.filter(pk=commitment.pk).refresh_latest_report()
    assert "77.25" in body(client, COMMITMENTS)


def test_a_member_never_gets_the_body_built_for_staff(client, personas, world):
    login_as(client, personas, "staff")
    staff_list = body(client, LIST)
    assert "Quiet Land Deal" in staff_list and "Register an investment" in staff_list
    assert "Staff only: side letter" in body(client, detail(world.investment))
    login_as(client, personas, "member_a")
    member_list = body(client, LIST)
    assert "Quiet Land Deal" not in member_list and "Register an investment" not in member_list
    assert "Staff only: side letter" not in body(client, detail(world.investment))
    assert client.get(detail(world.hidden)).status_code == 404  # still decided on every request


def test_a_table_member_and_another_member_each_get_their_own_list(client, personas, world):
    login_as(client, personas, "table_member")
    assert "Corridor Study" in body(client, LIST)
    login_as(client, personas, "member_b")
    assert "Corridor Study" not in body(client, LIST)
    login_as(client, personas, "table_member")
    assert "Corridor Study" in body(client, LIST)


def test_the_language_is_part_of_the_key(client, personas, world):
    login_as(client, personas, "member_a")
    english = body(client, LIST)
    spanish = client.get(LIST, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Filter investments" in english
    assert 'lang="es"' in spanish and "Filter investments" not in spanish


def test_htmx_results_and_the_full_page_are_kept_apart(client, personas, world):
    login_as(client, personas, "member_a")
    partial = client.get(LIST, HTTP_HX_REQUEST="true").content.decode()
    assert "<form" not in partial and "Snelling Station" in partial
    page = client.get(LIST).content.decode()
    assert "<form" in page and "<html" in page
    assert "<html" not in client.get(LIST, HTTP_HX_REQUEST="true").content.decode()


def test_a_refused_filter_is_never_kept(client, personas, world):
    login_as(client, personas, "member_a")
    assert client.get(LIST, {"kind": "no-such-kind"}).status_code == 400
    assert client.get(LIST, {"kind": "no-such-kind"}).status_code == 400


def test_each_user_gets_their_own_csrf_token_in_a_cached_page(personas, world):
    tokens = []
    for _n in range(2):
        client = Client(enforce_csrf_checks=True)
        client.force_login(personas.user("staff"))
        page = client.get(detail(world.investment)).content.decode()
        assert CSRF_PLACEHOLDER not in page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        tokens.append(token)
        source = world.investment.funding_sources.order_by("pk").first()
        response = client.post(
            reverse("investments:funding_remove", args=[world.investment.slug]),
            {"source": source.pk, "csrfmiddlewaretoken": token},
        )
        assert response.status_code == 302  # the token in the cached page is this user's own
    assert tokens[0] != tokens[1]


def test_one_staff_member_watching_an_investment_does_not_show_on_anothers_page(client, personas, world):
    from commontable.accounts.models import User

    other = User.objects.create_user("second-staff@example.org", "pw-unused-123", role="staff", full_name="Second Staff")
    login_as(client, personas, "staff")
    assert "Stop watching" not in body(client, detail(world.investment))
    assert client.post(reverse("investments:investment_watch", args=[world.investment.slug])).status_code == 302
    assert "Stop watching" in body(client, detail(world.investment))
    client.force_login(other)
    assert "Stop watching" not in body(client, detail(world.investment))
