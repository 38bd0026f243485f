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
from commontable.scorecards.models import Criterion, Rubric, RubricVersion, Score, ScoringSession, Theme


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
    groups hidden). Three queries: themes, criteria, and every submitted answer in one."""
    themes = version_content(session.version)
    specs = theme_specs(themes)
    rows = (Score.objects.filter(submission__session=session, submission__status=SubmissionStatus.SUBMITTED)
            .values_list("submission_id", "submission__group", "criterion_id", "value", "not_applicable"))
    answers = [compute.Answer(*row) for row in rows.iterator(chunk_size=5000)]
    return SessionResults(themes=themes, overall=compute.compute(specs, answers),
                          groups=compute.by_group(specs, answers, list(ScorerGroup.values)))
