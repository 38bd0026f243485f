"""The plan's JSON API: the same visibility, permissions and selectors as the pages, for every
persona; the services' field errors as 422s, one entry per field; fixed query counts."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone, translation

from commontable.accounts.services import api_token_create
from commontable.core.models import ActivityLog
from commontable.core.testing import PERSONAS, assert_permission_matrix, login_as
from commontable.core.visibility import Visibility
from commontable.strategy import selectors, services
from commontable.strategy.choices import ActionItemStatus
from commontable.strategy.models import ActionItem, Indicator, Measurement, ObjectiveIndicator
from commontable.strategy.tests.factories import (
    ActionItemFactory,
    BindingFactory,
    BoardReportFactory,
    IndicatorFactory,
    MeasurementFactory,
    ObjectiveFactory,
    PlanFactory,
    StrategyFactory,
)

API = "/api/v1"
COMPUTED = "strategy.action_items_done"
SIGNED_IN_MEMBERS = ("member_a", "member_b", "table_member", "board", "staff", "admin")
# Who sees a plan (and all that hangs from it) of each visibility; plans are never table-only.
SEES = {
    "public": set(PERSONAS),
    "members": set(SIGNED_IN_MEMBERS),
    "staff": {"staff", "admin"},
}


def seen_by(visibility, yes=200, no=404):
    return {persona: yes if persona in SEES[visibility] else no for persona in PERSONAS}


def everyone(status):
    return dict.fromkeys(PERSONAS, status)


def today():
    return timezone.localdate()


def post(client, url, body, **extra):
    return client.post(url, data=json.dumps(body), content_type="application/json", **extra)


def post_matrix(client, personas, url, body, expected):
    """The shared matrix helper, with a JSON body."""
    assert_permission_matrix(
        client, personas, "post", url, expected, data=json.dumps(body), content_type="application/json"
    )


@pytest.fixture
def tokens(personas):
    """A personal token for every signed-in persona, as a client would hold it."""
    return {
        name: api_token_create(user=personas.user(name), name="tests")[1]
        for name in PERSONAS
        if personas.user(name) is not None
    }


def assert_token_matrix(client, tokens, method, url, expected, body=None):
    """The matrix again, each persona signed in with a Bearer token instead of a session."""
    failures = []
    for persona in PERSONAS:
        client.logout()
        extra = {"HTTP_AUTHORIZATION": f"Bearer {tokens[persona]}"} if persona in tokens else {}
        if body is None:
            response = getattr(client, method)(url, **extra)
        else:
            response = getattr(client, method)(
                url, data=json.dumps(body), content_type="application/json", **extra
            )
        if response.status_code != expected[persona]:
            failures.append(
                f"{persona}: expected {expected[persona]}, got {response.status_code} {response.content[:200]!r}"
            )
    assert not failures, f"{method.upper()} {url} (token)\n  " + "\n  ".join(failures)


@pytest.fixture
def plans(personas):
    """A plan of each visibility, each with objective 1.1 measured by a manual indicator (with a
    figure), and objective 1.2 archived by a revision. member_a owns the members plan's 1.1."""
    out = {}
    for visibility in SEES:
        plan = PlanFactory(
            slug=f"{visibility}-plan", title=f"{visibility.title()} plan", visibility=visibility
        )
        strategy = StrategyFactory(plan=plan, number=1, title="Organize tenants")
        objective = ObjectiveFactory(strategy=strategy, number="1.1", position=1, text="Grow the tenant base")
        archived = ObjectiveFactory(
            strategy=strategy, number="1.2", position=2, text="An old objective", archived_at=timezone.now()
        )
        indicator = IndicatorFactory(key=f"manual.{visibility}-checkins", label=f"{visibility} check-ins")
        binding = BindingFactory(objective=objective, indicator=indicator, target_value=Decimal("50"))
        MeasurementFactory(
            indicator=indicator, value=Decimal("30"), measured_on=today() - dt.timedelta(days=10)
        )
        out[visibility] = SimpleNamespace(
            plan=plan, objective=objective, archived=archived, indicator=indicator, binding=binding
        )
    out["members"].objective.owners.add(personas.user("member_a"))
    return out


# ---------------------------------------------------------------------------------------------
# Permission matrix: reads


@pytest.mark.parametrize("visibility", list(SEES))
def test_plan_detail_and_dashboard_answer_404_to_whoever_may_not_see_the_plan(
    client, personas, plans, visibility
):
    slug = plans[visibility].plan.slug
    assert_permission_matrix(client, personas, "get", f"{API}/plans/{slug}", seen_by(visibility))
    assert_permission_matrix(client, personas, "get", f"{API}/plans/{slug}/dashboard", seen_by(visibility))


@pytest.mark.parametrize("visibility", list(SEES))
def test_objective_detail_answers_404_to_whoever_may_not_see_its_plan(client, personas, plans, visibility):
    for objective in (plans[visibility].objective, plans[visibility].archived):
        url = f"{API}/objectives/{objective.public_id}"
        assert_permission_matrix(client, personas, "get", url, seen_by(visibility))


@pytest.mark.parametrize("visibility", list(SEES))
def test_a_manual_indicators_measurements_are_seen_by_whoever_sees_an_objective_it_measures(
    client, personas, plans, visibility
):
    url = f"{API}/indicators/{plans[visibility].indicator.key}/measurements"
    assert_permission_matrix(client, personas, "get", url, seen_by(visibility))


def test_a_computed_indicator_is_public_knowledge(client, personas, plans):
    services.indicator_for_key(COMPUTED)
    assert_permission_matrix(
        client, personas, "get", f"{API}/indicators/{COMPUTED}/measurements", everyone(200)
    )


