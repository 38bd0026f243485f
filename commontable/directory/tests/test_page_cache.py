"""Cached directory pages (ADR 13): a change shows on the next load whatever wrote it, and one
viewer never sees a page body built for another (masked or unmasked contact details, edit links)."""

import datetime as dt
import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commontable.core.imports import get_import, import_file_apply
from commontable.core.models import IssueTopic
from commontable.core.testing import login_as
from commontable.directory import page_cache, services
from commontable.directory.models import Affiliation, Organization
from commontable.directory.tests.factories import AffiliationFactory, PersonFactory

ORGS = reverse("directory:organization_list")
PEOPLE = reverse("directory:person_list")
TABLES = reverse("directory:table_list")


def org_page(org):
    return reverse("directory:organization_detail", args=[org.slug])


def person_page(person):
    return reverse("directory:person_detail", args=[person.public_id])


def body(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def main(page):
    return page[page.index("<main") : page.index("</main>")]


@pytest.fixture
def colleague(personas):
    """A person of org A (which does not share its people's contact details)."""
    person = PersonFactory(full_name="Hli Lor", email="hli@org-a.example", phone="612-555-0101")
    AffiliationFactory(person=person, organization=personas.org_a, role="Organizer")
    return person


# Served from the cache --------------------------------------------------------------------------


def test_a_second_load_runs_only_the_sign_in_and_viewer_queries(client, personas, colleague, django_assert_num_queries):
    login_as(client, personas, "member_a")
    first = body(client, PEOPLE)
    # session and user only: the viewer comes from the cache (kept with the directory's data
    # version) and so does the list (the test cache is in memory; the database cache adds a read
    # of the version with the viewer, and one of the page).
    with django_assert_num_queries(2):
        second = body(client, PEOPLE)
    assert main(second) == main(first)


@pytest.mark.parametrize("url_name", ["organization_list", "person_list", "table_list"])
def test_htmx_gets_the_results_and_the_page_stays_whole(client, personas, url_name):
    login_as(client, personas, "staff")
    url = reverse(f"directory:{url_name}")
    partial = client.get(url, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()
    assert "HX-Request" in partial["Vary"]
    page = body(client, url)
    assert "<html" in page
    assert "<html" not in client.get(url, headers={"HX-Request": "true"}).content.decode()


def test_a_page_with_filter_errors_is_not_kept(client, personas):
    login_as(client, personas, "staff")
    assert client.get(ORGS, {"kind": "no-such-kind"}).status_code == 400
    assert client.get(ORGS, {"kind": "no-such-kind"}).status_code == 400


# A change shows on the next load ------------------------------------------------------------------


def test_a_saved_record_shows_on_the_next_load(client, personas):
    login_as(client, personas, "staff")
    assert "Org A" in body(client, ORGS) and "Org A" in body(client, org_page(personas.org_a))
    services.organization_update(organization=personas.org_a, actor=None, name="Org Alpha")
    assert "Org Alpha" in body(client, ORGS)
    assert "Org Alpha" in body(client, org_page(personas.org_a))


def test_a_many_to_many_change_shows_on_the_next_load(client, personas):
    issue = IssueTopic.objects.create(name="Transit justice", slug="transit-justice")
    login_as(client, personas, "staff")
    assert "<td>Transit justice</td>" not in body(client, ORGS)
    services.organization_update(organization=personas.org_a, actor=None, issues=[issue])
    assert "<td>Transit justice</td>" in body(client, ORGS)


def test_an_ended_affiliation_leaves_the_roster_on_the_next_load(client, personas, colleague):
    login_as(client, personas, "staff")
    assert "Hli Lor" in body(client, org_page(personas.org_a))
    affiliation = Affiliation.objects.get(person=colleague)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Affiliation.objects.filter(pk=affiliation.pk).update(start_on=yesterday - dt.timedelta(days=30))
    affiliation.refresh_from_db()
    services.affiliation_end(actor=None, affiliation=affiliation, end_on=yesterday)
    assert "Hli Lor" not in body(client, org_page(personas.org_a))


def test_a_deleted_record_disappears_on_the_next_load(client, personas):
    login_as(client, personas, "staff")
    assert "Corridor Table" in body(client, TABLES)
    personas.table.participations.all().delete()
    personas.table.delete()
    assert "Corridor Table" not in body(client, TABLES)


def test_consent_to_share_contacts_shows_at_once_for_other_members(client, personas, colleague):
    login_as(client, personas, "member_b")
    assert "hli@org-a.example" not in body(client, PEOPLE)
    services.organization_update(organization=personas.org_a, actor=None, shares_contacts=True)
    assert "hli@org-a.example" in body(client, PEOPLE)
    services.organization_update(organization=personas.org_a, actor=None, shares_contacts=False)
    assert "hli@org-a.example" not in body(client, PEOPLE)


def test_a_bulk_import_shows_on_the_next_load(client, personas):
    login_as(client, personas, "staff")
    assert "Imported Person" not in body(client, PEOPLE)
    data = b"full_name,email,organization\nImported Person,imported@example.org,org-a\n"
    import_file_apply(spec=get_import("people"), data=data, filename="people.csv", actor=personas.user("staff"))
    assert "Imported Person" in body(client, PEOPLE)


def test_a_write_the_signals_do_not_see_shows_once_announced(client, personas):
    login_as(client, personas, "staff")
    assert "Org A" in body(client, ORGS)
    Organization.objects.filter(pk=personas.org_a.pk).update(name="Org Quietly Renamed")
    page_cache.pages_changed()
    assert "Org Quietly Renamed" in body(client, ORGS)


def test_the_version_is_replaced_again_when_the_transaction_commits(personas):
    with transaction.atomic():
        services.organization_update(organization=personas.org_a, actor=None, name="Org One")
        services.organization_update(organization=personas.org_b, actor=None, name="Org Two")
    # Once per transaction however many rows it wrote: a page another process built from the
    # data before the commit, under a token replaced during the transaction, is not kept.
    pending = [callback for _sids, callback, _robust in transaction.get_connection().run_on_commit]
    assert pending.count(page_cache._after_commit) == 1
    before = page_cache.data_version(page_cache.LABEL)
    page_cache._after_commit()
    assert page_cache.data_version(page_cache.LABEL) != before


def test_a_token_evicted_from_the_cache_is_never_read_as_empty(personas):
    from django.core.cache import cache

    first = page_cache.data_version(page_cache.LABEL)
    cache.clear()
    second = page_cache.data_version(page_cache.LABEL)
    assert second != first and "" not in second.split(".")


# No viewer sees another's page ----------------------------------------------------------------------


@pytest.mark.parametrize("first", ["member_a", "member_b", "staff", "table_member"])
def test_contact_details_follow_the_viewer_whoever_loaded_the_page_first(client, personas, colleague, first):
    expected = {"member_a": True, "member_b": False, "staff": True, "table_member": False}
    order = [first, *(name for name in expected if name != first)]
    for _round in range(2):
        for name in order:
            login_as(client, personas, name)
            assert ("hli@org-a.example" in body(client, PEOPLE)) is expected[name], name
            assert ("hli@org-a.example" in body(client, org_page(personas.org_a))) is expected[name], name
            assert ("hli@org-a.example" in body(client, person_page(colleague))) is expected[name], name


def test_edit_links_follow_the_viewer(client, personas, colleague):
    edit = reverse("directory:person_edit", args=[colleague.public_id])
    org_edit = reverse("directory:organization_edit", args=[personas.org_a.slug])
    for name, can_edit in [("member_a", True), ("member_b", False), ("member_a", True), ("staff", True), ("member_b", False)]:
        login_as(client, personas, name)
        assert (edit in body(client, person_page(colleague))) is can_edit, name
        assert (org_edit in body(client, org_page(personas.org_a))) is can_edit, name


def test_becoming_a_representative_changes_the_page_at_once(client, personas, colleague):
    login_as(client, personas, "member_b")
    assert "hli@org-a.example" not in body(client, PEOPLE)
    AffiliationFactory(person=personas.person_b, organization=personas.org_a, is_representative=True)
    assert "hli@org-a.example" in body(client, PEOPLE)


def test_a_new_role_changes_the_page_at_once(client, personas, colleague):
    login_as(client, personas, "member_b")
    assert "hli@org-a.example" not in body(client, PEOPLE)
    user = personas.user("member_b")
    user.role = "staff"
    user.save()
    assert "hli@org-a.example" in body(client, PEOPLE)


def test_each_language_gets_its_own_page(client, personas):
    login_as(client, personas, "staff")
    english = body(client, ORGS)
    user = personas.user("staff")
    user.preferred_language = "es"
    user.save()
    spanish = body(client, ORGS)
    assert "Organizaciones" in main(spanish) and "Organizaciones" not in main(english)


def test_each_user_gets_their_own_csrf_token_in_a_cached_page(personas, colleague):
    tokens = []
    for _n in range(2):
        client = Client(enforce_csrf_checks=True)
        login_as(client, personas, "staff")
        page = body(client, person_page(colleague))
        assert page_cache.CSRF_PLACEHOLDER not in page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        tokens.append(token)
        response = client.post(
            reverse("directory:consent_give", args=[colleague.public_id]),
            {"purpose": "contact_email", "text_version": "v1", "source": "paper", "csrfmiddlewaretoken": token},
        )
        assert response.status_code in (200, 302), response.status_code
    assert tokens[0] != tokens[1]


# Pages that change by the clock ---------------------------------------------------------------------


def test_a_page_is_kept_no_longer_than_until_a_consent_lapses():
    now = timezone.now()
    soon = now + dt.timedelta(seconds=30)
    assert 1 <= page_cache.seconds_until([soon, None, now - dt.timedelta(days=1)], 600) <= 31
    assert page_cache.seconds_until([now + dt.timedelta(days=3)], 600) == 600


def test_filtering_by_consent_is_never_kept(client, personas, colleague):
    login_as(client, personas, "staff")
    first = client.get(PEOPLE, {"contact_consent": "no"})
    second = client.get(PEOPLE, {"contact_consent": "no"})
    # Built each time: the context of the rendered body is there on the second request too.
    assert first.context["rows"] is not None and second.context["rows"] is not None


def test_the_cache_key_names_the_day(client, personas, monkeypatch):
    login_as(client, personas, "staff")
    request = client.get(ORGS).wsgi_request
    today = page_cache.page_key(request, "organization_list")
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date.today() + dt.timedelta(days=1))
    assert page_cache.page_key(request, "organization_list") != today
