"""Writes for scorecards: rubrics and versions, sessions, invitations and codes, submissions.

Every write is checked first and applied in one transaction, all or nothing, and audited
(`scorecards.<entity>.<verb-ed>`). A refused write raises `ValidationError` with messages in the
user's language and leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from commontable.core.audit import log_action
from commontable.core.translations import translations_copy, translations_delete
from commontable.core.visibility import Visibility
from commontable.scorecards.choices import (
    Scale,
    ScorerGroup,
    SessionStatus,
    SubmissionStatus,
    VersionStatus,
    scale_values,
)
from commontable.scorecards.models import (
    MAX_WEIGHT,
    AccessCode,
    Criterion,
    Rubric,
    RubricVersion,
    Score,
    ScorerInvitation,
    ScoringSession,
    Submission,
    Theme,
    WeightProposal,
)

MAX_THEMES = 20
MAX_CRITERIA = 100
MAX_COMMENT = 2000


# --- rubrics and versions ----------------------------------------------------------------------


def _check_weight(value, label: str) -> int:
    try:
        weight = int(value)
    except (TypeError, ValueError):
        raise ValidationError(_("%(what)s: the weight must be a whole number from 0 to %(max)s.")
                              % {"what": label, "max": MAX_WEIGHT}) from None
    if not 0 <= weight <= MAX_WEIGHT:
        raise ValidationError(_("%(what)s: the weight must be a whole number from 0 to %(max)s.")
                              % {"what": label, "max": MAX_WEIGHT})
    return weight


def _check_content(themes: Sequence[Mapping]) -> list[dict]:
    """The themes and criteria as given, checked: every problem at once."""
    problems: list[str] = []
    checked: list[dict] = []
    if not themes:
        problems.append(_("A rubric needs at least one theme."))
    if len(themes) > MAX_THEMES:
        problems.append(_("At most %(n)s themes.") % {"n": MAX_THEMES})
    count = 0
    for t, theme in enumerate(themes, start=1):
        name = str(theme.get("name") or "").strip()
        label = name or _("Theme %(n)s") % {"n": t}
        if not name:
            problems.append(_("Theme %(n)s has no name.") % {"n": t})
        try:
            weight = _check_weight(theme.get("weight", 1), label)
        except ValidationError as error:
            problems.extend(error.messages)
            weight = 0
        criteria = []
        if not theme.get("criteria"):
            problems.append(_("%(theme)s has no criterion.") % {"theme": label})
        for c, criterion in enumerate(theme.get("criteria") or [], start=1):
            count += 1
            question = str(criterion.get("question") or "").strip()
            clabel = f"{label} · {c}"
            if not question:
                problems.append(_("%(where)s: the question is empty.") % {"where": clabel})
            elif len(question) > 500:
                problems.append(_("%(where)s: the question is longer than 500 characters.") % {"where": clabel})
            scale = criterion.get("scale", Scale.ZERO_TO_FOUR)
            if scale not in Scale.values:
                problems.append(_("%(where)s: unknown answer scale.") % {"where": clabel})
            try:
                cweight = _check_weight(criterion.get("weight", 1), clabel)
            except ValidationError as error:
                problems.extend(error.messages)
                cweight = 0
            criteria.append({"question": question, "guidance": str(criterion.get("guidance") or "").strip(),
                             "scale": scale, "weight": cweight,
                             "allows_not_applicable": bool(criterion.get("allows_not_applicable", True))})
        checked.append({"name": name, "description": str(theme.get("description") or "").strip(), "weight": weight,
                        "criteria": criteria})
    if count > MAX_CRITERIA:
        problems.append(_("At most %(n)s criteria.") % {"n": MAX_CRITERIA})
    if problems:
        raise ValidationError(problems)
    return checked


def _write_content(version: RubricVersion, themes: list[dict]) -> None:
    for t, theme in enumerate(themes, start=1):
        row = Theme.objects.create(version=version, position=t, name=theme["name"][:200],
                                   description=theme["description"], weight=theme["weight"])
        Criterion.objects.bulk_create([
            Criterion(theme=row, position=c, question=criterion["question"], guidance=criterion["guidance"],
                      scale=criterion["scale"], weight=criterion["weight"],
                      allows_not_applicable=criterion["allows_not_applicable"])
            for c, criterion in enumerate(theme["criteria"], start=1)
        ])


def rubric_create(*, actor, name: str, slug: str, themes: Sequence[Mapping], purpose: str = "",
                  source_language: str = "en") -> Rubric:
    """A new rubric with its first version (a draft) holding these themes and criteria."""
    content = _check_content(themes)
    rubric = Rubric(name=(name or "").strip()[:200], slug=slug, purpose=purpose, source_language=source_language)
    rubric.full_clean()
    with transaction.atomic():
        rubric.save()
        version = RubricVersion.objects.create(rubric=rubric, number=1)
        _write_content(version, content)
        log_action(rubric, "scorecards.rubric.created", actor=actor, data={"themes": len(content)})
    return rubric


def _require_draft(version: RubricVersion) -> None:
    if version.is_published:
        raise ValidationError(_("A published version never changes: make a new version to edit it."))


def version_content_replace(*, actor, version: RubricVersion, themes: Sequence[Mapping]) -> RubricVersion:
    """Replace a draft version's themes and criteria."""
    _require_draft(version)
    content = _check_content(themes)
    with transaction.atomic():
        locked = RubricVersion.objects.select_for_update().get(pk=version.pk)
        _require_draft(locked)
        old_themes = list(Theme.objects.filter(version=locked).values_list("pk", flat=True))
        old_criteria = list(Criterion.objects.filter(theme__version=locked).values_list("pk", flat=True))
        Theme.objects.filter(version=locked).delete()
        translations_delete(Theme, old_themes)
        translations_delete(Criterion, old_criteria)
        _write_content(locked, content)
        log_action(locked, "scorecards.version.edited", actor=actor, data={"themes": len(content)})
    return locked