def test_an_unbound_manual_indicator_is_seen_by_staff_only(client, personas):
    IndicatorFactory(key="manual.unbound")
    expected = {p: 200 if p in SEES["staff"] else 404 for p in PERSONAS}
    assert_permission_matrix(
        client, personas, "get", f"{API}/indicators/manual.unbound/measurements", expected
    )


@pytest.mark.parametrize("url", ["/plans", "/indicators", "/action-items"])
def test_lists_answer_200_to_everyone(client, personas, plans, tokens, url):
    assert_permission_matrix(client, personas, "get", API + url, everyone(200))
    assert_token_matrix(client, tokens, "get", API + url, everyone(200))


@pytest.mark.parametrize("visibility", list(SEES))
def test_reads_over_a_token_see_what_the_session_sees(client, personas, plans, tokens, visibility):
    assert_token_matrix(
        client, tokens, "get", f"{API}/plans/{plans[visibility].plan.slug}/dashboard", seen_by(visibility)
    )


def test_a_bad_token_is_a_401_even_on_a_public_read(client, plans):
    response = client.get(f"{API}/plans/public-plan", HTTP_AUTHORIZATION="Bearer ct_nonsense")
    assert response.status_code == 401 and response["WWW-Authenticate"] == 'Bearer realm="api"'


# ---------------------------------------------------------------------------------------------
# Lists show exactly what each persona may see


@pytest.mark.parametrize("persona", PERSONAS)
def test_plan_list_shows_exactly_the_plans_the_persona_may_see(client, personas, plans, persona):
    login_as(client, personas, persona)
    data = client.get(f"{API}/plans").json()
    expected = {plans[v].plan.slug for v in SEES if persona in SEES[v]}
    assert {p["slug"] for p in data["items"]} == expected and data["count"] == len(expected)


