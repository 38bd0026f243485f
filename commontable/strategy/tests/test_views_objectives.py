"""An objective's page and what staff and owners do from it: owners, tables and notes; binding
indicators with their targets; archiving a binding; recording hand-measured figures. Also the
indicator catalogue, an indicator's page and adding a manual indicator."""

import datetime as dt
from decimal import Decimal
from urllib.parse import urlencode, urlsplit

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from commontable.core.audit import activity_for
from commontable.core.testing import PERSONAS, assert_permission_matrix, login_as
from commontable.core.visibility import Visibility
from commontable.directory.tests.factories import TableFactory
from commontable.strategy import permissions, services
from commontable.strategy.choices import ActionItemStatus, Cadence, IndicatorKind
from commontable.strategy.models import Indicator, Measurement, ObjectiveIndicator
from commontable.strategy.tests.factories import (
    ActionItemFactory,
    BindingFactory,
    IndicatorFactory,
    MeasurementFactory,
    ObjectiveFactory,
    PlanFactory,
)

# Expectations on a members-only plan: who may see it, and who may change it.
SEE = {"anonymous": 404, "public_user": 404}
MANAGE = {"anonymous": 302, "public_user": 404, "staff": 200, "admin": 200}


def detail(objective):
    return reverse("strategy:objective_detail", args=[objective.public_id])


def edit(objective):
    return reverse("strategy:objective_edit", args=[objective.public_id])


def bind(objective):
    return reverse("strategy:binding_create", args=[objective.public_id])


def binding_edit(binding):
    return reverse("strategy:binding_edit", args=[binding.public_id])


def binding_archive(binding):
    return reverse("strategy:binding_archive", args=[binding.public_id])


def measure(indicator):
    return reverse("strategy:measurement_create", args=[indicator.key])


def errors(response) -> dict:
    return response.context["form"].errors


@pytest.fixture
def hidden_objective(personas):
    """An objective of a plan only staff may see."""
    return ObjectiveFactory(strategy__plan=PlanFactory(visibility=Visibility.STAFF))


@pytest.fixture
def manual(objective):
    """A manual indicator bound to objective 2.1."""
    indicator = IndicatorFactory(label="Self-care check-ins", unit="check-ins")
    BindingFactory(objective=objective, indicator=indicator)
    return indicator


# --- the objective page ---------------------------------------------------------------------------


def test_objective_page_permission_matrix(client, personas, objective):
    assert_permission_matrix(client, personas, "get", detail(objective), SEE, default=200)


def test_an_objective_of_a_hidden_plan_answers_404(client, personas, hidden_objective):
    assert_permission_matrix(
        client, personas, "get", detail(hidden_objective), {"staff": 200, "admin": 200}, default=404
    )


def test_objective_page_shows_figures_measurements_owners_and_action_items(
    client, personas, objective, manual
):
    MeasurementFactory(indicator=manual, value=Decimal(12), evidence="Sign-in sheets")
    objective.owners.add(personas.user("board"))
    ActionItemFactory(title="Book the retreat venue", objectives=[objective])
    login_as(client, personas, "member_a")
    response = client.get(detail(objective))
    body = response.content.decode()
    assert objective.text in body
    assert "Self-care check-ins" in body and "12" in body
    assert str(personas.user("board")) in body
    assert "Book the retreat venue" in body
    # Members see the figures but not the staff controls.
    assert bind(objective) not in body and edit(objective) not in body
    assert measure(manual) not in body
    login_as(client, personas, "staff")
    body = client.get(detail(objective)).content.decode()
    assert bind(objective) in body and edit(objective) in body and measure(manual) in body


def test_an_owner_is_offered_to_record_a_measurement(client, personas, objective, manual):
    objective.owners.add(personas.user("board"))
    login_as(client, personas, "board")
    assert measure(manual) in client.get(detail(objective)).content.decode()


def test_an_archived_objective_stays_readable_and_takes_no_new_binding(client, personas, plan, objective):
    objective.archived_at = timezone.now()
    objective.save()
    login_as(client, personas, "staff")
    body = client.get(detail(objective)).content.decode()
    assert "Archived: no longer in the plan" in body
    assert bind(objective) not in body


