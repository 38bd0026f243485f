"""Who may do what with seats at decision tables.

- Public bodies, their seats and the history of holders are public knowledge (a body staff keep to
  members or staff follows its visibility); anyone may read them, and a signed-in person may watch
  a body they can see.
- Staff keep the register: bodies, seats, terms, imports.
- The leadership pipeline is about people and what they need: staff see and keep it; a leader
  sees their own path; nobody else sees any of it, nor which holders are coalition leaders
  (members see only the roll-up's figures).
- The representation roll-up is for members, its demographic figures suppressed below five people.
- Engagement processes follow their visibility; staff log and edit them.
"""

from __future__ import annotations

import rules
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404

from commontable.core.visibility import viewer_for
from commontable.seats.models import EngagementProcess, Leader, Nomination, PublicBody, Seat


@rules.predicate
def is_staff(user) -> bool:
    return viewer_for(user).is_staff


@rules.predicate
def is_member(user) -> bool:
    return viewer_for(user).is_member


@rules.predicate
def is_signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


can_manage_seats = is_staff
can_manage_pipeline = is_staff
can_see_rollup = is_member
can_see_leader_marks = is_staff
can_log_processes = is_staff
can_watch_bodies = is_signed_in

rules.add_perm("seats.manage", can_manage_seats)


def visible_bodies(user):
    return PublicBody.objects.visible_to(user)


def _get(queryset, **lookup):
    try:
        return get_object_or_404(queryset, **lookup)
    except (ValueError, ValidationError) as exc:
        raise Http404 from exc


def body_get_for_user(user, slug: str) -> PublicBody:
    """A body the user may see, or 404."""
    return _get(visible_bodies(user).select_related("jurisdiction"), slug=slug)


def seat_get_for_user(user, public_id) -> Seat:
    """A seat of a body the user may see, or 404."""
    return _get(Seat.objects.filter(body__in=visible_bodies(user)).select_related("body__jurisdiction"),
                public_id=public_id)


def visible_leaders(user):
    return Leader.objects.visible_to(user)


def leader_get_for_user(user, public_id) -> Leader:
    """A leader's page: staff, or the leader themselves; 404 for everyone else."""
    return _get(visible_leaders(user).select_related("person"), public_id=public_id)


def nomination_get_for_user(user, public_id) -> Nomination:
    """A nomination, for staff only (404 otherwise: who was nominated is not public)."""
    if not can_manage_pipeline(user):
        raise Http404
    return _get(Nomination.objects.select_related("seat__body", "leader__person"), public_id=public_id)


def visible_processes(user):
    return EngagementProcess.objects.visible_to(user)


def process_get_for_user(user, public_id) -> EngagementProcess:
    return _get(visible_processes(user).select_related("body", "investment"), public_id=public_id)