def test_a_plan_does_not_name_a_predecessor_the_caller_may_not_see(client, personas, plans):
    plans["public"].plan.predecessor = plans["staff"].plan
    plans["public"].plan.save()
    assert client.get(f"{API}/plans/public-plan").json()["predecessor"] is None
    assert client.get(f"{API}/plans").json()["items"][0]["predecessor"] is None
    login_as(client, personas, "staff")
    assert client.get(f"{API}/plans/public-plan").json()["predecessor"] == {
        "slug": "staff-plan",
        "title": "Staff plan",
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_indicator_catalogue_lists_registered_indicators_and_the_manual_ones_the_persona_may_see(
    client, personas, plans, persona
):
    IndicatorFactory(key="manual.unbound")
    login_as(client, personas, persona)
    data = client.get(f"{API}/indicators?limit=200").json()
    keys = {i["key"] for i in data["items"]}
    manual = {i["key"] for i in data["items"] if i["kind"] == "manual"}
    expected = {plans[v].indicator.key for v in SEES if persona in SEES[v]}
    if persona in SEES["staff"]:
        expected.add("manual.unbound")
    assert manual == expected
    assert COMPUTED in keys and data["count"] == len(data["items"])


def test_the_catalogue_counts_the_objectives_using_each_indicator(client, personas, plans):
    login_as(client, personas, "member_b")
    items = {i["key"]: i for i in client.get(f"{API}/indicators").json()["items"]}
    assert items["manual.members-checkins"]["used"] == 1
    assert items["manual.members-checkins"]["label"] == "members check-ins"
    assert items[COMPUTED] == {
        "key": COMPUTED,
        "label": "Action items done",
        "counts": "Action items from meetings, retrospectives and support cases, bound to this objective and done.",
        "unit": "count",
        "direction": "up",
        "kind": "computed",
        "history": True,
        "param_label": "",
        "per_objective": True,
        "used": 0,
    }


@pytest.fixture
def items(personas, plans):
    """An action item of each visibility, each counting toward its plan's objective 1.1; one more,
    public, counting toward an objective of the staff plan too; and a staff one member_b owns."""
    out = {
        v: ActionItemFactory(title=f"{v} item", visibility=v, objectives=[plans[p].objective])
        for v, p in (("public", "public"), ("members", "members"), ("staff", "staff"))
    }
    out["mixed"] = ActionItemFactory(
        title="mixed item",
        visibility=Visibility.PUBLIC,
        objectives=[plans["public"].objective, plans["staff"].objective],
    )
    out["owned"] = ActionItemFactory(
        title="owned item", visibility=Visibility.STAFF, owner=personas.user("member_b")
    )
    return out


@pytest.mark.parametrize("persona", PERSONAS)
def test_action_item_list_shows_exactly_what_the_persona_may_see(client, personas, items, persona):
    login_as(client, personas, persona)
    data = client.get(f"{API}/action-items").json()
    expected = {f"{v} item" for v in ("public", "members", "staff") if persona in SEES[v]} | {"mixed item"}
    if persona in ("member_b", "staff", "admin"):
        expected.add("owned item")
    assert {i["title"] for i in data["items"]} == expected and data["count"] == len(expected)


def test_an_action_item_does_not_name_objectives_the_caller_may_not_see(client, personas, plans, items):
    mixed = next(i for i in client.get(f"{API}/action-items").json()["items"] if i["title"] == "mixed item")
    assert mixed["objectives"] == [{"public_id": str(plans["public"].objective.public_id), "number": "1.1"}]
    login_as(client, personas, "staff")
    mixed = next(i for i in client.get(f"{API}/action-items").json()["items"] if i["title"] == "mixed item")
    assert len(mixed["objectives"]) == 2


def test_action_items_filter_by_objective_and_status(client, personas, plans, items):
    ActionItemFactory(
        title="done item", status=ActionItemStatus.DONE, objectives=[plans["members"].objective]
    )
    login_as(client, personas, "member_a")
    url = f"{API}/action-items"
    titles = lambda query: {i["title"] for i in client.get(url, query).json()["items"]}  # noqa: E731
    assert titles({"objective": str(plans["members"].objective.public_id)}) == {"members item", "done item"}
    assert titles({"objective": str(plans["members"].objective.public_id), "status": "done"}) == {"done item"}
    assert titles({"status": "open"}) == {"public item", "members item", "mixed item"}


def test_an_objective_the_caller_may_not_see_cannot_be_used_as_a_filter(client, personas, plans):
    login_as(client, personas, "member_a")
    response = client.get(f"{API}/action-items", {"objective": str(plans["staff"].objective.public_id)})
    assert errors(response) == {("query", "objective"): "unknown_objective"}


def test_measurements_are_paginated_with_a_total_count(client, personas, plans):
    indicator = plans["members"].indicator
    for n in range(6):
        MeasurementFactory(
            indicator=indicator, value=n, measured_on=dt.date(2024, 1, 1) + dt.timedelta(days=n)
        )
    login_as(client, personas, "member_b")
    url = f"{API}/indicators/{indicator.key}/measurements"
    first = client.get(url, {"limit": 3}).json()
    rest = client.get(url, {"limit": 3, "offset": 3}).json()
    assert (first["count"], first["limit"], first["offset"]) == (7, 3, 0)
    dates = [m["measured_on"] for page in (first, rest) for m in page["items"]]
    assert dates == sorted(dates, reverse=True) and len(set(dates)) == 6
    assert first["items"][0] | {"id": 0, "recorded_at": ""} == {
        "id": 0,
        "indicator": indicator.key,
        "param": "",
        "value": 30.0,
        "measured_on": (today() - dt.timedelta(days=10)).isoformat(),
        "source": "manual",
        "evidence": "Counted at the spring assembly.",
        "evidence_url": "",
        "recorded_by": None,
        "recorded_at": "",
    }


# ---------------------------------------------------------------------------------------------
# Plan, dashboard and objective: what they show


def test_plan_detail_shows_mission_vision_values_and_current_strategies_and_objectives(
    client, personas, plans
):
    plan = plans["members"].plan
    plan.values.create(name="Solidarity", description="We stand together.", position=1)
    plan.values.create(name="Old value", position=2, archived_at=timezone.now())
    StrategyFactory(plan=plan, number=2, title="Retired strategy", archived_at=timezone.now())
    login_as(client, personas, "member_b")
    data = client.get(f"{API}/plans/{plan.slug}").json()
    assert (data["mission"], data["vision"], data["period"]) == (plan.mission, plan.vision, "2023–2026")  # noqa: RUF001
    assert data["values"] == [{"name": "Solidarity", "description": "We stand together.", "archived": False}]
    assert [s["number"] for s in data["strategies"]] == [1]
    assert data["strategies"][0]["objectives"] == [
        {
            "public_id": str(plans["members"].objective.public_id),
            "number": "1.1",
            "text": "Grow the tenant base",
            "archived": False,
        }
    ]
    assert data["permissions"] == {"can_manage": False}

    data = client.get(f"{API}/plans/{plan.slug}", {"archived": "true"}).json()
    assert [v["name"] for v in data["values"]] == ["Solidarity", "Old value"]
    assert [(s["number"], s["archived"]) for s in data["strategies"]] == [(1, False), (2, True)]
    assert [(o["number"], o["archived"]) for o in data["strategies"][0]["objectives"]] == [
        ("1.1", False),
        ("1.2", True),
    ]


def test_the_dashboard_gives_every_objective_its_status_and_figures(client, personas, plans):
    login_as(client, personas, "member_b")
    data = client.get(f"{API}/plans/members-plan/dashboard").json()
    assert data["plan"] == {"slug": "members-plan", "title": "Members plan"}
    assert data["as_of"] == today().isoformat() and data["last_report"] is None
    [strategy] = data["strategies"]
    [objective] = strategy["objectives"]  # the archived objective is not on the dashboard
    assert (objective["number"], objective["status"]) == ("1.1", "behind")
    [figure] = objective["figures"]
    assert figure["binding"] == str(plans["members"].binding.public_id)
    assert {
        k: figure[k]
        for k in ("key", "label", "unit", "value", "suppressed", "target", "baseline", "status", "change")
    } == {
        "key": "manual.members-checkins",
        "label": "members check-ins",
        "unit": "count",
        "value": 30.0,
        "suppressed": False,
        "target": 50.0,
        "baseline": 10.0,
        "status": "behind",
        "change": None,
    }
    assert (figure["target_on"], figure["baseline_on"]) == ("2026-12-31", "2023-01-01")
    assert figure["series"][-1] == [today().isoformat(), 30.0]
    assert figure["series"][0] == ["2023-03-31", None]
    assert data["status_counts"]["behind"] == 1


def test_the_dashboard_page_and_endpoint_are_two_renderings_of_one_selector_call(
    client, personas, plans, monkeypatch
):
    calls = []
    original = selectors.plan_dashboard

    def spy(plan, **kwargs):
        board = original(plan, **kwargs)
        calls.append((plan.pk, kwargs["as_of"], kwargs["strategy"], kwargs["table"], board))
        return board

    monkeypatch.setattr(selectors, "plan_dashboard", spy)
    login_as(client, personas, "member_b")
    as_of = dt.date(2025, 6, 30)
    assert client.get(f"/plan/plans/members-plan/?as_of={as_of}").status_code == 200
    data = client.get(f"{API}/plans/members-plan/dashboard", {"as_of": as_of.isoformat()}).json()
    page_call, api_call = calls
    # One call each, with the same arguments, giving the same figures; the endpoint renders its own.
    assert page_call[:4] == api_call[:4] == (plans["members"].plan.pk, as_of, None, None)
    page_figure = page_call[4].strategies[0].objectives[0].figures[0]
    api_figure = api_call[4].strategies[0].objectives[0].figures[0]
    assert (page_figure.series, page_figure.status) == (api_figure.series, api_figure.status)
    rendered = data["strategies"][0]["objectives"][0]["figures"][0]
    assert rendered["series"] == [[d.isoformat(), v] for d, v in api_figure.series]
    assert (rendered["status"], rendered["value"]) == (api_figure.status, api_figure.current.value)


def test_the_dashboard_as_of_a_past_day_shows_the_figures_then(client, personas, plans):
    login_as(client, personas, "staff")
    as_of = today() - dt.timedelta(days=30)  # before the only measurement
    data = client.get(f"{API}/plans/members-plan/dashboard", {"as_of": as_of.isoformat()}).json()
    figure = data["strategies"][0]["objectives"][0]["figures"][0]
    assert data["as_of"] == as_of.isoformat()
    assert figure["value"] is None and figure["series"][-1] == [as_of.isoformat(), None]


def test_the_dashboard_filters_by_strategy_and_table(client, personas, plans):
    plan = plans["members"].plan
    other = ObjectiveFactory(strategy=StrategyFactory(plan=plan, number=2), number="2.1", position=1)
    other.tables.add(personas.table)
    login_as(client, personas, "table_member")
    url = f"{API}/plans/members-plan/dashboard"

    def numbers(query):
        data = client.get(url, query).json()
        return [o["number"] for s in data["strategies"] for o in s["objectives"]]

    assert numbers({}) == ["1.1", "2.1"]
    assert numbers({"strategy": 2}) == ["2.1"]
    assert numbers({"table": personas.table.slug}) == ["2.1"]


def test_the_dashboard_gives_the_change_since_the_last_board_report(client, personas, plans):
    report = services.board_report_create(
        actor=None,
        plan=plans["members"].plan,
        period_start=today() - dt.timedelta(days=90),
        period_end=today(),
    )
    MeasurementFactory(indicator=plans["members"].indicator, value=Decimal("42.5"), measured_on=today())
    login_as(client, personas, "member_b")
    data = client.get(f"{API}/plans/members-plan/dashboard").json()
    figure = data["strategies"][0]["objectives"][0]["figures"][0]
    assert (figure["value"], figure["change"], figure["change_since"]) == (42.5, 12.5, today().isoformat())
    assert data["last_report"]["public_id"] == str(report.public_id)


def test_the_objective_shows_its_figures_measurements_action_items_and_archived_figures(
    client, personas, plans
):
    setup = plans["members"]
    old = BindingFactory(
        objective=setup.objective, indicator=IndicatorFactory(key="manual.old"), archived_at=timezone.now()
    )
    ActionItemFactory(title="Door knocking", objectives=[setup.objective])
    ActionItemFactory(title="Staff only", visibility=Visibility.STAFF, objectives=[setup.objective])
    login_as(client, personas, "member_a")
    data = client.get(f"{API}/objectives/{setup.objective.public_id}").json()
    assert (data["number"], data["plan"]["slug"], data["strategy"], data["archived"]) == (
        "1.1",
        "members-plan",
        1,
        False,
    )
    assert data["status"] == "behind" and data["status_label"] == "Behind"
    assert [f["key"] for f in data["figures"]] == ["manual.members-checkins"]
    assert [m["value"] for m in data["measurements"]] == [30.0]
    assert [i["title"] for i in data["action_items"]] == ["Door knocking"]
    assert [b["binding"] for b in data["archived_figures"]] == [str(old.public_id)]
    # member_a owns the objective: they may record its hand-measured figures.
    assert data["permissions"] == {
        "can_manage": False,
        "can_add_action_item": True,
        "can_measure": ["manual.members-checkins"],
    }
    login_as(client, personas, "member_b")
    assert (
        client.get(f"{API}/objectives/{setup.objective.public_id}").json()["permissions"]["can_measure"] == []
    )


def test_an_archived_objective_stays_readable(client, personas, plans):
    login_as(client, personas, "staff")
    data = client.get(f"{API}/objectives/{plans['members'].archived.public_id}").json()
    assert data["archived"] is True and data["status"] == "none"
    assert data["permissions"]["can_add_action_item"] is False


# ---------------------------------------------------------------------------------------------
# Writes: permission matrices


def _measurement(**overrides):
    return {"value": 35, "measured_on": today().isoformat(), "evidence": "Sign-in sheets", **overrides}


def test_measurement_create_matrix(client, personas, plans):
    # Staff, and the owner of an objective the indicator measures (member_a); others who see it 403.
    expected = {
        "anonymous": 401,
        "public_user": 404,
        "member_a": 201,
        "member_b": 403,
        "table_member": 403,
        "board": 403,
        "staff": 201,
        "admin": 201,
    }
    post_matrix(
        client, personas, f"{API}/indicators/manual.members-checkins/measurements", _measurement(), expected
    )
    assert Measurement.objects.filter(indicator=plans["members"].indicator, value=35).count() == 3


def test_measurement_create_matrix_over_a_token(client, personas, plans, tokens):
    expected = {
        "anonymous": 401,
        "public_user": 404,
        "member_a": 201,
        "member_b": 403,
        "table_member": 403,
        "board": 403,
        "staff": 201,
        "admin": 201,
    }
    url = f"{API}/indicators/manual.members-checkins/measurements"
    assert_token_matrix(client, tokens, "post", url, expected, _measurement())


def test_measurements_of_a_staff_plan_answer_404_to_members(client, personas, plans):
    expected = {p: 201 if p in SEES["staff"] else 404 for p in PERSONAS} | {"anonymous": 401}
    post_matrix(
        client, personas, f"{API}/indicators/manual.staff-checkins/measurements", _measurement(), expected
    )


def test_binding_create_matrix(client, personas, plans):
    # Staff run the plan. Each persona binds a new manual indicator, so that a success does not
    # make the next persona's request a duplicate.
    expected = {
        "anonymous": 401,
        "public_user": 404,
        "member_a": 403,
        "member_b": 403,
        "table_member": 403,
        "board": 403,
        "staff": 201,
        "admin": 201,
    }
    url = f"{API}/objectives/{plans['members'].objective.public_id}/indicators"
    failures = []
    for persona in PERSONAS:
        indicator = IndicatorFactory()
        login_as(client, personas, persona)
        response = post(client, url, {"indicator": indicator.key, "target_value": 10})
        if response.status_code != expected[persona]:
            failures.append(f"{persona}: expected {expected[persona]}, got {response.status_code}")
    assert not failures, "\n".join(failures)
    assert plans["members"].objective.bindings.count() == 3


def test_binding_to_an_objective_of_a_staff_plan_answers_404_to_members(client, personas, plans):
    expected = dict.fromkeys(PERSONAS, 404) | {
        "anonymous": 401,
        "staff": 201,
        "admin": 422,
    }  # admin: a duplicate
    url = f"{API}/objectives/{plans['staff'].objective.public_id}/indicators"
    post_matrix(client, personas, url, {"indicator": "manual.public-checkins"}, expected)


def test_action_item_create_matrix(client, personas, plans):
    # Members add action items; a signed-in visitor who is not a member may not.
    expected = dict.fromkeys(SIGNED_IN_MEMBERS, 201) | {"anonymous": 401, "public_user": 403}
    body = {"title": "Call the landlord", "objectives": [str(plans["members"].objective.public_id)]}
    post_matrix(client, personas, f"{API}/action-items", body, expected)
    assert ActionItem.objects.filter(title="Call the landlord").count() == len(SIGNED_IN_MEMBERS)


# ---------------------------------------------------------------------------------------------
# Writes: happy paths and audit


def test_an_owner_records_a_measurement_and_it_is_audited(client, personas, plans):
    login_as(client, personas, "member_a")
    body = _measurement(value="41.25", evidence_url="https://example.org/sheet")
    response = post(client, f"{API}/indicators/manual.members-checkins/measurements", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["value"], data["measured_on"], data["source"], data["evidence_url"]) == (
        41.25,
        today().isoformat(),
        "manual",
        "https://example.org/sheet",
    )
    measurement = Measurement.objects.get(pk=data["id"])
    assert measurement.value == Decimal("41.25") and measurement.recorded_by == personas.user("member_a")
    entry = ActivityLog.objects.get(action="strategy.measurement.added")
    assert entry.actor == personas.user("member_a") and entry.data["value"] == "41.2500"
    dashboard = client.get(f"{API}/plans/members-plan/dashboard").json()
    assert dashboard["strategies"][0]["objectives"][0]["figures"][0]["value"] == 41.25


def test_staff_see_the_measurements_they_record_for_an_indicator_not_yet_bound(client, personas):
    IndicatorFactory(key="manual.unbound")
    login_as(client, personas, "staff")
    url = f"{API}/indicators/manual.unbound/measurements"
    assert post(client, url, _measurement()).status_code == 201
    assert client.get(url).json()["count"] == 1


def test_staff_bind_a_manual_indicator_with_its_baseline_and_target(client, personas, plans):
    indicator = IndicatorFactory(key="manual.self-care", label="Self-care check-ins")
    login_as(client, personas, "staff")
    url = f"{API}/objectives/{plans['members'].objective.public_id}/indicators"
    body = {
        "indicator": indicator.key,
        "baseline_value": "12",
        "baseline_on": "2023-01-01",
        "target_value": 40,
        "target_on": "2026-06-30",
        "cadence": 31,
    }
    response = post(client, url, body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data | {"public_id": ""} == {
        "public_id": "",
        "objective": {"public_id": str(plans["members"].objective.public_id), "number": "1.1"},
        "indicator": "manual.self-care",
        "param": "",
        "baseline_value": 12.0,
        "baseline_on": "2023-01-01",
        "target_value": 40.0,
        "target_on": "2026-06-30",
        "cadence": 31,
    }
    binding = ObjectiveIndicator.objects.get(public_id=data["public_id"])
    assert (binding.baseline_value, binding.created_by) == (Decimal("12"), personas.user("staff"))
    assert ActivityLog.objects.filter(action="strategy.binding.created").count() == 1


def test_staff_bind_a_registered_indicator_by_its_key(client, personas, plans):
    objective = plans["members"].objective
    login_as(client, personas, "staff")
    response = post(
        client,
        f"{API}/objectives/{objective.public_id}/indicators",
        {"indicator": COMPUTED, "target_value": 5},
    )
    assert response.status_code == 201, response.content
    # A per-objective indicator counts for the objective it is bound to, whatever was sent.
    assert response.json()["param"] == str(objective.public_id)
    assert Indicator.objects.get(key=COMPUTED).kind == "computed"
    ActionItemFactory(status=ActionItemStatus.DONE, objectives=[objective])
    figures = client.get(f"{API}/objectives/{objective.public_id}").json()["figures"]
    computed = next(f for f in figures if f["key"] == COMPUTED)
    assert (computed["value"], computed["label"], computed["manual"]) == (1.0, "Action items done", False)


def test_a_member_adds_an_action_item_toward_an_objective(client, personas, plans):
    login_as(client, personas, "member_b")
    objective = plans["members"].objective
    body = {
        "title": "Door knocking on Dale St",
        "detail": "Saturdays",
        "due_on": "2026-12-15",
        "visibility": "public",
        "objectives": [str(objective.public_id)],
    }
    response = post(client, f"{API}/action-items", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["title"], data["status"], data["visibility"], data["due_on"]) == (
        "Door knocking on Dale St",
        "open",
        "public",
        "2026-12-15",
    )
    assert data["objectives"] == [{"public_id": str(objective.public_id), "number": "1.1"}]
    item = ActionItem.objects.get(public_id=data["public_id"])
    assert item.created_by == personas.user("member_b") and list(item.objectives.all()) == [objective]
    assert ActivityLog.objects.get(action="strategy.action-item.created").actor == personas.user("member_b")


# ---------------------------------------------------------------------------------------------
# Validation: 422 with one entry per field


def errors(response):
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    found = {tuple(e["loc"]): e["type"] for e in detail}
    assert len(found) == len(detail), f"one entry per field: {detail}"
    return found


def messages(response):
    return {tuple(e["loc"]): e["msg"] for e in response.json()["detail"]}


MEASUREMENTS = f"{API}/indicators/manual.members-checkins/measurements"


def test_a_computed_indicator_takes_no_hand_entered_figure(client, personas, plans):
    services.indicator_for_key(COMPUTED)
    login_as(client, personas, "staff")
    response = post(client, f"{API}/indicators/{COMPUTED}/measurements", _measurement())
    assert errors(response) == {("path", "key"): "invalid"}
    assert messages(response)[("path", "key")] == (
        "This indicator is computed from the records; it cannot take a figure entered by hand."
    )
    assert not Measurement.objects.filter(indicator__key=COMPUTED).exists()


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        (float("nan"), "finite_number"),  # sent as the JSON extension NaN, which Python parses
        (float("inf"), "finite_number"),
        (float("-inf"), "finite_number"),
        ("NaN", "finite_number"),
        ("Infinity", "finite_number"),
        ("-inf", "finite_number"),
        ("twelve", "number_parsing"),
        ("1e5", "number_parsing"),
        ("1_000", "number_parsing"),
        ("", "number_parsing"),
        ("\u0661\u0662", "non_ascii_digits"),  # Arabic-Indic twelve
        (True, "number_type"),
        (None, "number_type"),
        ([1], "number_type"),
    ],
)
def test_a_measurement_value_that_is_not_a_finite_number_is_a_field_error(
    client, personas, plans, value, kind
):
    login_as(client, personas, "staff")
    response = client.post(
        MEASUREMENTS, data=json.dumps(_measurement(value=value)), content_type="application/json"
    )
    assert errors(response) == {("body", "payload", "value"): kind}
    assert Measurement.objects.count() == 3


