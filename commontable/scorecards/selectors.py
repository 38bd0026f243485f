"""Reads for scorecards: rubrics and versions with their content, sessions a user may see, and a
session's results (in a fixed number of queries whatever the number of scorers)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Window
from django.db.models.functions import RowNumber

from commontable.core.translations import translated
from commontable.scorecards import results as compute
from commontable.scorecards.choices import (
    SCALE_OPTIONS,
    ScorerGroup,
    SubmissionStatus,
    VersionStatus,
    scale_top,
)
from commontable.scorecards.models import (
    Criterion,
    Rubric,
    RubricVersion,
    Score,
    ScoringSession,
    Submission,
    Theme,
    WeightProposal,
)


def rubric_list():
    return Rubric.objects.order_by("name")


def version_current(rubric: Rubric) -> RubricVersion | None:
    """The published version new sessions use."""
    return rubric.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()


def version_content(version: RubricVersion) -> list[Theme]:
    """Themes in order, each with `criteria` in order: two queries."""
    return list(version.themes.order_by("position").prefetch_related(
        Prefetch("criteria", queryset=Criterion.objects.order_by("position"))))


def version_words(version: RubricVersion, language: str, source: str) -> list[dict]:
    """Themes and criteria of a version with their words in `language` (the source's where not
    translated) and each criterion's answers: what the rubric page, the scoring form and the API
    show. Four queries (themes, criteria, and their translations when `language` is not the source)."""
    themes = version_content(version)
    theme_words = translated(themes, language, source=source)
    criteria = [c for t in themes for c in t.criteria.all()]
    criterion_words = translated(criteria, language, source=source)
    return [{
        "theme": theme, "words": theme_words[theme.pk],
        "criteria": [{"criterion": c, "words": criterion_words[c.pk], "options": SCALE_OPTIONS[c.scale]}
                     for c in theme.criteria.all()],
    } for theme in themes]


def theme_specs(themes: list[Theme]) -> list[compute.ThemeSpec]:
    return [
        compute.ThemeSpec(theme.pk, theme.weight, tuple(
            compute.CriterionSpec(c.pk, theme.pk, c.weight, scale_top(c.scale),
                                  tuple(option.value for option in SCALE_OPTIONS[c.scale]))
            for c in theme.criteria.all()))
        for theme in themes
    ]


def visible_sessions(user):
    return ScoringSession.objects.visible_to(user)


@dataclass
class SessionResults:
    themes: list[Theme]
    overall: compute.Results
    groups: list[compute.GroupResults]


def _counted_answers(scores, by: str) -> dict:
    """Submitted answers counted per `by` (a Score lookup: the group, the session), criterion and
    value, in one GROUP BY: {by value: {(criterion id, value or None, not applicable): n}}."""
    rows = (scores.filter(submission__status=SubmissionStatus.SUBMITTED)
            .values_list(by, "criterion_id", "value", "not_applicable").annotate(n=Count("id")).order_by())
    counts: dict = {}
    for key, criterion_id, value, not_applicable, n in rows:
        answer = (criterion_id, None if not_applicable else value, bool(not_applicable))
        mine = counts.setdefault(key, {})
        mine[answer] = mine.get(answer, 0) + n
    return counts


def _scorers(submissions, by: str) -> dict:
    """Submitted scorecards counted per `by`."""
    return dict(submissions.filter(status=SubmissionStatus.SUBMITTED).values_list(by).annotate(n=Count("id"))
                .order_by())


def session_results(session: ScoringSession) -> SessionResults:
    """Results of the submitted scorecards of a session: the whole and each scorer group (small
    groups hidden). Four queries whatever the number of scorers: themes, criteria, the answers
    counted per group, criterion and value (a GROUP BY), and the scorers per group."""
    themes = version_content(session.version)
    specs = theme_specs(themes)
    per_group = _counted_answers(Score.objects.filter(submission__session=session), "submission__group")
    whole: dict = {}
    for counts in per_group.values():
        for answer, n in counts.items():
            whole[answer] = whole.get(answer, 0) + n
    scorers = _scorers(Submission.objects.filter(session=session), "group")
    groups = list(ScorerGroup.values)
    return SessionResults(themes=themes, overall=compute.compute_counts(specs, whole, sum(scorers.values())),
                          groups=compute.by_group_counts(specs, per_group, scorers, groups))


@dataclass
class ThemeWeights:
    theme: Theme
    proposals: int
    median: float | None
    low: float | None  # the lowest and highest proposed
    high: float | None


def weight_round(version: RubricVersion) -> list[ThemeWeights]:
    """Per theme of a version: how many proposed a weight, the median and the range. Two queries."""
    themes = list(version.themes.order_by("position"))
    values: dict[str, list[int]] = {str(t.pk): [] for t in themes}
    for weights in WeightProposal.objects.filter(version=version).values_list("weights", flat=True):
        for key, weight in weights.items():
            if key in values:
                values[key].append(int(weight))
    return [ThemeWeights(t, len(values[str(t.pk)]), statistics.median(values[str(t.pk)]) if values[str(t.pk)] else None,
                         min(values[str(t.pk)], default=None), max(values[str(t.pk)], default=None)) for t in themes]


def session_comment_rows(session: ScoringSession):
    """(theme id, criterion id, comment) of submitted scorecards, in rubric order, without who
    wrote them."""
    return (Score.objects.filter(submission__session=session, submission__status=SubmissionStatus.SUBMITTED)
            .exclude(comment="").order_by("criterion__theme__position", "criterion__position", "pk")
            .values_list("criterion__theme_id", "criterion_id", "comment"))


COMMENTS_SHOWN = 50


def session_comments(session: ScoringSession, *, limit: int = COMMENTS_SHOWN) -> dict[int, tuple[list, int]]:
    """Comments grouped by theme: {theme id: ([(criterion id, comment)], how many in all)}, the
    first `limit` of each theme shown (all of them are in the CSV). Two queries whatever the
    number of themes: the totals, and the first of each theme numbered by a window function."""
    totals = dict(session_comment_rows(session).order_by().values_list("criterion__theme_id")
                  .annotate(n=Count("id")))
    if not totals:
        return {}
    order = [F("criterion__position").asc(), F("pk").asc()]
    shown = (session_comment_rows(session)
             .annotate(row=Window(RowNumber(), partition_by=[F("criterion__theme_id")], order_by=order))
             .filter(row__lte=limit))
    grouped: dict[int, tuple[list, int]] = {theme_id: ([], total) for theme_id, total in totals.items()}
    for theme_id, criterion_id, comment, _row in shown:
        grouped[theme_id][0].append((criterion_id, comment))
    return grouped


@dataclass
class Comparison:
    themes: list[Theme]
    sessions: list[tuple[ScoringSession, compute.Results]]


def version_comparison(version: RubricVersion, sessions) -> Comparison:
    """Theme and overall scores of several sessions scored with the same version, side by side:
    four queries whatever the number of sessions and scorers."""
    sessions = list(sessions)
    themes = version_content(version)
    specs = theme_specs(themes)
    ids = [s.pk for s in sessions]
    counts = _counted_answers(Score.objects.filter(submission__session_id__in=ids), "submission__session_id")
    scorers = _scorers(Submission.objects.filter(session_id__in=ids), "session_id")
    return Comparison(themes, [(s, compute.compute_counts(specs, counts.get(s.pk, {}), scorers.get(s.pk, 0)))
                               for s in sessions])