def test_a_table_the_viewer_may_not_see_is_not_named_on_the_objective(client, personas, objective):
    objective.tables.add(TableFactory(name="Hidden Table", visibility=Visibility.STAFF), personas.table)
    login_as(client, personas, "member_a")
    body = client.get(detail(objective)).content.decode()
    assert "Corridor Table" in body and "Hidden Table" not in body
    login_as(client, personas, "staff")
    assert "Hidden Table" in client.get(detail(objective)).content.decode()


@pytest.mark.parametrize("n", [5, 10])
def test_objective_page_queries_do_not_grow_with_figures(
    client, personas, objective, django_assert_num_queries, n
):
    objective.owners.add(personas.user("staff"), personas.user("board"))
    objective.tables.add(personas.table)
    for _index in range(n):
        indicator = IndicatorFactory()
        BindingFactory(objective=objective, indicator=indicator)
        MeasurementFactory(indicator=indicator)
        ActionItemFactory(objectives=[objective], owner=personas.user("staff"))
    login_as(client, personas, "member_a")
    client.get(detail(objective))
    # session, user, the viewer kept in the cache (no query); the objective with plan and strategy;
    # its bindings with indicators; the last board report; every measurement of the figures in
    # one; the hand-entered measurements with who recorded them; its action items with owners;
    # its history; the measurement permission; owners; visible tables.
    with django_assert_num_queries(12):
        response = client.get(detail(objective))
    assert len(response.context["page"].figures) == n


# --- owners, tables and notes ---------------------------------------------------------------------


def test_objective_edit_permission_matrix(client, personas, objective):
    assert_permission_matrix(client, personas, "get", edit(objective), MANAGE, default=403)
    assert_permission_matrix(
        client,
        personas,
        "post",
        edit(objective),
        {**MANAGE, "staff": 400, "admin": 400},
        data={"owners": ["not-a-pk"]},
        default=403,
    )


def test_objective_edit_of_a_hidden_plan_answers_404(client, personas, hidden_objective):
    assert_permission_matrix(
        client,
        personas,
        "get",
        edit(hidden_objective),
        {"anonymous": 302, "staff": 200, "admin": 200},
        default=404,
    )


def test_staff_set_owners_tables_and_notes(client, personas, objective):
    login_as(client, personas, "staff")
    response = client.post(
        edit(objective),
        {
            "owners": [personas.user("board").pk, personas.user("staff").pk],
            "tables": [personas.table.pk],
            "notes": "Check in with the corridor table monthly.",
        },
    )
    assert response.status_code == 302 and response["Location"] == detail(objective)
    objective.refresh_from_db()
    assert set(objective.owners.all()) == {personas.user("board"), personas.user("staff")}
    assert list(objective.tables.all()) == [personas.table]
    assert objective.notes == "Check in with the corridor table monthly."
    assert activity_for(objective).filter(action="strategy.objective.updated").exists()


def test_owners_are_staff_or_board_members(client, personas, objective):
    login_as(client, personas, "staff")
    response = client.post(edit(objective), {"owners": [personas.user("member_a").pk], "notes": ""})
    assert response.status_code == 400
    assert "owners" in errors(response)
    assert not objective.owners.exists()


# --- binding indicators ---------------------------------------------------------------------------


def test_binding_create_permission_matrix(client, personas, objective):
    assert_permission_matrix(client, personas, "get", bind(objective), MANAGE, default=403)
    assert_permission_matrix(
        client,
        personas,
        "post",
        bind(objective),
        {**MANAGE, "staff": 400, "admin": 400},
        data={},
        default=403,
    )


def test_binding_create_on_a_hidden_plan_answers_404(client, personas, hidden_objective):
    assert_permission_matrix(
        client,
        personas,
        "get",
        bind(hidden_objective),
        {"anonymous": 302, "staff": 200, "admin": 200},
        default=404,
    )


def test_staff_bind_a_computed_indicator_with_a_target(client, personas, objective):
    login_as(client, personas, "staff")
    response = client.post(
        bind(objective),
        {
            "indicator": "directory.member_organizations",
            "baseline_value": "1,200",
            "baseline_on": "2023-01-01",
            "target_value": "1500.5",
            "target_on": "2026-12-31",
            "cadence": Cadence.QUARTERLY,
        },
    )
    assert response.status_code == 302 and response["Location"] == detail(objective)
    binding = ObjectiveIndicator.objects.get(objective=objective)
    assert binding.indicator.key == "directory.member_organizations"
    assert binding.indicator.kind == IndicatorKind.COMPUTED
    assert (binding.baseline_value, binding.target_value) == (Decimal(1200), Decimal("1500.5"))
    assert activity_for(binding).filter(action="strategy.binding.created").exists()