def test_a_measurement_too_large_for_its_column_is_the_services_field_error(client, personas, plans):
    login_as(client, personas, "staff")
    response = post(client, MEASUREMENTS, _measurement(value="100000000000000"))
    assert errors(response) == {("body", "payload", "value"): "invalid"}
    assert messages(response)[("body", "payload", "value")] == "This number is too large."


def test_a_measurement_dated_in_the_future_is_refused(client, personas, plans):
    login_as(client, personas, "staff")
    response = post(
        client, MEASUREMENTS, _measurement(measured_on=(today() + dt.timedelta(days=1)).isoformat())
    )
    assert errors(response) == {("body", "payload", "measured_on"): "future_date"}
    assert messages(response)[("body", "payload", "measured_on")] == "The date cannot be in the future."


def test_every_bad_field_of_a_measurement_is_reported_at_once(client, personas, plans):
    login_as(client, personas, "staff")
    body = {
        "value": "NaN",
        "measured_on": "2999-01-01",
        "evidence_url": "javascript:alert(1)",
        "source": "snapshot",
    }
    assert errors(post(client, MEASUREMENTS, body)) == {
        ("body", "payload", "value"): "finite_number",
        ("body", "payload", "measured_on"): "future_date",
        ("body", "payload", "evidence_url"): "invalid",
        ("body", "payload", "source"): "extra_forbidden",
    }


