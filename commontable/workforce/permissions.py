"""Who may do what with workforce records. They follow their investment: whoever may see the
investment sees its goals and hours (members, by the investment's visibility); staff keep goals and
import certified payroll, as they keep the investment register."""

from __future__ import annotations

import rules
from django.shortcuts import get_object_or_404

from commontable.investments.permissions import (
    can_view_investments,
    investment_get_for_user,
    is_staff,
    visible_investments,
)
from commontable.workforce.models import WorkforceGoal

can_view_workforce = can_view_investments
can_edit_workforce = is_staff

rules.add_perm("workforce.edit_workforce", can_edit_workforce)

__all__ = [
    "can_edit_workforce",
    "can_view_workforce",
    "goal_get_for_user",
    "investment_get_for_user",
    "visible_investments",
]


def goal_get_for_user(user, public_id) -> WorkforceGoal:
    """A goal on an investment the user may see; any other answers 404."""
    return get_object_or_404(WorkforceGoal.objects.visible_to(user).select_related("investment"), public_id=public_id)
