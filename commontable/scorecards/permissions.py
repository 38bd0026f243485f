"""Who may do what with scorecards. Staff write rubrics, adopt weights and run sessions; members
score sessions they may see while open; anyone sees a session's published results only when staff
publish them, and never another scorer's individual answers (only their own)."""

from __future__ import annotations

import rules
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404

from commontable.core.visibility import viewer_for
from commontable.scorecards.choices import SessionStatus
from commontable.scorecards.models import ScoringSession, Submission


@rules.predicate
def is_staff(user) -> bool:
    return viewer_for(user).is_staff


@rules.predicate
def is_member(user) -> bool:
    return viewer_for(user).is_member


@rules.predicate
def session_is_open(user, session: ScoringSession | None) -> bool:
    return session is not None and session.status == SessionStatus.OPEN


@rules.predicate
def results_are_public(user, session: ScoringSession | None) -> bool:
    return session is not None and session.results_public


can_manage_scorecards = is_staff
can_score_as_member = is_member & session_is_open
can_see_results = is_staff | results_are_public

rules.add_perm("scorecards.manage", can_manage_scorecards)


def visible_sessions(user):
    return ScoringSession.objects.visible_to(user)


def session_get_for_user(user, public_id) -> ScoringSession:
    """A session the user may see, or 404."""
    try:
        return get_object_or_404(visible_sessions(user).select_related("version__rubric", "investment"),
                                 public_id=public_id)
    except (ValueError, ValidationError) as exc:
        raise Http404 from exc


def own_submissions(user):
    """The submissions a signed-in user made: the only individual answers they may read."""
    if not getattr(user, "is_authenticated", False):
        return Submission.objects.none()
    return Submission.objects.filter(user=user)