def test_staff_bind_a_manual_indicator(client, personas, objective):
    indicator = IndicatorFactory(label="Check-ins")
    login_as(client, personas, "staff")
    response = client.post(bind(objective), {"indicator": indicator.key, "cadence": Cadence.MONTHLY})
    assert response.status_code == 302
    assert ObjectiveIndicator.objects.get(objective=objective).indicator == indicator


def test_a_parameterised_indicator_is_bound_to_the_one_chosen(client, personas, objective):
    login_as(client, personas, "staff")
    response = client.post(
        bind(objective),
        {
            "indicator": "directory.table_organizations",
            "param": personas.table.slug,
            "cadence": Cadence.QUARTERLY,
        },
    )
    assert response.status_code == 302
    assert ObjectiveIndicator.objects.get(objective=objective).param == personas.table.slug


def test_an_objective_indicator_is_bound_to_its_own_objective(client, personas, objective):
    login_as(client, personas, "staff")
    response = client.post(
        bind(objective), {"indicator": "strategy.action_items_done", "cadence": Cadence.QUARTERLY}
    )
    assert response.status_code == 302
    assert ObjectiveIndicator.objects.get(objective=objective).param == str(objective.public_id)


def test_a_parameterised_indicator_needs_its_parameter(client, personas, objective):
    login_as(client, personas, "staff")
    response = client.post(
        bind(objective), {"indicator": "directory.table_organizations", "cadence": Cadence.QUARTERLY}
    )
    assert response.status_code == 400
    assert "param" in errors(response)
    assert not ObjectiveIndicator.objects.exists()


def test_the_target_date_must_come_after_the_baseline_date(client, personas, objective):
    login_as(client, personas, "staff")
    for target_on in ("2022-06-30", "2023-01-01"):
        response = client.post(
            bind(objective),
            {
                "indicator": "directory.member_organizations",
                "baseline_on": "2023-01-01",
                "target_on": target_on,
                "cadence": Cadence.QUARTERLY,
            },
        )
        assert response.status_code == 400
        assert "target_on" in errors(response)
    assert not ObjectiveIndicator.objects.exists()


@pytest.mark.parametrize(
    "value", ["NaN", "nan", "inf", "-Infinity", "sNaN", "twelve", "1.2.3", "1e20", "0x10"]
)
@pytest.mark.parametrize("field", ["baseline_value", "target_value"])
def test_baseline_and_target_must_be_ordinary_numbers(client, personas, objective, field, value):
    login_as(client, personas, "staff")
    response = client.post(
        bind(objective),
        {
            "indicator": "directory.member_organizations",
            field: value,
            "cadence": Cadence.QUARTERLY,
        },
    )
    assert response.status_code == 400
    assert field in errors(response)
    assert not ObjectiveIndicator.objects.exists()


def test_an_archived_objective_takes_no_new_binding(client, personas, objective):
    objective.archived_at = timezone.now()
    objective.save()
    login_as(client, personas, "staff")
    response = client.post(
        bind(objective), {"indicator": "directory.member_organizations", "cadence": Cadence.QUARTERLY}
    )
    assert response.status_code == 400
    assert "archived" in " ".join(errors(response).get("__all__", []))
    assert not ObjectiveIndicator.objects.exists()


def test_an_indicator_is_bound_to_an_objective_only_once(client, personas, objective):
    login_as(client, personas, "staff")
    data = {"indicator": "directory.member_organizations", "cadence": Cadence.QUARTERLY}
    assert client.post(bind(objective), data).status_code == 302
    response = client.post(bind(objective), data)
    assert response.status_code == 400
    assert "indicator" in errors(response)
    assert ObjectiveIndicator.objects.filter(objective=objective).count() == 1