def test_a_measurement_needs_a_value_and_a_date(client, personas, plans):
    login_as(client, personas, "staff")
    assert errors(post(client, MEASUREMENTS, {"evidence": "x\x00"})) == {
        ("body", "payload", "value"): "missing",
        ("body", "payload", "measured_on"): "missing",
        ("body", "payload", "evidence"): "control_characters",
    }


def _binding_url(plans, which="objective"):
    return f"{API}/objectives/{getattr(plans['members'], which).public_id}/indicators"


def test_an_archived_objective_takes_no_new_indicator(client, personas, plans):
    login_as(client, personas, "staff")
    response = post(client, _binding_url(plans, "archived"), {"indicator": "manual.members-checkins"})
    assert errors(response) == {("path", "public_id"): "invalid"}
    assert "archived" in messages(response)[("path", "public_id")]
    assert not plans["members"].archived.bindings.exists()


def test_a_target_date_before_the_baseline_date_is_refused(client, personas, plans):
    login_as(client, personas, "staff")
    body = {"indicator": "manual.public-checkins", "baseline_on": "2025-01-01", "target_on": "2024-12-31"}
    response = post(client, _binding_url(plans), body)
    assert errors(response) == {("body", "payload", "target_on"): "invalid"}
    assert (
        messages(response)[("body", "payload", "target_on")]
        == "The target date must come after the baseline date."
    )


