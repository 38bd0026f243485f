"""Who may do what with the plan. One decision per action, used by pages, API and templates.

A plan, its objectives and figures are seen by whoever may see the plan (404 otherwise). Staff run
the plan: import, bind indicators, set targets, make board reports. Owners of an objective record
the hand-measured figures bound to it and its action items: the people closest to the work keep
its figures fresh."""

from __future__ import annotations

import rules
from django.shortcuts import get_object_or_404

from commontable.core.visibility import Role, viewer_for
from commontable.strategy.models import (
    ActionItem,
    BoardReport,
    Indicator,
    Objective,
    ObjectiveIndicator,
    Plan,
)


@rules.predicate
def is_staff(user) -> bool:
    return viewer_for(user).is_staff


@rules.predicate
def is_member(user) -> bool:
    return viewer_for(user).is_member


@rules.predicate
def is_board(user) -> bool:
    return viewer_for(user).at_least(Role.BOARD)


@rules.predicate
def owns_objective(user, objective: Objective | None) -> bool:
    return objective is not None and user.is_authenticated and objective.owners.filter(pk=user.pk).exists()


@rules.predicate
def owns_objective_measured_by(user, indicator: Indicator | None) -> bool:
    if indicator is None or not user.is_authenticated:
        return False
    return ObjectiveIndicator.objects.current().filter(indicator=indicator, objective__owners=user).exists()


@rules.predicate
def owns_or_made_item(user, item: ActionItem | None) -> bool:
    if item is None or not user.is_authenticated:
        return False
    return user.pk in (item.owner_id, item.created_by_id)


can_manage_plan = is_staff
can_edit_objective = is_staff
can_add_measurement = is_staff | owns_objective_measured_by
can_create_board_report = is_staff
can_create_action_item = is_member
can_edit_action_item = is_staff | owns_or_made_item

rules.add_perm("strategy.manage_plan", can_manage_plan)
rules.add_perm("strategy.add_measurement", can_add_measurement)
rules.add_perm("strategy.edit_action_item", can_edit_action_item)


def indicators_measurable_by(user, indicators) -> set[int]:
    """The ids of those indicators `can_add_measurement` allows, in one query at most: the same
    decision for a page that shows many figures."""
    ids = {indicator.pk for indicator in indicators if indicator.is_manual}
    if not ids or not user.is_authenticated:
        return set()
    if viewer_for(user).is_staff:
        return ids
    owned = ObjectiveIndicator.objects.current().filter(indicator_id__in=ids, objective__owners=user)
    return set(owned.values_list("indicator_id", flat=True))


def plan_get_for_user(user, slug: str) -> Plan:
    return get_object_or_404(Plan.objects.visible_to(user), slug=slug)


def objective_get_for_user(user, public_id) -> Objective:
    return get_object_or_404(Objective.objects.visible_to(user).select_related("plan", "strategy"), public_id=public_id)


def binding_get_for_user(user, public_id) -> ObjectiveIndicator:
    return get_object_or_404(
        ObjectiveIndicator.objects.visible_to(user).select_related("objective", "objective__plan", "indicator"), public_id=public_id
    )


def indicator_get_for_user(user, key: str) -> Indicator:
    """An indicator row: computed ones are public knowledge (what counts); manual ones are seen by
    whoever may see an objective they are bound to, and by staff."""
    indicators = Indicator.objects.all()
    if not viewer_for(user).is_staff:
        indicators = indicators.filter(kind="computed") | indicators.filter(
            pk__in=ObjectiveIndicator.objects.visible_to(user).values("indicator")
        )
    return get_object_or_404(indicators, key=key)


def board_report_get_for_user(user, public_id) -> BoardReport:
    return get_object_or_404(BoardReport.objects.visible_to(user).select_related("plan"), public_id=public_id)


def action_item_get_for_user(user, public_id) -> ActionItem:
    return get_object_or_404(ActionItem.objects.visible_to(user).select_related("owner"), public_id=public_id)