def test_an_unknown_indicator_or_cadence_is_refused(client, personas, objective):
    login_as(client, personas, "staff")
    response = client.post(bind(objective), {"indicator": "directory.nothing", "cadence": "5"})
    assert response.status_code == 400
    assert {"indicator", "cadence"} <= set(errors(response))


# --- changing and archiving a binding -------------------------------------------------------------


@pytest.fixture
def binding(objective):
    return BindingFactory(objective=objective, indicator=IndicatorFactory(label="Check-ins"))


def test_binding_edit_permission_matrix(client, personas, binding):
    assert_permission_matrix(client, personas, "get", binding_edit(binding), MANAGE, default=403)


def test_staff_change_a_target(client, personas, binding):
    login_as(client, personas, "staff")
    response = client.post(
        binding_edit(binding),
        {
            "baseline_value": "3",
            "baseline_on": "2023-03-31",
            "target_value": "30",
            "target_on": "2026-06-30",
            "cadence": Cadence.MONTHLY,
        },
    )
    assert response.status_code == 302
    binding.refresh_from_db()
    assert (binding.baseline_value, binding.target_value, binding.cadence) == (
        Decimal(3),
        Decimal(30),
        Cadence.MONTHLY,
    )
    assert binding.target_on == dt.date(2026, 6, 30)
    assert activity_for(binding).filter(action="strategy.binding.updated").exists()
    # The earlier target stays in the binding's history.
    assert binding.history.count() == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"target_value": "inf"}, "target_value"),
        ({"baseline_value": "NaN"}, "baseline_value"),
        ({"target_value": "lots"}, "target_value"),
        ({"baseline_on": "2024-01-01", "target_on": "2023-12-31"}, "target_on"),
        ({"cadence": "0"}, "cadence"),
    ],
)
def test_changing_a_target_refuses_what_binding_refuses(client, personas, binding, data, field):
    login_as(client, personas, "staff")
    response = client.post(binding_edit(binding), {"cadence": Cadence.QUARTERLY, **data})
    assert response.status_code == 400
    assert field in errors(response)
    binding.refresh_from_db()
    assert binding.target_value == Decimal(50)


def test_binding_archive_permission_matrix(client, personas, objective):
    bindings = [BindingFactory(objective=objective) for _n in range(2)]
    assert_permission_matrix(
        client, personas, "get", binding_archive(bindings[0]), {"anonymous": 302}, default=405
    )
    # Members are refused before anything changes; staff are sent back to the objective.
    assert_permission_matrix(
        client,
        personas,
        "post",
        binding_archive(bindings[1]),
        {**MANAGE, "staff": 302, "admin": 302},
        default=403,
    )


def test_staff_archive_a_binding_and_its_history_stays(client, personas, objective, manual):
    binding = ObjectiveIndicator.objects.get(objective=objective, indicator=manual)
    MeasurementFactory(indicator=manual)
    login_as(client, personas, "staff")
    response = client.post(binding_archive(binding))
    assert response.status_code == 302 and response["Location"] == detail(objective)
    binding.refresh_from_db()
    assert binding.archived_at is not None
    assert Measurement.objects.filter(indicator=manual).exists()
    assert activity_for(binding).filter(action="strategy.binding.archived").exists()
    body = client.get(detail(objective)).content.decode()
    assert "Indicators no longer shown" in body and "Self-care check-ins" in body
    # An archived binding has no target to change; archiving twice changes nothing.
    assert client.get(binding_edit(binding)).status_code == 404
    archived_at = binding.archived_at
    assert client.post(binding_archive(binding)).status_code == 302
    binding.refresh_from_db()
    assert binding.archived_at == archived_at
    # The same indicator may be bound again.
    assert (
        client.post(bind(objective), {"indicator": manual.key, "cadence": Cadence.QUARTERLY}).status_code
        == 302
    )


def test_a_binding_of_a_hidden_plan_answers_404(client, personas, hidden_objective):
    binding = BindingFactory(objective=hidden_objective)
    assert_permission_matrix(
        client,
        personas,
        "get",
        binding_edit(binding),
        {"anonymous": 302, "staff": 200, "admin": 200},
        default=404,
    )


# --- measurements ---------------------------------------------------------------------------------


