"""The decision calendar's pages and feeds: permission matrices, the month agenda with its filters,
adding and changing decisions (daylight-saving gap, end before start, deadline kinds), watching,
iCalendar feeds (VTIMEZONE, TZID, UID, SEQUENCE, ETag, revoked token), query counts."""

import datetime as dt
from contextlib import contextmanager

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commontable.core import feeds
from commontable.core.indicators import data_changed
from commontable.core.models import ActivityLog
from commontable.core.testing import assert_permission_matrix, login_as
from commontable.core.visibility import Visibility, VisibilityQuerySet
from commontable.directory.tests.factories import OrganizationFactory
from commontable.investments import calendar
from commontable.investments.models import Decision, DecisionKind, DecisionStatus, InvestmentQuerySet
from commontable.investments.tests.factories import InvestmentFactory

SOON = timezone.localdate() + dt.timedelta(days=10)


def add(investment, title="Council hearing", *, on=SOON, at=dt.time(18, 30), actor=None, **fields):
    fields.setdefault("kind", DecisionKind.HEARING)
    return calendar.decision_create(actor=actor, investment=investment, title=title, starts_on=on,
                                    starts_at_time=at, **fields)


@pytest.fixture
def cal(personas):
    council = OrganizationFactory(name="Saint Paul City Council", slug="saint-paul-city-council")
    public = InvestmentFactory(name="Green Line Extension", slug="green-line", visibility=Visibility.PUBLIC)
    members = InvestmentFactory(name="Snelling Station", slug="snelling-station", visibility=Visibility.MEMBERS)
    members.organizations.add(personas.org_a)
    hidden = InvestmentFactory(name="Quiet Land Deal", slug="quiet-land-deal", visibility=Visibility.STAFF)
    public_hearing = add(public, "Public hearing on the extension", body=council, location="City Hall, room 300")
    member_vote = add(members, "Council vote on the station", kind=DecisionKind.VOTE, body_name="Transportation committee")
    staff_vote = add(hidden, "Closed vote on the land deal", kind=DecisionKind.VOTE)
    comment = add(public, "Comments on the environmental review", kind=DecisionKind.COMMENT_DEADLINE,
                  deadline_kind="hard_date", at=dt.time(16, 30))
    rolling = add(public, "Comments on the station area plan", kind=DecisionKind.COMMENT_DEADLINE,
                  deadline_kind="rolling", on=None, at=None)
    return type("Cal", (), {"council": council, "public": public, "members": members, "hidden": hidden,
                                "public_hearing": public_hearing, "member_vote": member_vote, "staff_vote": staff_vote,
                                "comment": comment, "rolling": rolling})


# Signing in and the viewer's organisations and tables are the directory's business and may come
# from its cache or not; the query counts below are of the calendar's own queries.
SIGN_IN_AND_VIEWER = ('"django_session"', 'FROM "accounts_user"', 'FROM "directory_person"',
                      'FROM "directory_affiliation"', 'FROM "directory_tableparticipation"',
                      'FROM "accounts_apitoken"')


@contextmanager
def assert_own_queries(n: int):
    with CaptureQueriesContext(connection) as context:
        yield context
    mine = [q["sql"] for q in context.captured_queries
            if not any(q["sql"].split(" WHERE ")[0].count(t) for t in SIGN_IN_AND_VIEWER)]
    assert len(mine) == n, f"expected {n} own queries, got {len(mine)}:\n" + "\n".join(q[:200] for q in mine)


def month_of(decision):
    return f"{decision.starts_on:%Y-%m}"


# --- permission matrices ------------------------------------------------------------------------------


def test_calendar_page_answers_everyone(client, personas, cal):
    url = reverse("investments:decision_calendar")
    assert_permission_matrix(client, personas, "get", url, {}, default=200)


def test_the_calendar_is_in_everyones_navigation(client, personas, cal):
    entry = f'<a href="{reverse("investments:decision_calendar")}">Decision calendar</a>'
    for persona in ("anonymous", "public_user", "member_b", "staff"):
        assert entry in login_as(client, personas, persona).get(reverse("core:home")).content.decode(), persona


