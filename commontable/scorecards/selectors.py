"""Reads for scorecards: rubrics and versions with their content, sessions a user may see, and a
session's results (in a fixed number of queries whatever the number of scorers)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

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


def session_results(session: ScoringSession) -> SessionResults:
    """Results of the submitted scorecards of a session: the whole and each scorer group (small
    groups hidden). Four queries whatever the number of scorers: themes, criteria, the answers
    counted per group, criterion and value (a GROUP BY), and the scorers per group."""
    from django.db.models import Count

    themes = version_content(session.version)
    specs = theme_specs(themes)
    rows = (Score.objects.filter(submission__session=session, submission__status=SubmissionStatus.SUBMITTED)
            .values_list("submission__group", "criterion_id", "value", "not_applicable")
            .annotate(n=Count("id")).order_by())
    per_group: dict[str, dict] = {}
    whole: dict = {}
    for group, criterion_id, value, not_applicable, n in rows:
        key = (criterion_id, None if not_applicable else value, bool(not_applicable))
        per_group.setdefault(group, {})[key] = per_group.get(group, {}).get(key, 0) + n
        whole[key] = whole.get(key, 0) + n
    scorers = dict(Submission.objects.filter(session=session, status=SubmissionStatus.SUBMITTED)
                   .values_list("group").annotate(n=Count("id")).order_by())
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
    import statistics

    from commontable.scorecards.models import WeightProposal

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
    first `limit` of each theme shown (all of them are in the CSV). Two queries."""
    from django.db.models import Count

    totals = dict(session_comment_rows(session).order_by().values_list("criterion__theme_id")
                  .annotate(n=Count("id")))
    grouped: dict[int, tuple[list, int]] = {}
    for theme_id, total in totals.items():
        shown = list(session_comment_rows(session).filter(criterion__theme_id=theme_id)[:limit])
        grouped[theme_id] = ([(criterion_id, comment) for _t, criterion_id, comment in shown], total)
    return grouped


@dataclass
class Comparison:
    themes: list[Theme]
    sessions: list[tuple[ScoringSession, compute.Results]]


def version_comparison(version: RubricVersion, sessions) -> Comparison:
    """Theme and overall scores of several sessions scored with the same version, side by side:
    four queries whatever the number of sessions and scorers."""
    from django.db.models import Count

    sessions = list(sessions)
    themes = version_content(version)
    specs = theme_specs(themes)
    ids = [s.pk for s in sessions]
    counts: dict[int, dict] = {pk: {} for pk in ids}
    rows = (Score.objects.filter(submission__session_id__in=ids, submission__status=SubmissionStatus.SUBMITTED)
            .values_list("submission__session_id", "criterion_id", "value", "not_applicable")
            .annotate(n=Count("id")).order_by())
    for session_id, criterion_id, value, not_applicable, n in rows:
        key = (criterion_id, None if not_applicable else value, bool(not_applicable))
        counts[session_id][key] = counts[session_id].get(key, 0) + n
    scorers = dict(Submission.objects.filter(session_id__in=ids, status=SubmissionStatus.SUBMITTED)
                   .values_list("session_id").annotate(n=Count("id")).order_by())
    return Comparison(themes, [(s, compute.compute_counts(specs, counts[s.pk], scorers.get(s.pk, 0))) for s in sessions])