def test_measurement_create_permission_matrix(client, personas, objective, manual):
    # Staff, and the board member who owns an objective measured by it; a non-member cannot see it.
    objective.owners.add(personas.user("board"))
    assert_permission_matrix(
        client,
        personas,
        "get",
        measure(manual),
        {"anonymous": 302, "public_user": 404, "board": 200, "staff": 200, "admin": 200},
        default=403,
    )


def test_owning_an_objective_of_another_indicator_is_not_enough(client, personas, plan, objective, manual):
    plan.objectives.get(number="1.1").owners.add(personas.user("board"))
    login_as(client, personas, "board")
    assert client.get(measure(manual)).status_code == 403


def test_an_archived_binding_gives_its_owners_no_say(client, personas, objective, manual):
    objective.owners.add(personas.user("board"))
    ObjectiveIndicator.objects.filter(indicator=manual).update(archived_at=timezone.now())
    login_as(client, personas, "board")
    # Its history stays readable, but it is no longer theirs to measure.
    assert client.get(reverse("strategy:indicator_detail", args=[manual.key])).status_code == 200
    assert client.get(measure(manual)).status_code == 403


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_objective_page_decides_who_measures_as_the_measurement_page_does(
    personas, plan, objective, manual, persona
):
    other = IndicatorFactory()
    BindingFactory(objective=plan.objectives.get(number="1.1"), indicator=other)
    computed = services.indicator_for_key("directory.member_organizations")
    objective.owners.add(personas.user("board"), personas.user("member_a"))
    user = personas.user(persona) or AnonymousUser()
    indicators = [manual, other, computed]
    expected = {i.pk for i in indicators if i.is_manual and permissions.can_add_measurement.test(user, i)}
    assert permissions.indicators_measurable_by(user, indicators) == expected


def test_an_owner_records_a_measurement_with_evidence(client, personas, objective, manual):
    objective.owners.add(personas.user("board"))
    login_as(client, personas, "board")
    response = client.post(
        measure(manual) + f"?next={detail(objective)}",
        {
            "value": "14",
            "measured_on": timezone.localdate().isoformat(),
            "evidence": "Sign-in sheets",
            "evidence_url": "example.org/sheets",
        },
    )
    assert response.status_code == 302 and response["Location"] == detail(objective)
    measurement = Measurement.objects.get(indicator=manual)
    assert (measurement.value, measurement.recorded_by) == (Decimal(14), personas.user("board"))
    assert measurement.evidence_url == "https://example.org/sheets"
    assert activity_for(measurement).filter(action="strategy.measurement.added").exists()
    # The objective's page shows it at once.
    assert (
        "Sign-in sheets"
        in client.get(reverse("strategy:indicator_detail", args=[manual.key])).content.decode()
    )


@pytest.mark.parametrize(
    "target", ["//evil.example/", "/\\evil.example/", "https://evil.example/", "/\t/evil.example/"]
)
def test_after_recording_only_a_local_page_is_followed(client, personas, manual, target):
    login_as(client, personas, "staff")
    response = client.post(
        f"{measure(manual)}?{urlencode({'next': target})}",
        {"value": "1", "measured_on": timezone.localdate().isoformat()},
    )
    # Either back to the indicator, or to a path of this site (a backslash or a tab is sent
    # percent-encoded, so no browser reads it as another host).
    location = response["Location"]
    assert location.startswith("/") and not location.startswith("//")
    assert urlsplit(location).netloc == "" and "\\" not in location and "\t" not in location


@pytest.mark.parametrize("value", ["NaN", "inf", "", "several", "1e15"])
def test_a_measurement_is_an_ordinary_number(client, personas, manual, value):
    login_as(client, personas, "staff")
    response = client.post(measure(manual), {"value": value, "measured_on": timezone.localdate().isoformat()})
    assert response.status_code == 400
    assert "value" in errors(response)
    assert not Measurement.objects.exists()


def test_a_measurement_cannot_be_dated_in_the_future(client, personas, manual):
    login_as(client, personas, "staff")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(measure(manual), {"value": "3", "measured_on": tomorrow.isoformat()})
    assert response.status_code == 400
    assert "measured_on" in errors(response)
    assert not Measurement.objects.exists()