def test_calendar_shows_each_persona_what_they_may_see(client, personas, cal):
    url = reverse("investments:decision_calendar") + f"?month={month_of(cal.public_hearing)}"
    for persona, sees_member, sees_staff in [("anonymous", False, False), ("public_user", False, False),
                                             ("member_b", True, False), ("staff", True, True)]:
        html = login_as(client, personas, persona).get(url).content.decode()
        assert "Public hearing on the extension" in html
        assert ("Council vote on the station" in html) is sees_member, persona
        assert ("Closed vote on the land deal" in html) is sees_staff, persona


def test_decision_page_follows_the_investments_visibility(client, personas, cal):
    public = reverse("investments:decision_detail", args=[cal.public_hearing.public_id])
    assert_permission_matrix(client, personas, "get", public, {}, default=200)
    member = reverse("investments:decision_detail", args=[cal.member_vote.public_id])
    assert_permission_matrix(client, personas, "get", member, {"anonymous": 404, "public_user": 404}, default=200)
    staff = reverse("investments:decision_detail", args=[cal.staff_vote.public_id])
    assert_permission_matrix(client, personas, "get", staff, {"staff": 200, "admin": 200}, default=404)


def test_only_staff_add_and_change_decisions(client, personas, cal):
    create = reverse("investments:decision_create", args=[cal.members.slug])
    assert_permission_matrix(client, personas, "get", create,
                             {"anonymous": 302, "public_user": 404, "staff": 200, "admin": 200}, default=403)
    edit = reverse("investments:decision_edit", args=[cal.member_vote.public_id])
    assert_permission_matrix(client, personas, "get", edit,
                             {"anonymous": 302, "public_user": 404, "staff": 200, "admin": 200}, default=403)


def test_watching_needs_sign_in_and_sight_of_the_investment(client, personas, cal):
    for name in ("investment_watch", "investment_unwatch"):
        url = reverse(f"investments:{name}", args=[cal.members.slug])
        assert_permission_matrix(client, personas, "post", url, {"anonymous": 302, "public_user": 404}, default=302)
        assert_permission_matrix(client, personas, "get", url, {"anonymous": 302}, default=405)


def test_public_feeds_answer_everyone_and_hide_non_public_investments(client, personas, cal):
    assert_permission_matrix(client, personas, "get", reverse("investments:decision_feed_public"), {}, default=200)
    assert_permission_matrix(client, personas, "get", reverse("investments:investment_feed", args=[cal.public.slug]),
                             {}, default=200)
    assert_permission_matrix(client, personas, "get", reverse("investments:investment_feed", args=[cal.members.slug]),
                             {}, default=404)


# --- the calendar page ------------------------------------------------------------------------------------


def test_calendar_filters_by_investment_body_and_kind(client, personas, cal):
    login_as(client, personas, "staff")
    base = reverse("investments:decision_calendar") + f"?month={month_of(cal.public_hearing)}"
    html = client.get(base + "&body=saint-paul-city-council").content.decode()
    assert "Public hearing on the extension" in html and "Council vote on the station" not in html
    html = client.get(base + "&kind=vote").content.decode()
    assert "Council vote on the station" in html and "Public hearing on the extension" not in html
    html = client.get(base + f"&investment={cal.members.slug}").content.decode()
    assert "Council vote on the station" in html and "Closed vote" not in html
    assert "Comments on the station area plan" not in html  # an undated deadline of another investment


def test_calendar_ignores_a_bad_month(client, cal):
    response = client.get(reverse("investments:decision_calendar") + "?month=2026-13")
    assert response.status_code == 200


def test_calendar_query_count(client, personas, cal):
    for i in range(5):
        add(cal.public, f"Extra hearing {i}", body=cal.council, at=dt.time(9 + i))
    login_as(client, personas, "member_b")
    url = reverse("investments:decision_calendar") + f"?month={month_of(cal.public_hearing)}&investment=green-line"
    client.get(url)
    # Most loads: the menus and the month's agenda come from the cache (the tests' cache is in
    # memory; on the database cache these are two reads: the data version, then both entries).
    with assert_own_queries(0):
        response = client.get(url)
    assert response.content.decode().count("Extra hearing") == 5
    # The first load after a change: investments with decisions, bodies of visible decisions, the
    # month's decisions with their investment and body (the selected investment is in the menu).
    data_changed(calendar.CALENDAR_LABEL)
    with assert_own_queries(3):
        response = client.get(url)
    assert response.content.decode().count("Extra hearing") == 5