def test_a_registered_indicator_refused_by_the_service_leaves_no_row_behind(client, personas, plans):
    login_as(client, personas, "staff")
    body = {"indicator": COMPUTED, "baseline_on": "2025-01-01", "target_on": "2024-12-31"}
    assert errors(post(client, _binding_url(plans), body)) == {("body", "payload", "target_on"): "invalid"}
    assert not Indicator.objects.filter(key=COMPUTED).exists()


@pytest.mark.parametrize(
    ("body", "field", "kind"),
    [
        ({"indicator": "manual.no-such-thing"}, "indicator", "unknown_indicator"),
        ({"indicator": "manual.members-checkins"}, "indicator", "invalid"),  # already bound
        ({"indicator": "   "}, "indicator", "blank"),
        (
            {"indicator": "manual.public-checkins", "target_value": "Infinity"},
            "target_value",
            "finite_number",
        ),
        (
            {"indicator": "manual.public-checkins", "baseline_value": "ten"},
            "baseline_value",
            "number_parsing",
        ),
        ({"indicator": "manual.public-checkins", "cadence": 30}, "cadence", "enum"),
        (
            {"indicator": "manual.public-checkins", "target_on": "soon"},
            "target_on",
            "date_from_datetime_parsing",
        ),
        ({"indicator": "manual.public-checkins", "owner": "me"}, "owner", "extra_forbidden"),
    ],
)
def test_binding_validation_errors_are_field_level(client, personas, plans, body, field, kind):
    login_as(client, personas, "staff")
    assert errors(post(client, _binding_url(plans), body)) == {("body", "payload", field): kind}
    assert plans["members"].objective.bindings.count() == 1


