"""Community reports for every persona: members report (what, when, where, consent), staff see
every report in full, a reporter sees and withdraws their own, and everyone sees counts per tract
that hide small ones (and one more, so none can be worked out from the total). Failure paths: bad
input, a future or too-early date, the daily limit, withdrawn and unconsented reports counted
nowhere."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from commontable.core.models import ActivityLog
from commontable.core.testing import assert_permission_matrix, login_as
from commontable.displacement import indicators_reports, selectors, services_reports
from commontable.displacement import selectors_reports as report_selectors
from commontable.displacement.models import CommunityReport
from commontable.displacement.tests.factories import CommunityReportFactory

TRACT_WEST = "27123030100"
TRACT_EAST = "27123030200"
MEMBERS = {"anonymous": 302, "public_user": 403}
SEEN_BY_STAFF_AND_REPORTER = {"anonymous": 302, "member_a": 200, "staff": 200, "admin": 200}


def fake_tract_for_point(lon: float, lat: float, geography_year: int = 2020) -> str:
    """Two tracts split at longitude -93.1, between latitudes 44.9 and 45.0; nothing elsewhere."""
    if not 44.9 <= lat <= 45.0 or not -93.2 <= lon <= -93.0:
        return ""
    return TRACT_WEST if lon < -93.1 else TRACT_EAST


@pytest.fixture(autouse=True)
def _tracts(monkeypatch):
    # The tract lookup is the map's (displacement.selectors); here two made-up tracts stand in.
    monkeypatch.setattr(selectors, "tract_for_point", fake_tract_for_point, raising=False)


@pytest.fixture
def world(personas):
    own = CommunityReportFactory(reporter=personas.user("member_a"), geoid=TRACT_WEST, description="Notice on door 3B")
    other = CommunityReportFactory(reporter=personas.user("member_b"), geoid=TRACT_EAST, kind="rent_spike")
    return SimpleNamespace(own=own, other=other)


def report_data(**changes) -> dict:
    data = {"kind": "eviction_notice", "occurred_on": "2026-11-02", "lat": "44.95", "lon": "-93.15",
            "description": "Notices on every door", "consent_aggregate": "on"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# --- permissions ---------------------------------------------------------------------------------


def test_the_counts_per_tract_are_public(client, personas, world):
    assert_permission_matrix(client, personas, "get", reverse("displacement:report_tracts"), {}, default=200)


def test_members_report_and_list_their_reports(client, personas, world):
    assert_permission_matrix(client, personas, "get", reverse("displacement:report_create"), MEMBERS, default=200)
    assert_permission_matrix(client, personas, "get", reverse("displacement:report_list"), MEMBERS, default=200)
    # An empty report is a validation error for members, refused for the others.
    assert_permission_matrix(client, personas, "post", reverse("displacement:report_create"), MEMBERS, default=400)


def test_a_report_is_seen_by_staff_and_its_reporter_only(client, personas, world):
    url = reverse("displacement:report_detail", args=[world.own.public_id])
    assert_permission_matrix(client, personas, "get", url, SEEN_BY_STAFF_AND_REPORTER, default=404)


def test_a_report_is_withdrawn_by_staff_or_its_reporter_only(client, personas, world):
    url = reverse("displacement:report_withdraw", args=[world.own.public_id])
    login_as(client, personas, "member_a")
    assert client.get(url).status_code == 405
    # member_a (the reporter) withdraws it first; staff after are told it is withdrawn already.
    assert_permission_matrix(client, personas, "post", url,
                             {"anonymous": 302, "member_a": 302, "staff": 302, "admin": 302}, default=404)
    world.own.refresh_from_db()
    assert world.own.withdrawn_at is not None
    assert ActivityLog.objects.filter(action="displacement.report.withdrawn").get().actor == personas.user("member_a")
    world.other.refresh_from_db()
    assert world.other.withdrawn_at is None
    staff_url = reverse("displacement:report_withdraw", args=[world.other.public_id])
    login_as(client, personas, "staff")
    assert client.post(staff_url).status_code == 302
    assert ActivityLog.objects.filter(action="displacement.report.withdrawn").count() == 2


# --- making a report ---------------------------------------------------------------------------


def test_a_member_reports_and_the_tract_is_found_from_the_point(client, personas, world):
    login_as(client, personas, "member_b")
    response = client.post(reverse("displacement:report_create"), report_data(), HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 302
    report = CommunityReport.objects.get(description="Notices on every door")
    assert response["Location"] == reverse("displacement:report_detail", args=[report.public_id])
    assert (report.geoid, report.lat, report.lon, report.kind) == (TRACT_WEST, 44.95, -93.15, "eviction_notice")
    assert report.reporter == personas.user("member_b") and report.consent_aggregate and not report.consent_contact
    assert report.consent_text_version == services_reports.CONSENT_TEXT_VERSION
    assert report.language == "es"  # the language the page was in
    entry = ActivityLog.objects.get(action="displacement.report.created")
    assert entry.data["tract"] == TRACT_WEST and "44.95" not in str(entry.data)


def test_a_report_outside_every_tract_is_kept_but_not_counted(client, personas, world):
    login_as(client, personas, "member_a")
    response = client.post(reverse("displacement:report_create"), report_data(lat="46.8", lon="-92.1"), follow=True)
    assert "outside the census tracts we know" in response.content.decode()
    report = CommunityReport.objects.get(lat=46.8)
    assert report.geoid == ""
    assert "" not in report_selectors.reports_per_tract_staff()


def test_without_consent_a_report_is_kept_for_staff_only(client, personas, world):
    login_as(client, personas, "member_a")
    client.post(reverse("displacement:report_create"), report_data(consent_aggregate=None, description="quiet"))
    report = CommunityReport.objects.get(description="quiet")
    assert not report.consent_aggregate
    login_as(client, personas, "staff")
    assert "quiet" in client.get(reverse("displacement:report_detail", args=[report.public_id])).content.decode()


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"occurred_on": "2099-01-01"}, "occurred_on", "future"),
    ({"occurred_on": "1999-12-31"}, "occurred_on", "2000"),
    ({"occurred_on": "not a day"}, "occurred_on", "valid date"),
    ({"lat": "91"}, "lat", "90"),
    ({"lon": "east"}, "lon", "number"),
    ({"lat": "nan"}, "lat", "number"),
    ({"lon": None}, "lon", "required"),
    ({"kind": "alien_invasion"}, "kind", "valid choice"),
    ({"description": "bad\x07bell"}, "description", "control characters"),
])
def test_bad_reports_are_refused_on_their_field(client, personas, world, changes, field, words):
    login_as(client, personas, "member_a")
    response = client.post(reverse("displacement:report_create"), report_data(**changes))
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert words in errors, response.context["form"].errors
    assert CommunityReport.objects.count() == 2


def test_errors_are_in_the_users_language(client, personas, world):
    login_as(client, personas, "member_a")
    client.cookies["ct_language"] = "es"
    response = client.post(reverse("displacement:report_create"), report_data(lon=None))
    assert response.status_code == 400
    assert "This field is required." not in " ".join(response.context["form"].errors["lon"])


def test_the_service_refuses_what_the_form_would(personas, world):
    member = personas.user("member_a")
    with pytest.raises(ValidationError) as caught:
        services_reports.report_create(actor=member, kind="eviction_notice", occurred_on=dt.date(2026, 12, 1),
                                       lat=95.0, lon=float("inf"), today=dt.date(2026, 11, 30))
    assert set(caught.value.message_dict) == {"occurred_on", "lat", "lon"}


def test_the_daily_limit_stops_the_twenty_first_report_with_a_clear_message(client, personas, world):
    member = personas.user("member_b")
    for _n in range(services_reports.REPORTS_PER_DAY - 2):  # and the fixture's: 19 in all
        CommunityReportFactory(reporter=member)
    login_as(client, personas, "member_b")
    url = reverse("displacement:report_create")
    assert client.post(url, report_data()).status_code == 302  # the 20th (with the fixture's)
    response = client.post(url, report_data(description="one too many"))
    assert response.status_code == 429
    message = " ".join(response.context["form"].non_field_errors())
    assert "20 reports in the last 24 hours" in message and "after" in message
    assert not CommunityReport.objects.filter(description="one too many").exists()
    # A day later the oldest fall out of the window.
    CommunityReport.objects.filter(reporter=member).update(created_at=timezone.now() - dt.timedelta(hours=25))
    assert client.post(url, report_data(description="next day")).status_code == 302
    # Another member is not limited by member_b's reports.
    login_as(client, personas, "member_a")
    assert client.post(url, report_data(description="a")).status_code == 302


# --- lists and detail ----------------------------------------------------------------------------


def test_staff_see_every_report_with_its_exact_place_and_filters(client, personas, world):
    CommunityReportFactory(kind="demolition", geoid=TRACT_EAST, occurred_on=dt.date(2025, 3, 1))
    login_as(client, personas, "staff")
    url = reverse("displacement:report_list")
    assert len(client.get(url).context["page_obj"].object_list) == 3
    assert [r.kind for r in client.get(url, {"kind": "demolition"}).context["page_obj"].object_list] == ["demolition"]
    assert len(client.get(url, {"geoid": TRACT_EAST}).context["page_obj"].object_list) == 2
    assert len(client.get(url, {"occurred_to": "2025-12-31"}).context["page_obj"].object_list) == 1
    assert client.get(url, {"geoid": "123"}).status_code == 400
    body = client.get(reverse("displacement:report_detail", args=[world.own.public_id])).content.decode()
    assert "latitude 44.95, longitude -93.1" in body and str(personas.user("member_a")) in body


def test_a_member_lists_only_their_own(client, personas, world):
    login_as(client, personas, "member_a")
    reports = list(client.get(reverse("displacement:report_list")).context["page_obj"].object_list)
    assert reports == [world.own]
    body = client.get(reverse("displacement:report_detail", args=[world.own.public_id])).content.decode()
    assert "Notice on door 3B" in body and "Withdraw this report" in body


def test_report_list_query_count_does_not_grow(client, personas, world, django_assert_max_num_queries):
    for _n in range(6):
        CommunityReportFactory(reporter=personas.user("member_b"))
    login_as(client, personas, "staff")
    url = reverse("displacement:report_list")
    client.get(url)
    # Session and user, the viewer's roles (directory), COUNT, the page of reports with reporters.
    with django_assert_max_num_queries(8) as captured:
        response = client.get(url)
    assert len(response.context["page_obj"].object_list) == 8
    own = [q["sql"] for q in captured.captured_queries if "displacement_communityreport" in q["sql"]]
    assert len(own) == 2


# --- the public counts ---------------------------------------------------------------------------


def _reports(geoid: str, n: int, **extra):
    for _i in range(n):
        CommunityReportFactory(geoid=geoid, **extra)


def test_four_reports_are_hidden_and_five_are_shown(db):
    _reports(TRACT_WEST, 4)
    assert report_selectors.reports_per_tract_public()[TRACT_WEST].suppressed
    _reports(TRACT_WEST, 1)
    cell = report_selectors.reports_per_tract_public()[TRACT_WEST]
    assert not cell.suppressed and cell.value == 5


def test_a_hidden_tract_cannot_be_worked_out_from_the_total(db):
    _reports(TRACT_WEST, 3)
    _reports(TRACT_EAST, 6)
    _reports("27123030300", 9)
    cells = report_selectors.reports_per_tract_public()
    assert cells[TRACT_WEST].suppressed and cells[TRACT_WEST].reason == "small"
    # The next smallest is hidden too, so total − shown is the sum of two tracts, not one.
    assert cells[TRACT_EAST].suppressed and cells[TRACT_EAST].reason == "complementary"
    assert cells["27123030300"].value == 9
    counts = report_selectors.public_counts()
    assert counts.tracts == [("27123030300", 9)] and counts.total.value == 18 and counts.not_shown == 9
    staff = report_selectors.reports_per_tract_staff()
    assert (staff[TRACT_WEST].value, staff[TRACT_EAST].value) == (3, 6)


def test_withdrawn_and_unconsented_reports_are_not_counted(db):
    _reports(TRACT_WEST, 4)
    _reports(TRACT_WEST, 1, withdrawn_at=timezone.now())
    _reports(TRACT_WEST, 1, consent_aggregate=False)
    assert report_selectors.reports_per_tract_public()[TRACT_WEST].suppressed
    assert report_selectors.reports_per_tract_staff()[TRACT_WEST].value == 5  # consent or not; never withdrawn
    assert report_selectors.public_counts().total.suppressed


def test_the_public_page_shows_counts_but_never_a_place(client, personas, world):
    _reports(TRACT_EAST, 6, lat=44.987654, lon=-93.012345, description="Apartment 4, 123 Main St")
    _reports(TRACT_WEST, 2)
    body = client.get(reverse("displacement:report_tracts")).content.decode()
    assert TRACT_EAST not in body and TRACT_WEST not in body  # complementary: both hidden
    _reports(TRACT_WEST, 5)
    body = client.get(reverse("displacement:report_tracts")).content.decode()
    assert f"<th scope=\"row\">{TRACT_EAST}</th><td>7</td>" in body  # the fixture's own report too
    assert f"<th scope=\"row\">{TRACT_WEST}</th><td>8</td>" in body
    for secret in ("44.987654", "-93.012345", "123 Main St", "Notice on door"):
        assert secret not in body


# --- the plan's indicator ------------------------------------------------------------------------


def test_indicator_counts_reports_received_per_period_and_hides_small_figures(db):
    now = timezone.now()
    _reports(TRACT_WEST, 6)
    _reports(TRACT_WEST, 2, withdrawn_at=now)
    _reports(TRACT_WEST, 2, consent_aggregate=False)
    old = CommunityReportFactory(geoid=TRACT_EAST)
    CommunityReport.objects.filter(pk=old.pk).update(created_at=now - dt.timedelta(days=200))
    today = timezone.localdate()
    readings = indicators_reports.reports_received([today - dt.timedelta(days=1), today], "91")
    assert readings[1].value == 6.0 and not readings[1].suppressed
    assert readings[0].value == 0.0 and not readings[0].suppressed
    assert indicators_reports.reports_received([today], "all")[0].value == 7.0
    assert indicators_reports.reports_received([today - dt.timedelta(days=100)], "365")[0].suppressed
    assert indicators_reports.INDICATORS[0].url_for("") == reverse("displacement:report_tracts")


def test_no_report_page_answers_any_persona_with_a_server_error(client, personas, world):
    from commontable.core.testing import server_errors, url_routes

    routes = [(ns, p) for ns, p in url_routes(["displacement"]) if p.name.startswith("report_")]
    assert len(routes) == 5
    failures = server_errors(client, personas, routes,
                             lambda pattern: dict.fromkeys(pattern.pattern.converters, world.own.public_id))
    assert not failures, "\n".join(failures)


def test_exports_follow_the_pages(client, personas, world):
    _reports(TRACT_EAST, 5, lat=44.987654)
    public = b"".join(client.get(reverse("displacement:report_tracts"), {"format": "csv"}).streaming_content).decode()
    assert public.splitlines()[1:] == []  # west's one report hides east's six too
    _reports(TRACT_WEST, 5)
    public = b"".join(client.get(reverse("displacement:report_tracts"), {"format": "csv"}).streaming_content).decode()
    assert public.splitlines()[1:] == [f"{TRACT_WEST},6", f"{TRACT_EAST},6"] and "44.98" not in public
    login_as(client, personas, "member_a")
    own = b"".join(client.get(reverse("displacement:report_list"), {"format": "csv"}).streaming_content).decode()
    assert len(own.splitlines()) == 2 and "Notice on door 3B" in own and "Reporter" not in own
    login_as(client, personas, "staff")
    response = client.get(reverse("displacement:report_list"), {"format": "xlsx", "geoid": TRACT_EAST})
    assert response["Content-Disposition"] == 'attachment; filename="community-reports.xlsx"'
    rows = b"".join(client.get(reverse("displacement:report_list"),
                                {"format": "csv", "geoid": TRACT_EAST}).streaming_content).decode().splitlines()
    assert len(rows) == 7 and "Reporter" in rows[0] and sum("44.987654" in r for r in rows) == 5
    login_as(client, personas, "public_user")
    assert client.get(reverse("displacement:report_list"), {"format": "csv"}).status_code == 403


@given(st.dictionaries(st.from_regex(r"27123\d{6}", fullmatch=True), st.integers(min_value=1, max_value=40),
                       max_size=12))
def test_public_counts_never_single_out_a_small_tract(per_tract):
    counts = report_selectors.public_counts_from(per_tract)
    shown = dict(counts.tracts)
    hidden = [g for g in per_tract if g not in shown]
    assert all(n >= report_selectors.PUBLIC_MINIMUM and per_tract[g] == n for g, n in shown.items())
    # Every tract under five is hidden, and never alone: total − shown is a sum over two or more.
    assert all(g in hidden for g, n in per_tract.items() if n < report_selectors.PUBLIC_MINIMUM)
    if not counts.total.suppressed:
        assert counts.total.value == sum(per_tract.values())
        assert len(hidden) != 1
        assert counts.not_shown == (sum(per_tract[g] for g in hidden) if hidden else None)
    else:
        assert counts.not_shown is None