# --- the calendar page's cache: fresh after every write, never shared between viewers ---------------------


def test_a_changed_decision_shows_on_the_next_load(client, personas, cal):
    login_as(client, personas, "staff")
    url = reverse("investments:decision_calendar") + f"?month={month_of(cal.public_hearing)}"
    assert "Public hearing on the extension" in client.get(url).content.decode()
    calendar.decision_update(actor=None, decision=cal.public_hearing, title="Hearing on the extension, moved",
                             starts_at_time=dt.time(9, 15), status=DecisionStatus.POSTPONED)
    html = client.get(url).content.decode()
    assert "Public hearing on the extension" not in html
    assert "Hearing on the extension, moved</a> — Public hearing, 9:15 a.m." in html
    assert '<span class="badge">Postponed</span>' in html
    add(cal.public, "A vote added since", kind=DecisionKind.VOTE)
    assert "A vote added since" in client.get(url).content.decode()
    cal.member_vote.delete()
    assert "Council vote on the station" not in client.get(url).content.decode()


def test_renamed_investments_and_bodies_and_new_menu_entries_show_on_the_next_load(client, personas, cal):
    login_as(client, personas, "staff")
    url = reverse("investments:decision_calendar") + f"?month={month_of(cal.public_hearing)}"
    html = client.get(url).content.decode()
    assert '<option value="green-line">Green Line Extension</option>' in html
    cal.public.name = "Green Line Extension (Southwest)"
    cal.public.save()
    cal.council.name = "City Council of Saint Paul"
    cal.council.save()
    html = client.get(url).content.decode()
    assert '<option value="green-line">Green Line Extension (Southwest)</option>' in html
    assert "City Council of Saint Paul; Green Line Extension (Southwest)" in html
    newcomer = InvestmentFactory(name="Riverview Corridor", slug="riverview", visibility=Visibility.PUBLIC)
    assert '<option value="riverview">' not in client.get(url).content.decode()  # no decisions yet
    add(newcomer, "Scoping hearing")
    html = client.get(url + "&investment=riverview").content.decode()
    assert '<option value="riverview" selected>Riverview Corridor</option>' in html
    assert "Scoping hearing" in html and "Public hearing on the extension" not in html


def test_an_investment_made_public_shows_to_anonymous_visitors_on_the_next_load(client, personas, cal):
    url = reverse("investments:decision_calendar") + f"?month={month_of(cal.public_hearing)}"
    assert "Council vote on the station" not in client.get(url).content.decode()
    cal.members.visibility = Visibility.PUBLIC
    cal.members.save()
    html = client.get(url).content.decode()
    assert "Council vote on the station" in html and '<option value="snelling-station">' in html


def test_viewers_never_get_each_others_calendar(client, personas, cal):
    table_deal = InvestmentFactory(name="Corridor Land Trust", slug="corridor-land-trust",
                                   visibility=Visibility.TABLE, visibility_table=personas.table)
    add(table_deal, "Land trust board vote", kind=DecisionKind.VOTE)
    url = reverse("investments:decision_calendar") + f"?month={month_of(cal.public_hearing)}"
    # Those who see the most load first, so that a shared entry would leak to the others.
    for persona, sees in [("staff", {"Closed vote", "Council vote", "Land trust"}),
                          ("table_member", {"Council vote", "Land trust"}),
                          ("member_b", {"Council vote"}), ("public_user", set()), ("anonymous", set())]:
        html = login_as(client, personas, persona).get(url).content.decode()
        assert "Public hearing on the extension" in html
        for title, slug in [("Closed vote", "quiet-land-deal"), ("Council vote", "snelling-station"),
                            ("Land trust", "corridor-land-trust")]:
            assert (title in html) is (title in sees), (persona, title)
            assert (f'<option value="{slug}">' in html) is (title in sees), (persona, slug)


def test_the_calendar_is_cached_per_language(client, cal):
    url = reverse("investments:decision_calendar") + f"?month={month_of(cal.public_hearing)}"
    english = client.get(url).content.decode()
    spanish = client.get(url, headers={"accept-language": "es"}).content.decode()
    assert "— Public hearing" in english and "— Public hearing" not in spanish
    assert "— Audiencia pública" in spanish