def criterion_update(*, actor, criterion: Criterion, **fields) -> Criterion:
    """Change a criterion of a draft version; new words make its translations outdated."""
    allowed = {"question", "guidance", "scale", "weight", "allows_not_applicable"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    _require_draft(criterion.theme.version)
    if "weight" in fields:
        fields["weight"] = _check_weight(fields["weight"], criterion.question)
    if "scale" in fields and fields["scale"] not in Scale.values:
        raise ValidationError(_("Unknown answer scale."))
    words_changed = any(k in fields and fields[k] != getattr(criterion, k) for k in ("question", "guidance"))
    for key, value in fields.items():
        setattr(criterion, key, value)
    if words_changed:
        criterion.revision += 1
    criterion.full_clean(exclude=["theme"])
    with transaction.atomic():
        criterion.save()
        log_action(criterion.theme.version, "scorecards.criterion.edited", actor=actor,
                   data={"criterion": str(criterion.public_id), "fields": sorted(fields)})
    return criterion


def version_publish(*, actor, version: RubricVersion) -> RubricVersion:
    """Publish a draft: from now on it never changes and sessions may use it. The version it was
    based on (if published) is retired: new sessions take the new one."""
    with transaction.atomic():
        locked = RubricVersion.objects.select_for_update().get(pk=version.pk)
        _require_draft(locked)
        if not Criterion.objects.filter(theme__version=locked).exists():
            raise ValidationError(_("A version without criteria cannot be published."))
        locked.status = VersionStatus.PUBLISHED
        locked.published_at = timezone.now()
        locked.published_by = actor if getattr(actor, "pk", None) else None
        locked.save()
        RubricVersion.objects.filter(rubric=locked.rubric, status=VersionStatus.PUBLISHED).exclude(pk=locked.pk).update(
            status=VersionStatus.RETIRED)
        log_action(locked, "scorecards.version.published", actor=actor, data={"number": locked.number})
    return locked


def _copy_version(source: RubricVersion, *, note: str, theme_weights: Mapping[int, int] | None = None) -> RubricVersion:
    number = (RubricVersion.objects.filter(rubric=source.rubric).aggregate(n=Max("number"))["n"] or 0) + 1
    copy = RubricVersion.objects.create(rubric=source.rubric, number=number, based_on=source, change_note=note)
    theme_pairs, criterion_pairs = [], []
    for theme in source.themes.prefetch_related("criteria"):
        weight = theme.weight if theme_weights is None else theme_weights[theme.pk]
        new_theme = Theme.objects.create(version=copy, position=theme.position, name=theme.name,
                                         description=theme.description, weight=weight, revision=theme.revision)
        theme_pairs.append((theme, new_theme))
        for c in theme.criteria.all():
            new_criterion = Criterion.objects.create(
                theme=new_theme, position=c.position, question=c.question, guidance=c.guidance, scale=c.scale,
                weight=c.weight, allows_not_applicable=c.allows_not_applicable, revision=c.revision)
            criterion_pairs.append((c, new_criterion))
    # The copies keep their originals' words and revisions, so their translations stay current.
    translations_copy(theme_pairs)
    translations_copy(criterion_pairs)
    return copy


def version_new_draft(*, actor, version: RubricVersion, note: str = "") -> RubricVersion:
    """A new draft version copied from this one, to edit."""
    with transaction.atomic():
        copy = _copy_version(version, note=note)
        log_action(copy, "scorecards.version.drafted", actor=actor, data={"from": version.number})
    return copy


def weights_adopt(*, actor, version: RubricVersion, weights: Mapping[int, object], note: str = "") -> RubricVersion:
    """Staff adopt final theme weights (by theme id) after a weighting round: a new version,
    published at once, recording who decided and when. Sessions already scored keep theirs."""
    themes = {t.pk: t for t in version.themes.all()}
    problems = []
    if set(weights) != set(themes):
        problems.append(_("Give a weight for every theme of the version, and only for them."))
    checked: dict[int, int] = {}
    for pk, value in weights.items():
        try:
            checked[pk] = _check_weight(value, themes[pk].name if pk in themes else str(pk))
        except ValidationError as error:
            problems.extend(error.messages)
    if not problems and not any(checked.values()):
        problems.append(_("At least one theme needs a weight above zero."))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        copy = _copy_version(version, note=note or _("Weights adopted after a weighting round."), theme_weights=checked)
        copy.weights_decided_at = timezone.now()
        copy.weights_decided_by = actor if getattr(actor, "pk", None) else None
        copy.save()
        version_publish(actor=actor, version=copy)
        log_action(copy, "scorecards.version.weights-adopted", actor=actor,
                   data={"weights": {themes[pk].name: w for pk, w in checked.items()}})
    copy.refresh_from_db()
    return copy


# --- sessions ----------------------------------------------------------------------------------


def session_create(*, actor, version: RubricVersion, investment, title: str, visibility: str = Visibility.MEMBERS,
                   visibility_table=None, public_link: bool = False, codes_required: bool = False) -> ScoringSession:
    """A scoring session for one proposal with one published version, being prepared."""
    if version.status != VersionStatus.PUBLISHED:
        raise ValidationError(_("Score with a published version of the rubric."))
    session = ScoringSession(version=version, investment=investment, title=(title or "").strip()[:200],
                             visibility=visibility, visibility_table=visibility_table, public_link=public_link,
                             codes_required=codes_required,
                             created_by=actor if getattr(actor, "pk", None) else None)
    session.full_clean()
    with transaction.atomic():
        session.save()
        log_action(session, "scorecards.session.created", actor=actor, data={"version": version.number})
    return session


def _set_status(session: ScoringSession, status: str, allowed_from: set[str], *, actor, action: str) -> ScoringSession:
    with transaction.atomic():
        locked = ScoringSession.objects.select_for_update().get(pk=session.pk)
        if locked.status not in allowed_from:
            raise ValidationError(_("This session is %(status)s.") % {"status": locked.get_status_display().lower()})
        locked.status = status
        if status == SessionStatus.OPEN:
            locked.opened_at = timezone.now()
        else:
            locked.closed_at = timezone.now()
        locked.save()
        log_action(locked, action, actor=actor)
    return locked


def session_open(*, actor, session: ScoringSession) -> ScoringSession:
    return _set_status(session, SessionStatus.OPEN, {SessionStatus.DRAFT}, actor=actor, action="scorecards.session.opened")


def session_close(*, actor, session: ScoringSession) -> ScoringSession:
    """No score can be given or changed after this."""
    return _set_status(session, SessionStatus.CLOSED, {SessionStatus.OPEN}, actor=actor,
                       action="scorecards.session.closed")


def invitation_create(*, actor, session: ScoringSession, name: str, group: str = ScorerGroup.RESIDENT,
                      language: str = "en", person=None) -> ScorerInvitation:
    """Invite a community scorer: their own link, in their language, one submission."""
    invitation = ScorerInvitation(session=session, name=(name or "").strip()[:200], group=group, language=language,
                                  person=person)
    invitation.full_clean()
    with transaction.atomic():
        invitation.save()
        log_action(session, "scorecards.invitation.created", actor=actor, data={"group": group, "language": language})
    return invitation


def _code_hash(session: ScoringSession, code: str) -> str:
    return hashlib.sha256(f"{session.public_token}:{code.strip().upper()}".encode()).hexdigest()


CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed on phones


def access_codes_create(*, actor, session: ScoringSession, count: int) -> list[str]:
    """One-time codes for the public link (shown once; only their hashes are kept)."""
    if not 1 <= count <= 5000:
        raise ValidationError(_("Make between 1 and 5,000 codes at a time."))
    codes = ["".join(secrets.choice(CODE_ALPHABET) for _i in range(8)) for _n in range(count)]
    with transaction.atomic():
        AccessCode.objects.bulk_create([AccessCode(session=session, code_hash=_code_hash(session, c)) for c in codes])
        log_action(session, "scorecards.codes.created", actor=actor, data={"count": count})
    return codes


def access_code_find(session: ScoringSession, code: str) -> AccessCode | None:
    return AccessCode.objects.filter(session=session, code_hash=_code_hash(session, code or "")).first()


# --- submissions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scorer:
    """Who is scoring: exactly one of user, invitation, access code or public key."""

    user: object = None
    invitation: ScorerInvitation | None = None
    access_code: AccessCode | None = None
    public_key: str = ""
    group: str = ScorerGroup.RESIDENT
    language: str = "en"

    def lookup(self) -> dict:
        if self.user is not None:
            return {"user": self.user}
        if self.invitation is not None:
            return {"invitation": self.invitation}
        if self.access_code is not None:
            return {"access_code": self.access_code}
        return {"public_key": self.public_key}


@dataclass(frozen=True)
class AnswerIn:
    value: object = None  # a scale value, or None for no answer yet
    not_applicable: bool = False
    comment: str = ""


def _check_answers(session: ScoringSession, answers: Mapping[str, AnswerIn], *, submit: bool) -> list[dict]:
    criteria = {str(c.public_id): c for c in Criterion.objects.filter(theme__version_id=session.version_id)}
    problems: list[str] = []
    rows = []
    unknown = [key for key in answers if key not in criteria]
    if unknown:
        problems.append(_("Some answers are for questions that are not in this scorecard; reload the form."))
    for key, criterion in criteria.items():
        answer = answers.get(key, AnswerIn())
        value = answer.value
        if value in ("", None):
            value = None
        else:
            try:
                value = int(str(value).strip())
            except ValueError:
                value = -1
            if value not in scale_values(criterion.scale):
                problems.append(_("“%(question)s”: choose one of the answers offered.") % {"question": criterion.question})
                continue
        if answer.not_applicable and not criterion.allows_not_applicable:
            problems.append(_("“%(question)s” cannot be answered “not applicable”.") % {"question": criterion.question})
            continue
        if answer.not_applicable and value is not None:
            problems.append(_("“%(question)s”: give a score or “not applicable”, not both.") % {"question": criterion.question})
            continue
        comment = str(answer.comment or "").strip()
        if len(comment) > MAX_COMMENT:
            problems.append(_("“%(question)s”: the comment is longer than %(n)s characters.")
                            % {"question": criterion.question, "n": MAX_COMMENT})
            continue
        if submit and value is None and not answer.not_applicable:
            problems.append(_("“%(question)s” has no answer yet.") % {"question": criterion.question})
            continue
        rows.append({"criterion": criterion, "value": value, "not_applicable": bool(answer.not_applicable),
                     "comment": comment})
    if problems:
        raise ValidationError(problems)
    return rows


def submission_save(*, session: ScoringSession, scorer: Scorer, answers: Mapping[str, AnswerIn], submit: bool = False,
                    actor=None) -> Submission:
    """Save a scorer's answers (keyed by criterion public id) as a draft, or submit them. One
    submission per scorer; changes allowed until the session closes. A submitted scorecard stays
    submitted: changing it needs every question answered again. All or nothing."""
    lookup = scorer.lookup()
    earlier = Submission.objects.filter(session=session, **lookup).only("status").first() if any(lookup.values()) else None
    submit = submit or (earlier is not None and earlier.status == SubmissionStatus.SUBMITTED)
    rows = _check_answers(session, answers, submit=submit)
    with transaction.atomic():
        locked = ScoringSession.objects.select_for_update().get(pk=session.pk)
        if locked.status != SessionStatus.OPEN:
            raise ValidationError(_("This session is not open for scoring."))
        if scorer.invitation is not None and scorer.invitation.session_id != locked.pk:
            raise ValidationError(_("This invitation is for another session."))
        if scorer.access_code is not None and scorer.access_code.session_id != locked.pk:
            raise ValidationError(_("This code is for another session."))
        if not any(lookup.values()):
            raise ValidationError(_("We could not tell who is scoring; open your link again."))
        submission = Submission.objects.filter(session=locked, **lookup).first()
        created = submission is None
        if created:
            submission = Submission(session=locked, group=scorer.group, language=scorer.language, **lookup)
            try:
                with transaction.atomic():
                    submission.save()
            except IntegrityError:
                raise ValidationError(_("You have already scored this proposal.")) from None
        Score.objects.filter(submission=submission).delete()
        Score.objects.bulk_create([Score(submission=submission, **row) for row in rows
                                   if row["value"] is not None or row["not_applicable"] or row["comment"]])
        if submit:
            submission.status = SubmissionStatus.SUBMITTED
            submission.submitted_at = timezone.now()
        submission.language = scorer.language or submission.language
        submission.save()
        log_action(submission, "scorecards.submission.submitted" if submit else "scorecards.submission.saved",
                   actor=actor, data={"answers": len(rows), "session": str(locked.public_id)})
    return submission


def session_results_publish(*, actor, session: ScoringSession, public: bool) -> ScoringSession:
    """Publish a session's results (to everyone who may see the session) or take them back."""
    with transaction.atomic():
        locked = ScoringSession.objects.select_for_update().get(pk=session.pk)
        locked.results_public = public
        locked.save(update_fields=["results_public", "updated_at"])
        log_action(locked, "scorecards.session.results-published" if public else "scorecards.session.results-withdrawn",
                   actor=actor)
    return locked


def weights_propose(*, actor, version: RubricVersion, weights: Mapping[int, object]) -> WeightProposal:
    """A member proposes a weight for every theme of a published version (their earlier proposal
    is replaced)."""
    if version.status != VersionStatus.PUBLISHED:
        raise ValidationError(_("Weights are proposed for the current published version."))
    themes = {t.pk: t for t in version.themes.all()}
    problems = []
    if set(weights) != set(themes):
        problems.append(_("Give a weight for every theme of the version, and only for them."))
    checked = {}
    for pk, value in weights.items():
        try:
            checked[str(pk)] = _check_weight(value, themes[pk].name if pk in themes else str(pk))
        except ValidationError as error:
            problems.extend(error.messages)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        proposal, _created = WeightProposal.objects.update_or_create(version=version, user=actor,
                                                                     defaults={"weights": checked})
        log_action(version, "scorecards.weights.proposed", actor=actor, data={"weights": checked})
    return proposal


def asks_send(*, actor, session: ScoringSession, asked_of: str, asks: Mapping[str, str],
              visibility: str = Visibility.MEMBERS) -> list:
    """Send chosen asks from a session's letter (criterion public id → what is asked) on to the
    investment's campaign asks, one per criterion, all or nothing. A criterion sent before is
    refused (its ask exists already)."""
    from commontable.investments.services import ask_create
    from commontable.scorecards.models import SessionAsk

    criteria = {str(c.public_id): c for c in Criterion.objects.filter(theme__version_id=session.version_id)}
    problems = []
    if not asks:
        problems.append(_("Choose at least one ask to send."))
    unknown = [key for key in asks if key not in criteria]
    if unknown:
        problems.append(_("Some asks are for questions that are not in this scorecard; reload the page."))
    sent = set(SessionAsk.objects.filter(session=session).values_list("criterion__public_id", flat=True))
    if any(key in {str(s) for s in sent} for key in asks):
        problems.append(_("Some of these asks were sent already."))
    if any(not str(text or "").strip() for text in asks.values()):
        problems.append(_("Say what is asked for each ask chosen."))
    if problems:
        raise ValidationError(problems)
    made = []
    with transaction.atomic():
        for key, text in asks.items():
            item = ask_create(actor=actor, investment=session.investment, asked_of=asked_of, ask=str(text).strip(),
                              visibility=visibility)
            SessionAsk.objects.create(session=session, criterion=criteria[key], ask=item)
            made.append(item)
        log_action(session, "scorecards.asks.sent", actor=actor, data={"asks": len(made)})
    return made
