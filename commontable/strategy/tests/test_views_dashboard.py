"""The plan's dashboard: the default plan, a plan by its slug, filters, the day figures are shown
for, what each figure links to, suppressed and stale figures, the status summary, and a query count
that does not grow with the plan."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from commontable.accounts.models import User
from commontable.core.testing import assert_permission_matrix, login_as
from commontable.core.visibility import Role, Visibility
from commontable.directory.choices import ConsentPurpose
from commontable.directory.models import ConsentRecord
from commontable.directory.tests.factories import TableFactory
from commontable.strategy import services
from commontable.strategy.choices import ActionItemStatus, Cadence, Status
from commontable.strategy.tests.factories import (
    ActionItemFactory,
    BindingFactory,
    IndicatorFactory,
    MeasurementFactory,
    ObjectiveFactory,
    PlanFactory,
    StrategyFactory,
)

DASHBOARD = reverse("strategy:dashboard")


def plan_url(plan):
    return reverse("strategy:plan_dashboard", args=[plan.slug])


def shown_numbers(response) -> list[str]:
    return [row.objective.number for s in response.context["board"].strategies for row in s.objectives]


def figure_of(response, objective):
    for strategy in response.context["board"].strategies:
        for row in strategy.objectives:
            if row.objective.pk == objective.pk:
                return row.figures[0]
    raise AssertionError(f"objective {objective.number} is not on the dashboard")


# --- who sees which plan --------------------------------------------------------------------------


def test_dashboard_permission_matrix_on_a_members_plan(client, personas, plan):
    # Anonymous visitors are asked to sign in; a signed-in non-member sees "no plan yet".
    assert_permission_matrix(client, personas, "get", DASHBOARD, {"anonymous": 302}, default=200)


def test_plan_dashboard_permission_matrix_on_a_members_plan(client, personas, plan):
    assert_permission_matrix(
        client, personas, "get", plan_url(plan), {"anonymous": 404, "public_user": 404}, default=200
    )


def test_a_staff_only_plan_answers_404_to_everyone_but_staff(client, personas):
    hidden = PlanFactory(visibility=Visibility.STAFF)
    assert_permission_matrix(
        client, personas, "get", plan_url(hidden), {"staff": 200, "admin": 200}, default=404
    )


def test_a_public_plan_is_open_to_anonymous_visitors(client, personas):
    public = PlanFactory(title="Open Plan", visibility=Visibility.PUBLIC, is_default=True)
    StrategyFactory(plan=public, number=1, title="Organise in the open")
    assert_permission_matrix(client, personas, "get", plan_url(public), {}, default=200)
    body = client.get(DASHBOARD).content.decode()
    assert "Open Plan" in body and "Organise in the open" in body


def test_anonymous_visitors_are_sent_to_sign_in_for_a_members_plan(client, plan):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={DASHBOARD}"


def test_a_signed_in_non_member_sees_that_there_is_no_plan_for_them(client, personas, plan):
    login_as(client, personas, "public_user")
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert "There is no plan you can see yet." in response.content.decode()
    assert plan.title not in response.content.decode()


def test_with_no_plan_yet_staff_are_offered_the_import(client, personas):
    login_as(client, personas, "staff")
    body = client.get(DASHBOARD).content.decode()
    assert "There is no plan you can see yet." in body
    assert reverse("strategy:plan_import") in body
    login_as(client, personas, "member_a")
    body = client.get(DASHBOARD).content.decode()
    assert "There is no plan you can see yet." in body
    assert reverse("strategy:plan_import") not in body


def test_the_dashboard_opens_the_default_plan_else_the_newest_one_the_user_may_see(client, personas, plan):
    newer = PlanFactory(title="Next Plan", period_start=dt.date(2027, 1, 1), period_end=dt.date(2030, 12, 31))
    login_as(client, personas, "member_a")
    assert client.get(DASHBOARD).context["plan"] == plan
    plan.visibility = Visibility.STAFF
    plan.save()
    assert client.get(DASHBOARD).context["plan"] == newer
    login_as(client, personas, "staff")
    assert client.get(DASHBOARD).context["plan"] == plan


def test_the_dashboard_shows_mission_values_strategies_and_objectives(client, personas, plan):
    login_as(client, personas, "member_a")
    response = client.get(DASHBOARD)
    body = response.content.decode()
    assert plan.mission[:40] in body
    assert "Racial justice" in body and "Shared leadership" in body
    assert shown_numbers(response) == list(
        plan.objectives.order_by("strategy__number", "position").values_list("number", flat=True)
    )
    assert "Make a board report" not in body
    login_as(client, personas, "staff")
    assert "Make a board report" in client.get(DASHBOARD).content.decode()


# --- filters and the day shown --------------------------------------------------------------------


def test_filter_by_strategy(client, personas, plan):
    login_as(client, personas, "member_a")
    response = client.get(plan_url(plan), {"strategy": "3"})
    assert shown_numbers(response) == ["3.1", "3.2"]
    assert [row.strategy.number for row in response.context["board"].strategies] == [3]
    assert response.context["filtered"]


@pytest.mark.parametrize("value", ["x", "99999", "-1", ""])
def test_a_meaningless_strategy_filter_is_ignored(client, personas, plan, value):
    login_as(client, personas, "member_a")
    response = client.get(plan_url(plan), {"strategy": value})
    assert response.status_code == 200
    assert len(shown_numbers(response)) == 20


def test_a_strategy_the_plan_does_not_have_shows_nothing(client, personas, plan):
    login_as(client, personas, "member_a")
    response = client.get(plan_url(plan), {"strategy": "7"})
    assert response.status_code == 200
    assert shown_numbers(response) == []


def test_filter_by_table(client, personas, plan):
    plan.objectives.get(number="2.1").tables.add(personas.table)
    plan.objectives.get(number="1.1").tables.add(personas.table)
    hidden = TableFactory(name="Hidden Table", slug="hidden-table", visibility=Visibility.STAFF)
    plan.objectives.get(number="4.1").tables.add(hidden)
    login_as(client, personas, "member_a")
    response = client.get(plan_url(plan), {"table": personas.table.slug})
    assert shown_numbers(response) == ["1.1", "2.1"]
    assert [t.slug for t in response.context["tables"]] == [personas.table.slug]
    # A table the user may not see is no filter at all (and is not named).
    response = client.get(plan_url(plan), {"table": "hidden-table"})
    assert len(shown_numbers(response)) == 20
    assert "Hidden Table" not in response.content.decode()
    login_as(client, personas, "staff")
    assert shown_numbers(client.get(plan_url(plan), {"table": "hidden-table"})) == ["4.1"]


def test_filter_by_owner(client, personas, plan):
    staff = personas.user("staff")
    plan.objectives.get(number="1.2").owners.add(staff)
    plan.objectives.get(number="3.1").owners.add(staff, personas.user("board"))
    login_as(client, personas, "member_a")
    response = client.get(plan_url(plan), {"owner": staff.pk})
    assert shown_numbers(response) == ["1.2", "3.1"]
    assert {u.pk for u in response.context["owners"]} == {staff.pk, personas.user("board").pk}
    # Someone who owns nothing in this plan is no filter.
    assert len(shown_numbers(client.get(plan_url(plan), {"owner": personas.user("member_b").pk}))) == 20


def test_filters_combine(client, personas, plan):
    plan.objectives.get(number="2.1").tables.add(personas.table)
    plan.objectives.get(number="2.1").owners.add(personas.user("staff"))
    plan.objectives.get(number="1.1").owners.add(personas.user("staff"))
    login_as(client, personas, "member_a")
    response = client.get(plan_url(plan), {"strategy": "2", "owner": personas.user("staff").pk})
    assert shown_numbers(response) == ["2.1"]
    response = client.get(plan_url(plan), {"strategy": "1", "table": personas.table.slug})
    assert shown_numbers(response) == []
    assert "No objective matches these filters." in response.content.decode()


def test_as_of_shows_the_figures_of_that_day(client, personas, plan, objective):
    indicator = IndicatorFactory(label="Check-ins held")
    BindingFactory(objective=objective, indicator=indicator, cadence=Cadence.YEARLY)
    MeasurementFactory(indicator=indicator, value=Decimal(4), measured_on=dt.date(2024, 3, 1))
    MeasurementFactory(indicator=indicator, value=Decimal(9), measured_on=dt.date(2025, 3, 1))
    login_as(client, personas, "member_a")
    response = client.get(plan_url(plan), {"as_of": "2024-06-30"})
    assert response.context["board"].as_of == dt.date(2024, 6, 30)
    assert figure_of(response, objective).current.value == 4
    assert figure_of(client.get(plan_url(plan)), objective).current.value == 9


@pytest.mark.parametrize("value", ["2999-01-01", "yesterday", "2024-02-30", ""])
def test_as_of_is_never_in_the_future_and_ignores_what_is_not_a_date(client, personas, plan, value):
    login_as(client, personas, "member_a")
    response = client.get(plan_url(plan), {"as_of": value})
    assert response.status_code == 200
    assert response.context["board"].as_of == timezone.localdate()


# --- figures --------------------------------------------------------------------------------------


def test_every_computed_figure_links_to_the_records_it_counts(client, personas, plan, objective):
    services.binding_create(
        actor=None,
        objective=objective,
        indicator=services.indicator_for_key("directory.member_organizations"),
    )
    services.binding_create(
        actor=None, objective=objective, indicator=services.indicator_for_key("strategy.action_items_done")
    )
    login_as(client, personas, "member_a")
    body = client.get(plan_url(plan)).content.decode()
    organizations = reverse("directory:organization_list") + "?membership_status=member"
    items = reverse("strategy:action_item_list") + f"?objective={objective.public_id}&status=done"
    assert f'href="{escape(organizations)}"' in body
    assert f'href="{escape(items)}"' in body
    assert "see the records" in body


def test_a_manual_figure_links_to_its_measurements(client, personas, plan, objective):
    indicator = IndicatorFactory(label="Check-ins held")
    BindingFactory(objective=objective, indicator=indicator)
    MeasurementFactory(indicator=indicator, value=Decimal(7))
    login_as(client, personas, "member_a")
    body = client.get(plan_url(plan)).content.decode()
    assert f'href="{reverse("strategy:indicator_detail", args=[indicator.key])}"' in body


def test_a_suppressed_figure_says_so_and_shows_no_number(client, personas, plan, objective):
    services.binding_create(
        actor=None,
        objective=objective,
        indicator=services.indicator_for_key("directory.people_contact_consent"),
    )
    for _n in range(3):
        ConsentRecord.objects.create(
            person=personas.person_a, purpose=ConsentPurpose.CONTACT_EMAIL, text_version="1"
        )
    ConsentRecord.objects.create(
        person=personas.person_b, purpose=ConsentPurpose.CONTACT_EMAIL, text_version="1"
    )
    login_as(client, personas, "member_a")
    response = client.get(plan_url(plan))
    figure = figure_of(response, objective)
    assert figure.current.suppressed and figure.current.value is None
    row = response.content.decode().split(figure.label)[1].split("</tr>")[0]
    assert "Suppressed" in row
    assert ">2<" not in row and "see the records" not in row
    assert figure.status == Status.UNKNOWN


def test_a_manual_figure_older_than_its_cadence_is_stale(client, personas, plan, objective):
    indicator = IndicatorFactory(label="Check-ins held")
    BindingFactory(objective=objective, indicator=indicator, cadence=Cadence.MONTHLY)
    MeasurementFactory(
        indicator=indicator, value=Decimal(40), measured_on=timezone.localdate() - dt.timedelta(days=45)
    )
    login_as(client, personas, "member_a")
    response = client.get(plan_url(plan))
    figure = figure_of(response, objective)
    assert figure.status == Status.STALE
    assert response.context["board"].status_counts[Status.STALE] == 1
    body = response.content.decode()
    assert 'class="status status-stale">Stale<' in body
    assert "measured" in body


def test_a_bound_manual_indicator_never_measured_is_stale_once_it_has_a_target(
    client, personas, plan, objective
):
    BindingFactory(objective=objective, indicator=IndicatorFactory())
    login_as(client, personas, "member_a")
    assert figure_of(client.get(plan_url(plan)), objective).status == Status.STALE


def test_status_summary_counts_objectives_by_status(client, personas, plan):
    today = timezone.localdate()
    on_track = IndicatorFactory(label="On track")
    BindingFactory(
        objective=plan.objectives.get(number="1.1"),
        indicator=on_track,
        target_value=Decimal(10),
        baseline_value=None,
        baseline_on=None,
    )
    MeasurementFactory(indicator=on_track, value=Decimal(12), measured_on=today)
    behind = IndicatorFactory(label="Behind")
    BindingFactory(
        objective=plan.objectives.get(number="1.2"),
        indicator=behind,
        baseline_value=Decimal(0),
        baseline_on=dt.date(2023, 1, 1),
        target_value=Decimal(100),
        target_on=dt.date(2025, 1, 1),
    )
    MeasurementFactory(indicator=behind, value=Decimal(1), measured_on=today)
    stale = IndicatorFactory(label="Stale")
    BindingFactory(objective=plan.objectives.get(number="1.3"), indicator=stale, cadence=Cadence.WEEKLY)
    MeasurementFactory(indicator=stale, value=Decimal(1), measured_on=today - dt.timedelta(days=30))
    login_as(client, personas, "member_a")
    response = client.get(plan_url(plan))
    counts = response.context["board"].status_counts
    assert counts == {
        Status.NO_INDICATOR: 17,
        Status.ON_TRACK: 1,
        Status.BEHIND: 1,
        Status.STALE: 1,
        Status.UNKNOWN: 0,
    }
    summary = response.content.decode().split('class="status-summary"')[1].split("</ul>")[0]
    assert "No indicator yet</span> 17" in summary and "On track</span> 1" in summary
    assert "Not judged yet" not in summary


def test_done_action_items_count_on_the_dashboard(client, personas, plan, objective):
    services.binding_create(
        actor=None,
        objective=objective,
        indicator=services.indicator_for_key("strategy.action_items_done"),
        target_value="4",
    )
    ActionItemFactory.create_batch(3, status=ActionItemStatus.DONE, objectives=[objective])
    ActionItemFactory(status=ActionItemStatus.OPEN, objectives=[objective])
    login_as(client, personas, "member_a")
    assert figure_of(client.get(plan_url(plan)), objective).current.value == 3


# --- cost -----------------------------------------------------------------------------------------


def _plan_with(n: int):
    plan = PlanFactory(title=f"Plan of {n}")
    strategies = [StrategyFactory(plan=plan, number=number) for number in (1, 2)]
    for index in range(n):
        objective = ObjectiveFactory(strategy=strategies[index % 2], position=index + 1)
        objective.owners.add(*User.objects.filter(role=Role.STAFF))
        indicator = IndicatorFactory()
        BindingFactory(objective=objective, indicator=indicator)
        MeasurementFactory(indicator=indicator)
        services.binding_create(
            actor=None,
            objective=objective,
            indicator=services.indicator_for_key("directory.member_organizations"),
        )
        services.binding_create(
            actor=None,
            objective=objective,
            indicator=services.indicator_for_key("strategy.action_items_done"),
        )
    return plan


@pytest.mark.parametrize("n", [5, 20])
def test_dashboard_queries_do_not_grow_with_objectives(client, personas, django_assert_num_queries, n):
    plan = _plan_with(n)
    plan.objectives.first().tables.add(personas.table)
    login_as(client, personas, "member_a")
    client.get(plan_url(plan))  # fills the figure cache, as any earlier visit would have
    # session, user, the viewer kept in the cache (no query); the plan; the owner filter's people;
    # the plan's strategies; its objectives, with their owners and visible tables (2 prefetches);
    # their bindings with indicators; the last board report; every stored measurement in one;
    # values; the filter's tables; the other plans. Computed figures come from the cache.
    with django_assert_num_queries(14):
        response = client.get(plan_url(plan))
    assert len(shown_numbers(response)) == n


def test_the_home_page_lists_the_objectives_the_user_owns(client, personas, plan):
    plan.objectives.get(number="2.7").owners.add(personas.user("board"))
    hidden = ObjectiveFactory(
        strategy__plan=PlanFactory(visibility=Visibility.STAFF), text="Staff plan objective"
    )
    hidden.owners.add(personas.user("board"))
    login_as(client, personas, "board")
    body = client.get(reverse("core:home")).content.decode()
    assert "Objectives you own" in body
    assert reverse("strategy:objective_detail", args=[plan.objectives.get(number="2.7").public_id]) in body
    assert "Staff plan objective" not in body
    login_as(client, personas, "member_a")
    assert "Objectives you own" not in client.get(reverse("core:home")).content.decode()