def test_a_computed_row_whose_indicator_is_no_longer_registered_cannot_be_bound(client, personas, plans):
    Indicator.objects.create(key="gone.indicator", kind="computed")
    login_as(client, personas, "staff")
    assert errors(post(client, _binding_url(plans), {"indicator": "gone.indicator"})) == {
        ("body", "payload", "indicator"): "unknown_indicator"
    }


@pytest.mark.parametrize(
    ("body", "field", "kind"),
    [
        ({"title": "   "}, "title", "blank"),
        ({"title": "x" * 301}, "title", "string_too_long"),
        ({"title": "Call", "visibility": "table"}, "visibility", "invalid"),  # the service's rule
        ({"title": "Call", "visibility": "everyone"}, "visibility", "enum"),
        ({"title": "Call", "objectives": ["not-a-uuid"]}, "objectives", "uuid_parsing"),
        ({"title": "Call", "due_on": "tomorrow"}, "due_on", "date_from_datetime_parsing"),
    ],
)
def test_action_item_validation_errors_are_field_level(client, personas, plans, body, field, kind):
    login_as(client, personas, "member_a")
    found = errors(post(client, f"{API}/action-items", body))
    assert [kind] == [t for loc, t in found.items() if loc[:3] == ("body", "payload", field)], found
    assert not ActionItem.objects.exists()


def test_an_action_item_cannot_count_toward_an_objective_the_caller_may_not_see_or_an_archived_one(
    client, personas, plans
):
    login_as(client, personas, "member_a")
    hidden = str(plans["staff"].objective.public_id)
    response = post(client, f"{API}/action-items", {"title": "Call", "objectives": [hidden]})
    assert errors(response) == {("body", "payload", "objectives"): "unknown_objective"}
    assert hidden in messages(response)[("body", "payload", "objectives")]
    response = post(
        client,
        f"{API}/action-items",
        {"title": "Call", "objectives": [str(plans["members"].archived.public_id)]},
    )
    assert errors(response) == {("body", "payload", "objectives"): "invalid"}
    assert "1.2" in messages(response)[("body", "payload", "objectives")]
    assert not ActionItem.objects.exists()


@pytest.mark.parametrize(
    ("url", "query", "kind"),
    [
        ("/plans/members-plan/dashboard", {"as_of": "2999-01-01"}, "future_date"),
        ("/plans/members-plan/dashboard", {"as_of": "yesterday"}, "date_from_datetime_parsing"),
        ("/plans/members-plan/dashboard", {"strategy": "0"}, "greater_than_equal"),
        ("/plans/members-plan/dashboard", {"table": "staff-table"}, "unknown_slug"),
        ("/plans/members-plan/dashboard", {"owner": "1"}, "extra_forbidden"),
        ("/objectives/{objective}", {"as_of": "2999-01-01"}, "future_date"),
        ("/plans/members-plan", {"archive": "true"}, "extra_forbidden"),
        ("/plans", {"limit": "0"}, "greater_than_equal"),
        ("/indicators", {"offset": "-1"}, "greater_than_equal"),
        ("/action-items", {"status": "finished"}, "enum"),
        ("/action-items", {"objective": "1.1"}, "uuid_parsing"),
    ],
)
def test_query_errors_are_field_level(client, personas, plans, url, query, kind):
    login_as(client, personas, "member_a")
    response = client.get(API + url.format(objective=plans["members"].objective.public_id), query)
    assert errors(response) == {("query", next(iter(query))): kind}


def test_a_malformed_id_is_a_422_and_an_unknown_one_a_404(client, personas, plans):
    login_as(client, personas, "staff")
    assert client.get(f"{API}/objectives/not-a-uuid").status_code == 422
    response = client.get(f"{API}/objectives/00000000-0000-4000-8000-000000000000")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}
    assert client.get(f"{API}/plans/no-such-plan/dashboard").status_code == 404
    assert client.get(f"{API}/indicators/manual.nothing/measurements").status_code == 404


def test_a_forbidden_write_says_why_in_the_callers_language(client, personas, plans):
    login_as(client, personas, "member_b")
    response = post(client, MEASUREMENTS, _measurement())
    assert response.status_code == 403
    assert response.json() == {"detail": "You may see this record but not change it."}


def test_messages_follow_the_callers_language(client, personas, plans):
    login_as(client, personas, "staff")
    body = _measurement(evidence_url="ftp://example.org/x")
    english = post(client, MEASUREMENTS, body, HTTP_ACCEPT_LANGUAGE="en")
    spanish = post(client, MEASUREMENTS, body, HTTP_ACCEPT_LANGUAGE="es")
    loc = ("body", "payload", "evidence_url")
    assert messages(english)[loc] == "Enter a valid URL."
    with translation.override("es"):
        assert messages(spanish)[loc] == translation.gettext("Enter a valid URL.") != "Enter a valid URL."
    client.logout()
    spanish = client.get(f"{API}/plans/staff-plan", HTTP_ACCEPT_LANGUAGE="es")
    with translation.override("es"):
        assert spanish.json()["detail"] == translation.gettext("Not found.")