def test_the_visibility_class_follows_the_investments_visibility_rule():
    # `calendar.visibility_class` mirrors `Investment.objects.visible_to`: no exceptions of its own.
    assert InvestmentQuerySet.extra_visibility is VisibilityQuerySet.extra_visibility


def test_the_decisions_admin_is_a_read_only_list_for_administrators(client, personas, cal):
    login_as(client, personas, "admin")
    changelist = reverse("admin:investments_decision_changelist")
    html = client.get(changelist).content.decode()
    assert "Public hearing on the extension" in html and "Closed vote on the land deal" in html
    assert "Council vote on the station" in client.get(changelist, {"q": "Snelling"}).content.decode()
    assert client.get(reverse("admin:investments_decision_change", args=[cal.member_vote.pk])).status_code == 200
    assert client.get(reverse("admin:investments_decision_add")).status_code == 403
    delete = reverse("admin:investments_decision_delete", args=[cal.member_vote.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Decision.objects.filter(pk=cal.member_vote.pk).exists()
    # The same queries for five more rows (each row's investment and body come with it).
    with CaptureQueriesContext(connection) as before:
        client.get(changelist)
    for i in range(5):
        add(cal.members, f"Extra vote {i}", kind=DecisionKind.VOTE, body=cal.council)
    client.get(changelist)  # the viewer, kept until data changes, is worked out again once
    with CaptureQueriesContext(connection) as after:
        assert client.get(changelist).content.decode().count("Extra vote") == 5
    assert len(after) == len(before)
    login_as(client, personas, "staff")
    assert client.get(changelist).status_code == 403  # staff hold no admin permissions: it is for administrators


# --- adding and changing -----------------------------------------------------------------------------------


def _form(**overrides):
    data = {"kind": "hearing", "title": "Budget hearing", "starts_on": "2027-03-14", "starts_at_time": "18:00",
            "time_zone": "America/Chicago", "status": "scheduled", "location": "City Hall"}
    data.update(overrides)
    return data


def test_staff_add_a_hearing_in_local_time(client, personas, cal):
    login_as(client, personas, "staff")
    response = client.post(reverse("investments:decision_create", args=[cal.members.slug]),
                           _form(body="saint-paul-city-council"))
    assert response.status_code == 302
    decision = Decision.objects.get(title="Budget hearing")
    assert decision.starts_at == dt.datetime(2027, 3, 14, 23, 0, tzinfo=dt.UTC)  # CDT, after the change
    assert decision.body == cal.council and decision.sequence == 0
    assert ActivityLog.objects.filter(action="investments.decision.created").exists()


def test_a_time_skipped_by_spring_forward_is_a_clear_form_error(client, personas, cal):
    login_as(client, personas, "staff")
    response = client.post(reverse("investments:decision_create", args=[cal.members.slug]),
                           _form(starts_on="2027-03-14", starts_at_time="02:30"))
    assert response.status_code == 400
    assert "does not exist" in response.content.decode()
    assert not Decision.objects.filter(title="Budget hearing").exists()


def test_end_before_start_and_missing_deadline_kind_are_refused(client, personas, cal):
    login_as(client, personas, "staff")
    url = reverse("investments:decision_create", args=[cal.members.slug])
    response = client.post(url, _form(ends_at_time="17:00"))
    assert response.status_code == 400 and "after the start time" in response.content.decode()
    response = client.post(url, _form(kind="comment_deadline"))
    assert response.status_code == 400 and "kind of deadline" in response.content.decode()
    response = client.post(url, _form(kind="comment_deadline", deadline_kind="rolling"))
    assert response.status_code == 400 and "leave the date empty" in response.content.decode()
    response = client.post(url, _form(starts_at_time="25:00"))
    assert response.status_code == 400
    assert not Decision.objects.filter(title="Budget hearing").exists()


def test_an_ambiguous_fall_back_time_means_the_first(cal):
    decision = add(cal.public, "Late vote", on=dt.date(2027, 11, 7), at=dt.time(1, 30))
    assert decision.starts_at == dt.datetime(2027, 11, 7, 6, 30, tzinfo=dt.UTC)  # 1:30 CDT, not CST


def test_changing_time_or_place_bumps_sequence_but_a_title_does_not(client, personas, cal):
    decision = cal.public_hearing
    staff = personas.user("staff")
    calendar.decision_update(actor=staff, decision=decision, title="Renamed hearing")
    assert decision.sequence == 0
    calendar.decision_update(actor=staff, decision=decision, starts_at_time=dt.time(19, 0))
    assert decision.sequence == 1
    calendar.decision_update(actor=staff, decision=decision, location="Library")
    calendar.decision_update(actor=staff, decision=decision, status=DecisionStatus.CANCELLED)
    assert decision.sequence == 3


def test_staff_cancel_a_hearing_through_the_form(client, personas, cal):
    login_as(client, personas, "staff")
    decision = cal.public_hearing
    url = reverse("investments:decision_edit", args=[decision.public_id])
    assert client.get(url).status_code == 200
    data = _form(title=decision.title, starts_on=decision.starts_on.isoformat(), starts_at_time="18:30",
                 location=decision.location, body="saint-paul-city-council", status="cancelled")
    assert client.post(url, data).status_code == 302
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.CANCELLED and decision.sequence == 1


# --- watching ---------------------------------------------------------------------------------------------------


def test_a_member_watches_and_unwatches_from_the_investment_page(client, personas, cal):
    login_as(client, personas, "member_b")
    page = reverse("investments:investment_detail", args=[cal.members.slug])
    html = client.get(page).content.decode()
    assert "Upcoming decisions" in html and "Council vote on the station" in html
    assert client.post(reverse("investments:investment_watch", args=[cal.members.slug])).status_code == 302
    assert calendar.is_watching(personas.user("member_b"), cal.members)
    assert "Stop watching" in client.get(page).content.decode()
    client.post(reverse("investments:investment_unwatch", args=[cal.members.slug]))
    assert not calendar.is_watching(personas.user("member_b"), cal.members)


# --- feeds ----------------------------------------------------------------------------------------------------


def _parse(response):
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def _events(cal_):
    return {str(e["summary"]): e for e in cal_.walk("VEVENT")}


def test_public_feed_is_valid_icalendar_in_local_time_with_its_zone(client, cal):
    response = client.get(reverse("investments:decision_feed_public"))
    parsed = _parse(response)
    assert [str(tz["tzid"]) for tz in parsed.walk("VTIMEZONE")] == ["America/Chicago"]
    events = _events(parsed)
    assert set(events) == {"Public hearing on the extension", "Comments on the environmental review"}
    hearing = events["Public hearing on the extension"]
    assert hearing["dtstart"].params["TZID"] == "America/Chicago"
    assert hearing.decoded("dtstart").replace(tzinfo=None) == dt.datetime.combine(SOON, dt.time(18, 30))
    assert str(hearing["uid"]) == cal.public_hearing.uid
    assert str(hearing["location"]) == "City Hall, room 300"


def test_feed_keeps_the_uid_and_bumps_sequence_when_the_time_changes(client, personas, cal):
    url = reverse("investments:decision_feed_public")
    before = _events(_parse(client.get(url)))["Public hearing on the extension"]
    calendar.decision_update(actor=personas.user("staff"), decision=cal.public_hearing, starts_at_time=dt.time(19))
    after = _events(_parse(client.get(url)))["Public hearing on the extension"]
    assert str(after["uid"]) == str(before["uid"])
    assert int(after["sequence"]) == int(before["sequence"]) + 1


def test_a_cancelled_decision_stays_in_the_feed_as_cancelled(client, personas, cal):
    calendar.decision_update(actor=personas.user("staff"), decision=cal.public_hearing,
                             status=DecisionStatus.CANCELLED)
    events = _parse(client.get(reverse("investments:decision_feed_public"))).walk("VEVENT")
    cancelled = next(e for e in events if str(e["uid"]) == cal.public_hearing.uid)
    assert str(cancelled["status"]) == "CANCELLED"


def test_feed_answers_304_to_its_etag_and_changes_with_the_decisions(client, personas, cal):
    url = reverse("investments:decision_feed_public")
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    calendar.decision_update(actor=personas.user("staff"), decision=cal.public_hearing, location="Library")
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 200


def test_a_feed_is_kept_per_language(client, cal):
    url = reverse("investments:decision_feed_public")
    english = client.get(url)
    spanish = client.get(url, headers={"accept-language": "es"})
    assert b"CATEGORIES:Public hearing" in english.content
    assert "CATEGORIES:Audiencia pública".encode() in spanish.content
    assert english["ETag"] != spanish["ETag"]


def test_personal_feeds_show_what_the_owner_may_see_until_the_token_is_revoked(client, personas, cal):
    member = personas.user("member_b")
    token, raw = feeds.feed_token_create(user=member)
    calendar.investment_watch(user=member, investment=cal.members)
    everything = _events(_parse(client.get(reverse("investments:decision_feed_personal", args=[raw]))))
    assert "Council vote on the station" in everything and "Closed vote on the land deal" not in everything
    watchlist = _events(_parse(client.get(reverse("investments:decision_feed_watchlist", args=[raw]))))
    assert set(watchlist) == {"Council vote on the station"}
    one = client.get(reverse("investments:investment_feed_personal", args=[raw, cal.members.slug]))
    assert set(_events(_parse(one))) == {"Council vote on the station"}
    assert client.get(reverse("investments:investment_feed_personal", args=[raw, cal.hidden.slug])).status_code == 404
    feeds.feed_token_revoke(token=token, actor=member)
    for name in ("decision_feed_personal", "decision_feed_watchlist"):
        assert client.get(reverse(f"investments:{name}", args=[raw])).status_code == 404
    assert client.get(reverse("investments:decision_feed_personal", args=["not-a-token"])).status_code == 404


def test_personal_feed_matrix(client, personas, cal):
    _token, raw = feeds.feed_token_create(user=personas.user("member_a"))
    # The token is the credential: whoever is signed in (or not) gets member_a's feed.
    for name in ("decision_feed_personal", "decision_feed_watchlist"):
        assert_permission_matrix(client, personas, "get", reverse(f"investments:{name}", args=[raw]), {}, default=200)
    url = reverse("investments:investment_feed_personal", args=[raw, cal.members.slug])
    assert_permission_matrix(client, personas, "get", url, {}, default=200)


def test_feed_query_count(client, cal, django_assert_num_queries):
    for i in range(5):
        add(cal.public, f"Extra hearing {i}", at=dt.time(9 + i))
    url = reverse("investments:decision_feed_public")
    # the version (latest change and count), then the decisions with investment and body
    with django_assert_num_queries(2):
        first = client.get(url)
    # a second request is served from the cache: the version only
    with django_assert_num_queries(1):
        assert client.get(url).content == first.content
    assert first.content.decode().count("BEGIN:VEVENT") == 7


# --- the demo ---------------------------------------------------------------------------------------------------


def test_the_demo_has_hearings_either_side_of_the_clock_change_a_cancelled_one_and_deadlines(personas):
    from django.core.management import call_command

    call_command("investments_demo_load", "--allow-without-debug", stdout=open("/dev/null", "w"))  # noqa: SIM115
    before, after = Decision.objects.filter(title__startswith="Public hearing on the station plans").order_by("starts_at")
    assert before.starts_at_time == after.starts_at_time == dt.time(18, 30)
    assert before.local_start.utcoffset() != after.local_start.utcoffset()  # CST, then CDT
    assert Decision.objects.filter(status=DecisionStatus.CANCELLED, sequence=1).count() == 1
    assert set(Decision.objects.filter(kind=DecisionKind.COMMENT_DEADLINE).values_list("deadline_kind", flat=True)) == {
        "hard_date", "rolling"}


def test_a_deadline_at_the_end_of_the_last_day_of_a_month_is_in_that_month(client, cal):
    add(cal.public, "Comments close at the end of January", kind=DecisionKind.COMMENT_DEADLINE,
        deadline_kind="hard_date", on=dt.date(2027, 1, 31), at=None)
    url = reverse("investments:decision_calendar")
    assert "Comments close at the end of January" in client.get(url + "?month=2027-01").content.decode()
    assert "Comments close at the end of January" not in client.get(url + "?month=2027-02").content.decode()
