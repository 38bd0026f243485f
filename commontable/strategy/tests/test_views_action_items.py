"""Action items: the list and its filters, adding one (members), changing one (its owner, its
maker, staff), and done items counting toward their objectives on the dashboard."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from commontable.core.audit import activity_for
from commontable.core.testing import assert_permission_matrix, login_as
from commontable.core.visibility import Visibility
from commontable.strategy import services
from commontable.strategy.choices import ActionItemStatus
from commontable.strategy.models import ActionItem
from commontable.strategy.tests.factories import ActionItemFactory, ObjectiveFactory, PlanFactory

LIST = reverse("strategy:action_item_list")
CREATE = reverse("strategy:action_item_create")
MEMBERS = {"anonymous": 302, "public_user": 403}


def edit(item):
    return reverse("strategy:action_item_edit", args=[item.public_id])


def titles(response) -> list[str]:
    return [item.title for item in response.context["page"].object_list]


def done_figure(client, plan, objective):
    response = client.get(reverse("strategy:plan_dashboard", args=[plan.slug]))
    for strategy in response.context["board"].strategies:
        for row in strategy.objectives:
            if row.objective.pk == objective.pk:
                return row.figures[0].current.value
    raise AssertionError("objective not on the dashboard")


@pytest.fixture
def item(personas, objective):
    """An item made by member_a, owned by the board member, counting toward objective 2.1."""
    return ActionItemFactory(
        title="Book the retreat venue",
        created_by=personas.user("member_a"),
        owner=personas.user("board"),
        objectives=[objective],
    )


# --- the list -------------------------------------------------------------------------------------


def test_action_item_list_permission_matrix(client, personas):
    assert_permission_matrix(client, personas, "get", LIST, MEMBERS, default=200)


def test_the_list_shows_members_items_and_staff_items_only_to_staff_and_their_owner(client, personas, item):
    ActionItemFactory(title="Staff budget review", visibility=Visibility.STAFF)
    ActionItemFactory(title="Board pay review", visibility=Visibility.STAFF, owner=personas.user("member_b"))
    login_as(client, personas, "member_a")
    assert titles(client.get(LIST)) == ["Book the retreat venue"]
    login_as(client, personas, "member_b")
    assert set(titles(client.get(LIST))) == {"Book the retreat venue", "Board pay review"}
    login_as(client, personas, "staff")
    assert len(titles(client.get(LIST))) == 3


def test_filter_by_objective_status_and_mine(client, personas, plan, objective, item):
    other = plan.objectives.get(number="1.1")
    ActionItemFactory(title="Draft the policy", objectives=[other], owner=personas.user("member_a"))
    ActionItemFactory(title="Held the circle", status=ActionItemStatus.DONE, objectives=[objective])
    login_as(client, personas, "member_a")
    response = client.get(LIST, {"objective": str(objective.public_id)})
    assert set(titles(response)) == {"Book the retreat venue", "Held the circle"}
    assert response.context["objective"] == objective
    assert "Counting toward objective 2.1." in response.content.decode()
    assert titles(client.get(LIST, {"objective": str(objective.public_id), "status": "done"})) == [
        "Held the circle"
    ]
    assert titles(client.get(LIST, {"mine": "1"})) == ["Draft the policy"]


@pytest.mark.parametrize(
    "query",
    [
        {"objective": "not-a-uuid"},
        {"objective": "00000000-0000-0000-0000-000000000000"},
        {"status": "sideways"},
        {"mine": "yes"},
    ],
)
def test_meaningless_filters_are_ignored(client, personas, item, query):
    login_as(client, personas, "member_a")
    response = client.get(LIST, query)
    assert response.status_code == 200
    assert titles(response) == ["Book the retreat venue"]


def test_filtering_by_an_objective_of_a_hidden_plan_shows_nothing_of_it(client, personas):
    hidden = ObjectiveFactory(
        strategy__plan=PlanFactory(visibility=Visibility.STAFF), text="Secret objective"
    )
    ActionItemFactory(title="Visible item", objectives=[hidden])
    login_as(client, personas, "member_a")
    response = client.get(LIST, {"objective": str(hidden.public_id)})
    assert response.context["objective"] is None
    body = response.content.decode()
    # The item itself is a members' item; the objective it counts toward is not named.
    assert "Visible item" in body
    assert "Counting toward objective" not in body
    assert reverse("strategy:objective_detail", args=[hidden.public_id]) not in body


def test_only_items_the_user_may_change_link_to_their_edit_page(client, personas, item):
    other = ActionItemFactory(title="Someone else's")
    login_as(client, personas, "member_a")
    body = client.get(LIST).content.decode()
    assert edit(item) in body and edit(other) not in body
    login_as(client, personas, "staff")
    body = client.get(LIST).content.decode()
    assert edit(item) in body and edit(other) in body


def test_list_queries_do_not_grow_with_items(client, personas, objective, django_assert_num_queries):
    for _n in range(6):
        ActionItemFactory(objectives=[objective], owner=personas.user("board"))
    login_as(client, personas, "member_a")
    # session, user, viewer (person, affiliations, tables), the count, the page of items with
    # owners, their objectives (only those the user may see).
    with django_assert_num_queries(8):
        response = client.get(LIST)
    assert len(titles(response)) == 6


# --- adding ---------------------------------------------------------------------------------------


def test_action_item_create_permission_matrix(client, personas):
    assert_permission_matrix(client, personas, "get", CREATE, MEMBERS, default=200)
    assert_permission_matrix(client, personas, "post", CREATE, MEMBERS, data={"title": ""}, default=400)
    assert not ActionItem.objects.exists()


def test_a_member_adds_an_item_toward_an_objective(client, personas, objective):
    login_as(client, personas, "member_a")
    form = client.get(CREATE, {"objective": str(objective.public_id)}).context["form"]
    assert [o.pk for o in form.initial["objectives"]] == [objective.pk]
    response = client.post(
        CREATE,
        {
            "title": "Call the housing authority",
            "owner": personas.user("member_a").pk,
            "due_on": "2026-12-15",
            "objectives": [objective.pk],
            "visibility": "members",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("strategy:objective_detail", args=[objective.public_id])
    item = ActionItem.objects.get()
    assert (item.title, item.status, item.created_by) == (
        "Call the housing authority",
        "open",
        personas.user("member_a"),
    )
    assert list(item.objectives.all()) == [objective]
    assert activity_for(item).filter(action="strategy.action-item.created").exists()


def test_an_item_without_objectives_goes_back_to_the_list(client, personas):
    login_as(client, personas, "member_b")
    response = client.post(CREATE, {"title": "Tidy the shared drive", "visibility": "members"})
    assert response.status_code == 302 and response["Location"] == LIST


def test_an_item_needs_a_title(client, personas):
    login_as(client, personas, "member_a")
    response = client.post(CREATE, {"title": "   ", "visibility": "members"})
    assert response.status_code == 400 and "title" in response.context["form"].errors


def test_archived_objectives_and_objectives_of_hidden_plans_are_not_offered(
    client, personas, plan, objective
):
    archived = plan.objectives.get(number="1.1")
    archived.archived_at = timezone.now()
    archived.save()
    hidden = ObjectiveFactory(strategy__plan=PlanFactory(visibility=Visibility.STAFF))
    login_as(client, personas, "member_a")
    for target in (archived, hidden):
        response = client.post(CREATE, {"title": "Try", "objectives": [target.pk], "visibility": "members"})
        assert response.status_code == 400 and "objectives" in response.context["form"].errors
    assert not ActionItem.objects.exists()


def test_an_item_cannot_be_only_for_a_table(client, personas):
    login_as(client, personas, "member_a")
    response = client.post(CREATE, {"title": "Try", "visibility": "table"})
    assert response.status_code == 400 and "visibility" in response.context["form"].errors


# --- changing -------------------------------------------------------------------------------------


def test_action_item_edit_permission_matrix(client, personas, item):
    expected = {
        "anonymous": 302,
        "public_user": 404,
        "member_a": 200,
        "board": 200,
        "staff": 200,
        "admin": 200,
    }
    assert_permission_matrix(client, personas, "get", edit(item), expected, default=403)
    assert_permission_matrix(
        client,
        personas,
        "post",
        edit(item),
        {**expected, "member_a": 400, "board": 400, "staff": 400, "admin": 400},
        data={"title": ""},
        default=403,
    )


def test_a_staff_only_item_answers_404_to_members_who_do_not_own_it(client, personas):
    item = ActionItemFactory(visibility=Visibility.STAFF, owner=personas.user("member_b"))
    expected = {"anonymous": 302, "member_b": 200, "staff": 200, "admin": 200}
    assert_permission_matrix(client, personas, "get", edit(item), expected, default=404)


def _done(item, objective, **extra):
    return {
        "title": item.title,
        "status": "done",
        "objectives": [objective.pk],
        "owner": item.owner_id or "",
        **extra,
    }


def test_marking_an_item_done_counts_toward_its_objective_on_the_dashboard(
    client, personas, plan, objective, item
):
    services.binding_create(
        actor=None, objective=objective, indicator=services.indicator_for_key("strategy.action_items_done")
    )
    login_as(client, personas, "member_a")
    assert done_figure(client, plan, objective) == 0
    login_as(client, personas, "board")
    response = client.post(edit(item), _done(item, objective))
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.done_on) == ("done", timezone.localdate())
    assert activity_for(item).filter(action="strategy.action-item.updated").exists()
    login_as(client, personas, "member_a")
    assert done_figure(client, plan, objective) == 1
    # Reopened, it no longer counts, and forgets the day it was done.
    login_as(client, personas, "staff")
    client.post(edit(item), {**_done(item, objective), "status": "open"})
    item.refresh_from_db()
    assert item.done_on is None
    assert done_figure(client, plan, objective) == 0


def test_a_dropped_item_does_not_count(client, personas, plan, objective, item):
    services.binding_create(
        actor=None, objective=objective, indicator=services.indicator_for_key("strategy.action_items_done")
    )
    login_as(client, personas, "member_a")
    client.post(edit(item), {**_done(item, objective), "status": "dropped"})
    assert done_figure(client, plan, objective) == 0


def test_the_done_date_may_be_given_but_not_in_the_future(client, personas, objective, item):
    login_as(client, personas, "member_a")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(edit(item), _done(item, objective, done_on=tomorrow.isoformat()))
    assert response.status_code == 400 and "done_on" in response.context["form"].errors
    response = client.post(edit(item), _done(item, objective, done_on="2025-05-01"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.done_on == dt.date(2025, 5, 1)


def test_an_item_keeps_an_objective_that_was_archived_since(client, personas, objective, item):
    objective.archived_at = timezone.now()
    objective.save()
    login_as(client, personas, "member_a")
    response = client.post(edit(item), _done(item, objective))
    assert response.status_code == 302
    assert list(item.objectives.all()) == [objective]


def test_editing_an_item_neither_shows_nor_drops_an_objective_of_a_hidden_plan(
    client, personas, objective, item
):
    hidden = ObjectiveFactory(
        strategy__plan=PlanFactory(visibility=Visibility.STAFF), text="Secret objective"
    )
    item.objectives.add(hidden)
    login_as(client, personas, "member_a")
    assert "Secret objective" not in client.get(edit(item)).content.decode()
    response = client.post(
        edit(item), {"title": "Book the retreat venue", "status": "open", "objectives": [objective.pk]}
    )
    assert response.status_code == 302
    assert set(item.objectives.all()) == {objective, hidden}
