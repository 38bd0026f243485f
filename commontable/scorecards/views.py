"""Scorecard pages: rubrics, sessions, the scoring form and a session's results.

The scoring form works without JavaScript: one POST saves a draft or submits; a refused answer
re-shows the form with what was typed and every problem, nothing written. Scorers reach it signed
in (members) or through their invitation link (community scorers, no account needed).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from commontable.core.translations import translated
from commontable.core.visibility import viewer_for
from commontable.scorecards import permissions, selectors, services
from commontable.scorecards.choices import SCALE_OPTIONS, ScorerGroup, SessionStatus, SubmissionStatus
from commontable.scorecards.models import Rubric, Score, ScorerInvitation, Submission

GET_POST = require_http_methods(["GET", "POST"])


@require_GET
def rubric_list(request: HttpRequest) -> HttpResponse:
    """The rubrics, with their current version: public (they are the coalition's published criteria)."""
    rubrics = list(selectors.rubric_list())
    words = translated(rubrics, get_language() or "en")
    return render(request, "scorecards/rubric_list.html", {
        "rubrics": [(rubric, words[rubric.pk]) for rubric in rubrics],
    })


@require_GET
def rubric_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A rubric's current version: themes with weights, criteria with their scales, in the reader's language."""
    rubric = get_object_or_404(Rubric, slug=slug)
    version = selectors.version_current(rubric)
    content = _content(version, rubric.source_language) if version else []
    return render(request, "scorecards/rubric_detail.html", {
        "rubric": rubric, "words": translated([rubric], get_language() or "en")[rubric.pk], "version": version,
        "content": content, "versions": rubric.versions.order_by("-number"),
    })


def _content(version, source: str) -> list[dict]:
    """Themes and criteria of a version with their words in the reader's language."""
    themes = selectors.version_content(version)
    language = get_language() or "en"
    theme_words = translated(themes, language, source=source)
    criteria = [c for t in themes for c in t.criteria.all()]
    criterion_words = translated(criteria, language, source=source)
    return [{
        "theme": theme, "words": theme_words[theme.pk],
        "criteria": [{"criterion": c, "words": criterion_words[c.pk], "options": SCALE_OPTIONS[c.scale]}
                     for c in theme.criteria.all()],
    } for theme in themes]


@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    sessions = (permissions.visible_sessions(request.user).select_related("version__rubric", "investment")
                .order_by("-created_at")[:200])
    return render(request, "scorecards/session_list.html", {
        "sessions": sessions, "can_manage": permissions.can_manage_scorecards.test(request.user),
    })


@require_GET
def session_detail(request: HttpRequest, public_id) -> HttpResponse:
    session = permissions.session_get_for_user(request.user, public_id)
    mine = permissions.own_submissions(request.user).filter(session=session).first()
    return render(request, "scorecards/session_detail.html", {
        "session": session, "mine": mine,
        "can_score": permissions.can_score_as_member.test(request.user, session),
        "can_manage": permissions.can_manage_scorecards.test(request.user),
        "can_see_results": permissions.can_see_results.test(request.user, session),
        "invitations": session.invitations.order_by("name") if permissions.can_manage_scorecards.test(request.user) else [],
    })


def _answers_from(post) -> dict[str, services.AnswerIn]:
    answers = {}
    for key in post:
        if key.startswith(("c-", "na-", "comment-")):
            criterion = key.split("-", 1)[1]
            answers[criterion] = services.AnswerIn(
                value=post.get(f"c-{criterion}") or None, not_applicable=post.get(f"na-{criterion}") == "on",
                comment=post.get(f"comment-{criterion}", ""))
    return answers


def _score_page(request: HttpRequest, session, scorer: services.Scorer, *, action_url: str) -> HttpResponse:
    """The scoring form (GET) and its answers (POST) for one scorer."""
    if session.status != SessionStatus.OPEN:
        return render(request, "scorecards/session_closed.html", {"session": session}, status=409)
    lookup = scorer.lookup()
    submission = Submission.objects.filter(session=session, **lookup).first()
    errors: list[str] = []
    given: dict[str, dict] = {}
    status = 200
    if request.method == "POST":
        answers = _answers_from(request.POST)
        submit = request.POST.get("action") == "submit"
        try:
            submission = services.submission_save(session=session, scorer=scorer, answers=answers, submit=submit,
                                                  actor=request.user if request.user.is_authenticated else None)
        except ValidationError as error:
            errors, status = error.messages, 400
            given = {key: {"value": "" if a.value is None else str(a.value), "na": a.not_applicable, "comment": a.comment}
                     for key, a in answers.items()}
        else:
            return redirect(f"{action_url}?saved={'submitted' if submit else 'draft'}")
    if not given and submission is not None:
        for score in Score.objects.filter(submission=submission).select_related("criterion"):
            given[str(score.criterion.public_id)] = {"value": "" if score.value is None else str(score.value),
                                                     "na": score.not_applicable, "comment": score.comment}
    content = _content(session.version, session.version.rubric.source_language)
    for theme in content:
        for item in theme["criteria"]:
            item["given"] = given.get(str(item["criterion"].public_id), {})
    return render(request, "scorecards/session_score.html", {
        "session": session, "content": content, "errors": errors, "submission": submission,
        "saved": request.GET.get("saved", ""), "action_url": action_url,
        "submitted": submission is not None and submission.status == SubmissionStatus.SUBMITTED,
    }, status=status)


@login_required
@GET_POST
def session_score(request: HttpRequest, public_id) -> HttpResponse:
    """A member scores a session they may see while it is open."""
    session = permissions.session_get_for_user(request.user, public_id)
    if not permissions.can_score_as_member.test(request.user, session):
        if session.status != SessionStatus.OPEN:
            return render(request, "scorecards/session_closed.html", {"session": session}, status=409)
        raise PermissionDenied
    viewer = viewer_for(request.user)
    group = ScorerGroup.STAFF if viewer.is_staff else ScorerGroup.ORGANIZATION
    scorer = services.Scorer(user=request.user, group=group, language=get_language() or "en")
    return _score_page(request, session, scorer, action_url=request.path)


@GET_POST
def invitation_score(request: HttpRequest, token: str) -> HttpResponse:
    """An invited community scorer's own link: no account, their group and language."""
    invitation = ScorerInvitation.objects.select_related("session__version__rubric", "session__investment").filter(
        token=token).first()
    if invitation is None:
        raise Http404
    scorer = services.Scorer(invitation=invitation, group=invitation.group, language=invitation.language)
    return _score_page(request, invitation.session, scorer, action_url=request.path)


@require_GET
def session_results(request: HttpRequest, public_id) -> HttpResponse:
    """Results: staff always; others once staff publish them (no scorer is ever named)."""
    session = permissions.session_get_for_user(request.user, public_id)
    if not permissions.can_see_results.test(request.user, session):
        raise PermissionDenied
    found = selectors.session_results(session)
    language = get_language() or "en"
    source = session.version.rubric.source_language
    criteria = [c for t in found.themes for c in t.criteria.all()]
    theme_words = translated(found.themes, language, source=source)
    criterion_words = translated(criteria, language, source=source)
    rows = []
    for theme in found.themes:
        rows.append({
            "theme": theme, "words": theme_words[theme.pk], "score": found.overall.themes.get(theme.pk),
            "criteria": [{"criterion": c, "words": criterion_words[c.pk], "result": found.overall.criteria[c.pk],
                          "counts": [(option.label, found.overall.criteria[c.pk].distribution.get(option.value, 0))
                                     for option in SCALE_OPTIONS[c.scale]]} for c in theme.criteria.all()],
        })
    return render(request, "scorecards/session_results.html", {
        "session": session, "results": found.overall, "rows": rows,
        "groups": [(ScorerGroup(g.group).label, g) for g in found.groups],
        "can_manage": permissions.can_manage_scorecards.test(request.user),
    })