def test_a_computed_indicator_takes_no_hand_entered_figure(client, personas, objective):
    indicator = services.indicator_for_key("directory.member_organizations")
    services.binding_create(actor=None, objective=objective, indicator=indicator)
    login_as(client, personas, "staff")
    response = client.post(
        measure(indicator), {"value": "3", "measured_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 400
    assert "computed from the records" in " ".join(errors(response).get("__all__", []))
    assert not Measurement.objects.exists()


# --- indicators -----------------------------------------------------------------------------------


def test_indicator_list_permission_matrix(client, personas):
    assert_permission_matrix(
        client,
        personas,
        "get",
        reverse("strategy:indicator_list"),
        {"anonymous": 302, "public_user": 403},
        default=200,
    )


def test_indicator_list_names_computed_indicators_and_manual_ones_the_user_may_see(client, personas, manual):
    IndicatorFactory(label="Staff-only gauge")
    BindingFactory(
        objective=ObjectiveFactory(strategy__plan=PlanFactory(visibility=Visibility.STAFF)),
        indicator=Indicator.objects.get(label="Staff-only gauge"),
    )
    login_as(client, personas, "member_a")
    body = client.get(reverse("strategy:indicator_list")).content.decode()
    assert "Member organizations" in body and "Self-care check-ins" in body
    assert "Staff-only gauge" not in body
    login_as(client, personas, "staff")
    assert "Staff-only gauge" in client.get(reverse("strategy:indicator_list")).content.decode()


def test_indicator_detail_permission_matrix(client, personas, objective, manual):
    computed = services.indicator_for_key("directory.member_organizations")
    url = reverse("strategy:indicator_detail", args=[computed.key])
    assert_permission_matrix(client, personas, "get", url, {}, default=200)
    url = reverse("strategy:indicator_detail", args=[manual.key])
    assert_permission_matrix(client, personas, "get", url, SEE, default=200)
    assert_permission_matrix(
        client,
        personas,
        "get",
        reverse("strategy:indicator_detail", args=["manual.nothing"]),
        {},
        default=404,
    )


def test_indicator_detail_lists_measurements_newest_first(client, personas, manual):
    MeasurementFactory(
        indicator=manual, value=Decimal(3), measured_on=dt.date(2024, 1, 5), evidence="First count"
    )
    MeasurementFactory(
        indicator=manual, value=Decimal(8), measured_on=dt.date(2025, 1, 5), evidence="Second count"
    )
    login_as(client, personas, "member_a")
    body = client.get(reverse("strategy:indicator_detail", args=[manual.key])).content.decode()
    assert body.index("Second count") < body.index("First count")


def test_indicator_create_permission_matrix(client, personas):
    url = reverse("strategy:indicator_create")
    assert_permission_matrix(
        client, personas, "get", url, {"anonymous": 302, "staff": 200, "admin": 200}, default=403
    )
    assert_permission_matrix(
        client,
        personas,
        "post",
        url,
        {"anonymous": 302, "staff": 400, "admin": 400},
        data={"label": ""},
        default=403,
    )


def test_staff_add_a_manual_indicator(client, personas):
    login_as(client, personas, "staff")
    response = client.post(
        reverse("strategy:indicator_create"),
        {
            "label": "Self-care check-ins",
            "description": "Circles held",
            "unit": "check-ins",
            "direction": "up",
        },
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(label="Self-care check-ins")
    assert indicator.key == "manual.self-care-check-ins" and indicator.is_manual
    # A second one with the same name gets its own key.
    client.post(reverse("strategy:indicator_create"), {"label": "Self-care check-ins", "direction": "up"})
    assert Indicator.objects.filter(key="manual.self-care-check-ins-2").exists()


def test_a_manual_indicator_needs_a_name_and_a_direction(client, personas):
    login_as(client, personas, "staff")
    response = client.post(reverse("strategy:indicator_create"), {"label": "   ", "direction": "sideways"})
    assert response.status_code == 400
    assert {"label", "direction"} <= set(errors(response))


def test_done_action_items_show_on_the_objective(client, personas, objective):
    services.binding_create(
        actor=None, objective=objective, indicator=services.indicator_for_key("strategy.action_items_done")
    )
    ActionItemFactory.create_batch(2, status=ActionItemStatus.DONE, objectives=[objective])
    login_as(client, personas, "member_a")
    assert client.get(detail(objective)).context["page"].figures[0].current.value == 2