def test_a_session_write_needs_the_csrf_token(personas, plans):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.user("staff"))
    assert post(client, MEASUREMENTS, _measurement()).status_code == 403
    client.get("/")
    response = post(client, MEASUREMENTS, _measurement(), HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    assert response.status_code == 201, response.content


# ---------------------------------------------------------------------------------------------
# Query counts: fixed, whatever the number of rows


def _plan_with(objectives: int, slug: str):
    """A members plan with `objectives` objectives over two strategies, each measured by its own
    manual indicator (two measurements) and by the action items done toward it (computed)."""
    plan = PlanFactory(slug=slug)
    strategies = [StrategyFactory(plan=plan, number=n) for n in (1, 2)]
    computed = services.indicator_for_key(COMPUTED)
    for n in range(objectives):
        objective = ObjectiveFactory(strategy=strategies[n % 2], number=f"{n % 2 + 1}.{n}", position=n)
        indicator = IndicatorFactory()
        BindingFactory(objective=objective, indicator=indicator)
        BindingFactory(objective=objective, indicator=computed, param=str(objective.public_id))
        MeasurementFactory(indicator=indicator, measured_on=dt.date(2024, 5, 1))
        MeasurementFactory(indicator=indicator, measured_on=dt.date(2025, 5, 1))
        ActionItemFactory(status=ActionItemStatus.DONE, objectives=[objective])
    BoardReportFactory(plan=plan)
    return plan


@pytest.mark.parametrize("objectives", [5, 20])
def test_dashboard_query_count_is_the_same_for_5_or_20_objectives(
    client, personas, django_assert_num_queries, objectives
):
    plan = _plan_with(objectives, f"plan-{objectives}")
    login_as(client, personas, "member_b")
    url = f"{API}/plans/{plan.slug}/dashboard"
    client.get(url)  # the computed figures are cached from here on, as after any first load
    # session, user; the viewer kept in the cache (no query); the plan; its current
    # strategies; its current objectives, their owners and their tables (prefetches); their
    # bindings with indicators; the last board report; every manual measurement in one query.
    with django_assert_num_queries(10):
        response = client.get(url)
    data = response.json()
    assert sum(len(s["objectives"]) for s in data["strategies"]) == objectives
    assert all(len(o["figures"]) == 2 for s in data["strategies"] for o in s["objectives"])


@pytest.mark.parametrize("rows", [5, 15])
def test_plan_list_query_count(client, personas, django_assert_num_queries, rows):
    first = PlanFactory()
    for _n in range(rows):
        PlanFactory(predecessor=first)
    login_as(client, personas, "member_b")
    # session, user; viewer: person, affiliations, table participations; COUNT; the page (with
    # each predecessor); the ids of the plans the caller may see (to hide a hidden predecessor).
    with django_assert_num_queries(8):
        response = client.get(f"{API}/plans")
    assert response.json()["count"] == rows + 1


@pytest.mark.parametrize("rows", [5, 15])
def test_action_item_list_query_count(client, personas, plans, django_assert_num_queries, rows):
    for _n in range(rows):
        ActionItemFactory(
            owner=personas.user("staff"), objectives=[plans["members"].objective, plans["public"].objective]
        )
    login_as(client, personas, "member_b")
    # session, user; viewer: person, affiliations, table participations; COUNT; the page (with
    # owners); the page's objectives that the caller may see.
    with django_assert_num_queries(8):
        response = client.get(f"{API}/action-items")
    assert response.json()["count"] == rows


@pytest.mark.parametrize("rows", [5, 15])
def test_measurement_list_query_count(client, personas, plans, django_assert_num_queries, rows):
    for n in range(rows):
        MeasurementFactory(
            indicator=plans["members"].indicator,
            measured_on=dt.date(2024, 1, 1) + dt.timedelta(days=n),
            recorded_by=personas.user("staff"),
        )
    login_as(client, personas, "member_b")
    # session, user; viewer: person, affiliations, table participations; the indicator; COUNT;
    # the page (with who recorded each).
    with django_assert_num_queries(8):
        response = client.get(f"{API}/indicators/manual.members-checkins/measurements")
    assert response.json()["count"] == rows + 1


@pytest.mark.parametrize("rows", [5, 15])
def test_indicator_list_query_count(client, personas, plans, django_assert_num_queries, rows):
    for _n in range(rows):
        BindingFactory(objective=plans["members"].objective)
    login_as(client, personas, "member_b")
    # session, user; viewer: person, affiliations, table participations; every indicator row;
    # how many visible current objectives use each; the manual indicators the caller may see.
    with django_assert_num_queries(8):
        response = client.get(f"{API}/indicators")
    assert sum(i["kind"] == "manual" for i in response.json()["items"]) == rows + 2


def test_objective_detail_query_count(client, personas, plans, django_assert_num_queries):
    objective = plans["members"].objective
    for _n in range(5):
        BindingFactory(objective=objective)
        ActionItemFactory(objectives=[objective])
    login_as(client, personas, "member_b")
    client.get(f"{API}/objectives/{objective.public_id}")  # the computed figures are cached from here on
    # session, user; the viewer kept in the cache (no query); the objective with its
    # plan and strategy; its bindings with indicators; the last board report; the measurements
    # behind the figures; the hand-entered ones with who recorded them; its action items; its
    # history (the page's selector reads it); its tables that the caller may see. member_b owns
    # nothing: `can_measure` is decided by one query per manual figure.
    with django_assert_num_queries(10 + 6):
        client.get(f"{API}/objectives/{objective.public_id}")
