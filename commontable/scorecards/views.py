"""Scorecard pages: rubrics, sessions, the scoring form and a session's results.

The scoring form works without JavaScript: one POST saves a draft or submits; a refused answer
re-shows the form with what was typed and every problem, nothing written. Scorers reach it signed
in (members) or through their invitation link (community scorers, no account needed).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from commontable.core import ratelimit
from commontable.core.charts import goal_actual_svg
from commontable.core.exports import csv_response
from commontable.core.http import add_service_error, bound_data, form_status, require
from commontable.core.models import LinkedTranslation, TranslationStatus
from commontable.core.pdf import pdf_response, render_pdf
from commontable.core.translations import translated, translation_review, translation_save
from commontable.core.visibility import viewer_for
from commontable.scorecards import outline, permissions, selectors, services
from commontable.scorecards.choices import SCALE_OPTIONS, ScorerGroup, SessionStatus, SubmissionStatus
from commontable.scorecards.forms import CodesForm, InvitationForm, OutlineForm, RubricForm, SessionForm
from commontable.scorecards.models import (
    Rubric,
    Score,
    ScorerInvitation,
    ScoringSession,
    SessionAsk,
    Submission,
    WeightProposal,
)

GET_POST = require_http_methods(["GET", "POST"])


@require_safe
def rubric_list(request: HttpRequest) -> HttpResponse:
    """The rubrics, with their current version: public (they are the coalition's published criteria)."""
    rubrics = list(selectors.rubric_list())
    words = translated(rubrics, get_language() or "en")
    return render(request, "scorecards/rubric_list.html", {
        "rubrics": [(rubric, words[rubric.pk]) for rubric in rubrics],
        "can_manage": permissions.can_manage_scorecards.test(request.user),
    })


@require_safe
def rubric_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A rubric's current version: themes with weights, criteria with their scales, in the reader's language."""
    rubric = get_object_or_404(Rubric, slug=slug)
    version = selectors.version_current(rubric)
    content = _content(version, rubric.source_language) if version else []
    return render(request, "scorecards/rubric_detail.html", {
        "rubric": rubric, "words": translated([rubric], get_language() or "en")[rubric.pk], "version": version,
        "content": content, "versions": rubric.versions.order_by("-number"),
        "can_manage": permissions.can_manage_scorecards.test(request.user),
    })


def _content(version, source: str) -> list[dict]:
    """Themes and criteria of a version with their words in the reader's language."""
    return selectors.version_words(version, get_language() or "en", source)


@require_safe
def session_list(request: HttpRequest) -> HttpResponse:
    sessions = (permissions.visible_sessions(request.user).select_related("version__rubric", "investment")
                .order_by("-created_at")[:200])
    return render(request, "scorecards/session_list.html", {
        "sessions": sessions, "can_manage": permissions.can_manage_scorecards.test(request.user),
    })


@require_safe
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
    if not request.user.is_authenticated and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        # The language they were invited in, unless they chose another on this site.
        translation.activate(invitation.language)
        request.LANGUAGE_CODE = invitation.language
    scorer = services.Scorer(invitation=invitation, group=invitation.group, language=invitation.language)
    return _score_page(request, invitation.session, scorer, action_url=request.path)


def _results_context(request: HttpRequest, session) -> dict:
    """What the results page and its PDF show, in the reader's language."""
    found = selectors.session_results(session)
    language = get_language() or "en"
    source = session.version.rubric.source_language
    criteria = [c for t in found.themes for c in t.criteria.all()]
    theme_words = translated(found.themes, language, source=source)
    criterion_words = translated(criteria, language, source=source)
    can_manage = permissions.can_manage_scorecards.test(request.user)
    comments = selectors.session_comments(session) if can_manage else {}
    rows = []
    for theme in found.themes:
        rows.append({
            "theme": theme, "words": theme_words[theme.pk], "score": found.overall.themes.get(theme.pk),
            "criteria": [{"criterion": c, "words": criterion_words[c.pk], "result": found.overall.criteria[c.pk],
                          "counts": [(option.label, found.overall.criteria[c.pk].distribution.get(option.value, 0))
                                     for option in SCALE_OPTIONS[c.scale]]} for c in theme.criteria.all()],
            "comments": [(criterion_words[cid].text["question"], text) for cid, text in comments.get(theme.pk, ([], 0))[0]],
            "comments_total": comments.get(theme.pk, ([], 0))[1],
        })
    chart = goal_actual_svg(
        [(row["words"].text["name"], row["score"], None) for row in rows], maximum=100, id_prefix="themes",
        title=_("Score per theme"), description=_("Each theme's weighted score, from 0 to 100; the table gives the same numbers."),
    ) if any(row["score"] is not None for row in rows) else ""
    return {
        "session": session, "results": found.overall, "rows": rows, "chart": chart,
        "groups": [(ScorerGroup(g.group).label, g,
                    [g.results.themes.get(t.pk) if g.results else None for t in found.themes]) for g in found.groups],
        "can_manage": can_manage,
    }


@require_safe
def session_results(request: HttpRequest, public_id) -> HttpResponse:
    """Results: staff always; others once staff publish them (no scorer is ever named; comments
    are for staff)."""
    session = permissions.session_get_for_user(request.user, public_id)
    if not permissions.can_see_results.test(request.user, session):
        raise PermissionDenied
    return render(request, "scorecards/session_results.html", _results_context(request, session))


@require_safe
def session_results_pdf(request: HttpRequest, public_id) -> HttpResponse:
    """The results as a PDF report, in the reader's language, for whoever may see them."""
    session = permissions.session_get_for_user(request.user, public_id)
    if not permissions.can_see_results.test(request.user, session):
        raise PermissionDenied
    pdf = render_pdf("scorecards/session_results_pdf.html", _results_context(request, session), request=request)
    return pdf_response(pdf, f"scorecard-results-{timezone.localdate().isoformat()}.pdf")


# --- staff: sessions, invitations, codes ------------------------------------------------------


@login_required
@GET_POST
def session_create(request: HttpRequest) -> HttpResponse:
    """Staff: a scoring session for a proposal with a published rubric."""
    require(permissions.can_manage_scorecards, request.user)
    form = SessionForm(bound_data(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.session_create(
                actor=request.user, version=data["version"], investment=data["investment"], title=data["title"],
                visibility=data["visibility"], visibility_table=data.get("visibility_table"),
                public_link=data["public_link"], codes_required=data["codes_required"])
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The session is ready: open it when scorers may start."))
            return redirect("scorecards:session_detail", public_id=session.public_id)
    return render(request, "scorecards/session_create.html", {"form": form}, status=form_status(form))


STATUS_ACTIONS = {
    "open": lambda actor, session: services.session_open(actor=actor, session=session),
    "close": lambda actor, session: services.session_close(actor=actor, session=session),
    "publish": lambda actor, session: services.session_results_publish(actor=actor, session=session, public=True),
    "withdraw": lambda actor, session: services.session_results_publish(actor=actor, session=session, public=False),
}


@login_required
@require_POST
def session_status(request: HttpRequest, public_id) -> HttpResponse:
    """Staff: open or close a session, publish its results or take them back."""
    session = permissions.session_get_for_user(request.user, public_id)
    require(permissions.can_manage_scorecards, request.user)
    action = STATUS_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("Unknown action."))
        return redirect("scorecards:session_detail", public_id=session.public_id)
    try:
        action(request.user, session)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Done."))
    return redirect("scorecards:session_detail", public_id=session.public_id)


@login_required
@GET_POST
def invitation_create(request: HttpRequest, public_id) -> HttpResponse:
    """Staff: invite a community scorer (their own link, group and language)."""
    session = permissions.session_get_for_user(request.user, public_id)
    require(permissions.can_manage_scorecards, request.user)
    form = InvitationForm(bound_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(actor=request.user, session=session, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Invited. Send them their link from the session's page."))
            return redirect("scorecards:session_detail", public_id=session.public_id)
    return render(request, "scorecards/invitation_create.html", {"form": form, "session": session},
                  status=form_status(form))


@login_required
@GET_POST
def codes_create(request: HttpRequest, public_id) -> HttpResponse:
    """Staff: one-time codes for the public link, shown once (only their hashes are kept)."""
    session = permissions.session_get_for_user(request.user, public_id)
    require(permissions.can_manage_scorecards, request.user)
    form = CodesForm(bound_data(request))
    codes: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.access_codes_create(actor=request.user, session=session, count=form.cleaned_data["count"])
        except ValidationError as exc:
            add_service_error(form, exc)
    response = render(request, "scorecards/codes_create.html", {"form": form, "session": session, "codes": codes},
                      status=form_status(form))
    add_never_cache_headers(response)
    return response


# --- the public link ---------------------------------------------------------------------------

PUBLIC_LIMIT = 30  # answers and code attempts per address and 10 minutes
PUBLIC_WINDOW = 600


@GET_POST
def public_score(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone with the session's link scores it, once per browser, or once per one-time code when
    the session asks for codes. Posts are rate-limited per address."""
    session = (ScoringSession.objects.select_related("version__rubric", "investment")
               .filter(public_token=token, public_link=True).first())
    if session is None:
        raise Http404
    if request.method == "POST" and not ratelimit.allow("scorecards.public", ratelimit.client_key(request),
                                                        limit=PUBLIC_LIMIT, per_seconds=PUBLIC_WINDOW):
        return render(request, "scorecards/public_slow_down.html", {"session": session}, status=429)
    marker = f"scorecards:{session.pk}"
    if session.codes_required:
        code_id = request.session.get(f"{marker}:code")
        code = session.codes.filter(pk=code_id).first() if code_id else None
        if code is None:
            return _code_page(request, session, marker)
        scorer = services.Scorer(access_code=code, language=get_language() or "en")
    else:
        key = request.session.get(f"{marker}:key")
        if not key:
            key = request.session[f"{marker}:key"] = secrets.token_urlsafe(24)
        scorer = services.Scorer(public_key=key, language=get_language() or "en")
    return _score_page(request, session, scorer, action_url=request.path)


def _code_page(request: HttpRequest, session, marker: str) -> HttpResponse:
    """Ask for a one-time code. A code is one scorer's key: it opens their one submission (to
    start, or to change it until the session closes), never a second one."""
    error = ""
    if request.method == "POST" and "code" in request.POST:
        code = services.access_code_find(session, request.POST.get("code", ""))
        if code is not None:
            request.session[f"{marker}:code"] = code.pk
            return redirect(request.path)
        error = _("That code is not valid for this session.")
    return render(request, "scorecards/public_code.html", {"session": session, "error": error},
                  status=400 if error else 200)


# --- weighting round ---------------------------------------------------------------------------


def _weights_from(post, prefix: str, themes) -> dict[int, str]:
    return {t.pk: post.get(f"{prefix}-{t.pk}", "").strip() for t in themes}


@login_required
@GET_POST
def rubric_weights(request: HttpRequest, slug: str) -> HttpResponse:
    """A weighting round on a rubric's current version: members propose a weight per theme and see
    the median and range of all proposals; staff adopt final weights into a new version."""
    rubric = get_object_or_404(Rubric, slug=slug)
    version = selectors.version_current(rubric)
    if version is None:
        raise Http404
    user = request.user
    if not permissions.is_member.test(user):
        raise PermissionDenied
    can_adopt = permissions.can_manage_scorecards.test(user)
    themes = list(version.themes.order_by("position"))
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        adopting = request.POST.get("action") == "adopt"
        if adopting and not can_adopt:
            raise PermissionDenied
        weights = _weights_from(request.POST, "adopt" if adopting else "w", themes)
        try:
            if adopting:
                adopted = services.weights_adopt(actor=user, version=version, weights=weights,
                                                 note=request.POST.get("note", "").strip())
                messages.success(request, _("Weights adopted: version %(n)s is now the current one.") % {"n": adopted.number})
            else:
                services.weights_propose(actor=user, version=version, weights=weights)
                messages.success(request, _("Your proposal is saved."))
        except ValidationError as exc:
            errors, status = exc.messages, 400
        else:
            return redirect("scorecards:rubric_weights", slug=rubric.slug)
    mine = WeightProposal.objects.filter(version=version, user=user).first()
    words = translated(themes, get_language() or "en", source=rubric.source_language)
    rows = [{"summary": summary, "name": words[summary.theme.pk].text["name"],
             "mine": (mine.weights.get(str(summary.theme.pk)) if mine else "") if not errors else
             request.POST.get(f"w-{summary.theme.pk}", ""),
             "adopt": round(summary.median) if summary.median is not None else summary.theme.weight}
            for summary in selectors.weight_round(version)]
    return render(request, "scorecards/rubric_weights.html", {
        "rubric": rubric, "version": version, "rows": rows, "errors": errors, "can_adopt": can_adopt,
        "rubric_name": translated([rubric], get_language() or "en")[rubric.pk].text["name"],
    }, status=status)


# --- the asks letter ---------------------------------------------------------------------------

ASKS_SHOWN = 5


@login_required
@GET_POST
def session_asks(request: HttpRequest, public_id) -> HttpResponse:
    """Staff: a letter draft listing the session's weakest criteria as asks to the developer or
    agency, and sending chosen asks on to the investment's campaign asks."""
    session = permissions.session_get_for_user(request.user, public_id)
    require(permissions.can_manage_scorecards, request.user)
    found = selectors.session_results(session)
    criteria = {c.pk: c for t in found.themes for c in t.criteria.all()}
    order = [c.pk for t in found.themes for c in t.criteria.all()]
    weakest = found.overall.weakest(ASKS_SHOWN, order=order)
    words = translated([criteria[r.criterion_id] for r in weakest], get_language() or "en",
                       source=session.version.rubric.source_language)
    sent = set(SessionAsk.objects.filter(session=session).values_list("criterion_id", flat=True))
    errors: list[str] = []
    if request.method == "POST":
        chosen = {str(criteria[r.criterion_id].public_id): request.POST.get(f"ask-{criteria[r.criterion_id].public_id}", "")
                  for r in weakest if request.POST.get(f"send-{criteria[r.criterion_id].public_id}") == "on"}
        try:
            made = services.asks_send(actor=request.user, session=session,
                                      asked_of=request.POST.get("asked_of", ""), asks=chosen)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("%(n)s asks added to the investment's campaign asks.") % {"n": len(made)})
            return redirect("scorecards:session_asks", public_id=session.public_id)
    rows = []
    for r in weakest:
        criterion = criteria[r.criterion_id]
        question = words[criterion.pk].text["question"]
        rows.append({"criterion": criterion, "question": question, "score": r.score, "answers": r.answers,
                     "sent": criterion.pk in sent,
                     "ask": request.POST.get(f"ask-{criterion.public_id}") if errors else
                     _("Commit to doing better on: %(question)s") % {"question": question}})
    return render(request, "scorecards/session_asks.html", {
        "session": session, "rows": rows, "errors": errors, "results": found.overall,
        "asked_of": request.POST.get("asked_of", ""),
    }, status=400 if errors else 200)


@require_safe
def rubric_compare(request: HttpRequest, slug: str) -> HttpResponse:
    """Proposals scored with the same version of a rubric, side by side: the sessions the reader
    may see whose results they may see (staff: all; others: published ones)."""
    rubric = get_object_or_404(Rubric, slug=slug)
    versions = list(rubric.versions.exclude(status="draft").order_by("-number"))
    wanted = request.GET.get("version", "")
    version = next((v for v in versions if str(v.number) == wanted), None) or (versions[0] if versions else None)
    if version is None:
        raise Http404
    sessions = permissions.visible_sessions(request.user).filter(version=version).select_related("investment")
    if not permissions.can_manage_scorecards.test(request.user):
        sessions = sessions.filter(results_public=True)
    found = selectors.version_comparison(version, sessions.order_by("-created_at")[:50])
    words = translated(found.themes, get_language() or "en", source=rubric.source_language)
    return render(request, "scorecards/rubric_compare.html", {
        "rubric": rubric, "version": version, "versions": versions,
        "rubric_name": translated([rubric], get_language() or "en")[rubric.pk].text["name"],
        "themes": [(t, words[t.pk].text["name"]) for t in found.themes],
        "rows": [(session, results, [results.themes.get(t.pk) for t in found.themes]) for session, results in found.sessions],
    })


# --- staff: writing rubrics --------------------------------------------------------------------


def _outline_errors(form, exc) -> None:
    form.add_error("outline", list(getattr(exc, "problems", None) or exc.messages))


@login_required
@GET_POST
def rubric_create(request: HttpRequest) -> HttpResponse:
    """Staff: a new rubric written as an outline; it starts as a draft version to review and publish."""
    require(permissions.can_manage_scorecards, request.user)
    form = RubricForm(bound_data(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            themes = outline.parse(data["outline"])
            if Rubric.objects.filter(slug=data["slug"]).exists():
                form.add_error("slug", _("Another rubric has this short name."))
            else:
                rubric = services.rubric_create(actor=request.user, name=data["name"], slug=data["slug"],
                                                purpose=data["purpose"], source_language=data["source_language"],
                                                themes=themes)
                messages.success(request, _("The rubric is saved as a draft: review it, then publish it."))
                return redirect("scorecards:version_edit", slug=rubric.slug, number=1)
        except outline.OutlineError as exc:
            _outline_errors(form, exc)
        except ValidationError as exc:
            _outline_errors(form, exc)
    return render(request, "scorecards/rubric_create.html", {"form": form}, status=form_status(form))


@login_required
@GET_POST
def version_edit(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """Staff: a version's outline. A draft is edited and published; a published version only
    shows, and a new draft can be made from it."""
    rubric = get_object_or_404(Rubric, slug=slug)
    version = get_object_or_404(rubric.versions, number=number)
    require(permissions.can_manage_scorecards, request.user)
    action = request.POST.get("action", "save")
    form = OutlineForm(bound_data(request) if action == "save" else None,
                       initial={"outline": outline.write(selectors.version_content(version))})
    if request.method == "POST":
        try:
            if action == "new_draft":
                draft = services.version_new_draft(actor=request.user, version=version,
                                                   note=request.POST.get("note", "").strip())
                return redirect("scorecards:version_edit", slug=rubric.slug, number=draft.number)
            if action == "publish":
                services.version_publish(actor=request.user, version=version)
                messages.success(request, _("Published: new sessions use this version."))
                return redirect("scorecards:rubric_detail", slug=rubric.slug)
            if form.is_valid():
                services.version_content_replace(actor=request.user, version=version,
                                                 themes=outline.parse(form.cleaned_data["outline"]))
                messages.success(request, _("Saved."))
                return redirect("scorecards:version_edit", slug=rubric.slug, number=version.number)
        except outline.OutlineError as exc:
            _outline_errors(form, exc)
        except ValidationError as exc:
            if form.is_bound:
                _outline_errors(form, exc)
            else:
                messages.error(request, " ".join(exc.messages))
                return redirect("scorecards:version_edit", slug=rubric.slug, number=version.number)
    return render(request, "scorecards/version_edit.html", {"rubric": rubric, "version": version, "form": form},
                  status=400 if form.is_bound and form.errors else 200)


# --- staff: translations -----------------------------------------------------------------------


@login_required
@GET_POST
def version_translations(request: HttpRequest, slug: str, number: int, language: str) -> HttpResponse:
    """Staff: a version's words in one language beside the source's: each translation records the
    words it was made from (outdated after they change) and can be marked reviewed."""
    rubric = get_object_or_404(Rubric, slug=slug)
    version = get_object_or_404(rubric.versions, number=number)
    require(permissions.can_manage_scorecards, request.user)
    if language not in dict(settings.LANGUAGES) or language == rubric.source_language:
        raise Http404
    themes = selectors.version_content(version)
    records = [("r", rubric)] + [(f"t{t.pk}", t) for t in themes] + [(f"c{c.pk}", c) for t in themes for c in t.criteria.all()]
    errors: list[str] = []
    if request.method == "POST":
        review = request.POST.get("review") == "on"
        try:
            with transaction.atomic():
                for key, obj in records:
                    fields = {name: request.POST.get(f"{key}-{name}", "") for name in obj.translatable_fields}
                    if not any(value.strip() for value in fields.values()):
                        continue
                    saved = translation_save(actor=request.user, obj=obj, language=language, fields=fields,
                                             source=rubric.source_language,
                                             status=TranslationStatus.DRAFT)
                    if review:
                        translation_review(actor=request.user, translation=saved)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Translations saved."))
            return redirect("scorecards:version_translations", slug=slug, number=number, language=language)
    rows = []
    for key, obj in records:
        words = translated([obj], language, source=rubric.source_language)[obj.pk]
        rows.append({"key": key, "obj": obj, "words": words, "fields": [
            {"name": name, "label": type(obj)._meta.get_field(name).verbose_name, "source": getattr(obj, name),
             "value": request.POST.get(f"{key}-{name}", "") if errors else ("" if words.missing else words.text[name]),
             "long": name in ("purpose", "description", "guidance")}
            for name in obj.translatable_fields]})
    return render(request, "scorecards/version_translations.html", {
        "rubric": rubric, "version": version, "language": language, "rows": rows, "errors": errors,
        "language_name": dict(settings.LANGUAGES)[language],
        "reviewed": LinkedTranslation.objects.filter(language=language, status=TranslationStatus.REVIEWED).count(),
    }, status=400 if errors else 200)


@login_required
@require_safe
def session_comments_csv(request: HttpRequest, public_id) -> HttpResponse:
    """Staff: every comment of the submitted scorecards, by theme and question, without names."""
    session = permissions.session_get_for_user(request.user, public_id)
    require(permissions.can_manage_scorecards, request.user)
    themes = selectors.version_content(session.version)
    names = {t.pk: t.name for t in themes}
    questions = {c.pk: c.question for t in themes for c in t.criteria.all()}
    rows = ((names.get(theme_id, ""), questions.get(criterion_id, ""), comment)
            for theme_id, criterion_id, comment in selectors.session_comment_rows(session).iterator())
    return csv_response(f"scorecard-comments-{session.public_id}.csv", [_("Theme"), _("Question"), _("Comment")], rows)
