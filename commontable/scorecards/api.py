"""The scorecards' JSON API: rubrics (public), sessions you may see, your own scores (read, save,
submit) and a session's results, with the pages' permissions (ADR 6): what you may not see answers
404, what you see but may not do 403, refused answers 422 with every problem, nothing written.
Another scorer's individual answers are never available: only results, and only your own scores.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from ninja import Router, Schema
from ninja.errors import ValidationError as NinjaValidationError

from commontable.accounts.api import api_auth_signed_in
from commontable.core.translations import translated
from commontable.core.visibility import viewer_for
from commontable.directory.api import _forbidden
from commontable.scorecards import permissions, selectors, services
from commontable.scorecards.choices import ScorerGroup
from commontable.scorecards.models import Rubric, Score, Submission

router = Router(tags=["scorecards"])


class CriterionOut(Schema):
    id: uuid.UUID
    question: str
    guidance: str
    scale: str
    answers: list[int]
    allows_not_applicable: bool
    weight: int


class ThemeOut(Schema):
    name: str
    description: str
    weight: int
    criteria: list[CriterionOut]


class RubricOut(Schema):
    slug: str
    name: str
    purpose: str
    version: int | None
    themes: list[ThemeOut] = []


class SessionOut(Schema):
    id: uuid.UUID
    title: str
    status: str
    investment: str
    rubric: str
    version: int


class AnswerSchema(Schema):
    criterion: uuid.UUID
    value: int | None = None
    not_applicable: bool = False
    comment: str = ""


class MyScoresIn(Schema):
    answers: list[AnswerSchema]
    submit: bool = False


class MyScoresOut(Schema):
    status: str
    answers: list[AnswerSchema]


class CriterionResultOut(Schema):
    criterion: uuid.UUID
    score: float | None
    answers: int
    not_applicable: int
    distribution: dict[str, int]
    dissent: list[str]


class GroupOut(Schema):
    group: str
    scorers: int | None
    overall: float | None


class ResultsOut(Schema):
    scorers: int
    overall: float | None
    themes: dict[str, float | None]
    criteria: list[CriterionResultOut]
    groups: list[GroupOut]


def _rubric_out(rubric: Rubric, *, content: bool) -> dict:
    language = get_language() or "en"
    words = translated([rubric], language)[rubric.pk].text
    version = selectors.version_current(rubric)
    out = {"slug": rubric.slug, "name": words["name"], "purpose": words["purpose"],
           "version": version.number if version else None, "themes": []}
    if content and version:
        out["themes"] = [{
            "name": t["words"].text["name"], "description": t["words"].text["description"], "weight": t["theme"].weight,
            "criteria": [{"id": c["criterion"].public_id, "question": c["words"].text["question"],
                          "guidance": c["words"].text["guidance"], "scale": c["criterion"].scale,
                          "answers": [o.value for o in c["options"]],
                          "allows_not_applicable": c["criterion"].allows_not_applicable,
                          "weight": c["criterion"].weight} for c in t["criteria"]],
        } for t in selectors.version_words(version, language, rubric.source_language)]
    return out


@router.get("/scorecard-rubrics", response=list[RubricOut], operation_id="scorecard_rubric_list",
            summary="List scorecard rubrics", description="Every rubric with its current version number (public).")
def rubric_list(request: HttpRequest):
    return [_rubric_out(r, content=False) for r in selectors.rubric_list()]


@router.get("/scorecard-rubrics/{slug}", response=RubricOut, operation_id="scorecard_rubric_get",
            summary="A scorecard rubric", description="A rubric's current version: themes, weights and criteria, in "
            "the caller's language where translated.")
def rubric_get(request: HttpRequest, slug: str):
    return _rubric_out(get_object_or_404(Rubric, slug=slug), content=True)


def _session_out(session) -> dict:
    return {"id": session.public_id, "title": session.title, "status": session.status,
            "investment": session.investment.slug, "rubric": session.version.rubric.slug,
            "version": session.version.number}


@router.get("/scoring-sessions", response=list[SessionOut], operation_id="scoring_session_list",
            summary="List scoring sessions", description="Sessions you may see, newest first (at most 200).")
def session_list(request: HttpRequest):
    sessions = permissions.visible_sessions(request.user).select_related("version__rubric", "investment")
    return [_session_out(s) for s in sessions.order_by("-created_at")[:200]]


@router.get("/scoring-sessions/{public_id}", response=SessionOut, operation_id="scoring_session_get",
            summary="A scoring session")
def session_get(request: HttpRequest, public_id: uuid.UUID):
    return _session_out(permissions.session_get_for_user(request.user, public_id))


def _my_scores(submission: Submission | None) -> dict:
    if submission is None:
        return {"status": "none", "answers": []}
    scores = Score.objects.filter(submission=submission).select_related("criterion")
    return {"status": submission.status, "answers": [
        {"criterion": s.criterion.public_id, "value": s.value, "not_applicable": s.not_applicable, "comment": s.comment}
        for s in scores]}


@router.get("/scoring-sessions/{public_id}/my-scores", auth=api_auth_signed_in, response=MyScoresOut,
            operation_id="scoring_session_my_scores", summary="Your own scores in a session")
def my_scores_get(request: HttpRequest, public_id: uuid.UUID):
    session = permissions.session_get_for_user(request.user, public_id)
    return _my_scores(permissions.own_submissions(request.user).filter(session=session).first())


@router.put("/scoring-sessions/{public_id}/my-scores", auth=api_auth_signed_in, response=MyScoresOut,
            operation_id="scoring_session_my_scores_save", summary="Save or submit your scores",
            description="Every answer at once (the criterion's id, a value on its scale or not applicable, a "
            "comment). `submit` needs every question answered. Changes are allowed until the session closes.")
def my_scores_put(request: HttpRequest, public_id: uuid.UUID, payload: MyScoresIn):
    user = request.user
    session = permissions.session_get_for_user(user, public_id)
    if not permissions.can_score_as_member.test(user, session):
        raise _forbidden()
    group = ScorerGroup.STAFF if viewer_for(user).is_staff else ScorerGroup.ORGANIZATION
    answers = {str(a.criterion): services.AnswerIn(value=a.value, not_applicable=a.not_applicable, comment=a.comment)
               for a in payload.answers}
    try:
        submission = services.submission_save(
            session=session, scorer=services.Scorer(user=user, group=group, language=get_language() or "en"),
            answers=answers, submit=payload.submit, actor=user)
    except DjangoValidationError as exc:
        raise NinjaValidationError([{"type": "invalid", "loc": ["body", "payload", "answers"], "msg": message}
                                    for message in exc.messages]) from None
    return _my_scores(submission)


@router.get("/scoring-sessions/{public_id}/results", response=ResultsOut, operation_id="scoring_session_results",
            summary="A session's results", description="Staff, or anyone who may see the session once its results "
            "are published. Groups under five scorers are hidden; no scorer is named.")
def session_results(request: HttpRequest, public_id: uuid.UUID):
    session = permissions.session_get_for_user(request.user, public_id)
    if not permissions.can_see_results.test(request.user, session):
        raise _forbidden()
    found = selectors.session_results(session)
    ids = {c.pk: c.public_id for t in found.themes for c in t.criteria.all()}
    overall = found.overall
    return {
        "scorers": overall.scorers, "overall": overall.overall,
        "themes": {t.name: overall.themes.get(t.pk) for t in found.themes},
        "criteria": [{"criterion": ids[cid], "score": r.score, "answers": r.answers, "not_applicable": r.not_applicable,
                      "distribution": {str(k): v for k, v in r.distribution.items()}, "dissent": list(r.dissent)}
                     for cid, r in overall.criteria.items()],
        "groups": [{"group": g.group, "scorers": g.scorers, "overall": g.results.overall if g.results else None}
                   for g in found.groups],
    }

