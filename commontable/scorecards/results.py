"""A session's results from its scores: pure functions, no database (the selectors gather rows).

Every answer is put on 0–1 (value / the scale's top) so criteria on different scales weigh
together; "not applicable" answers are counted apart and never as zero.

- A **criterion** gets the count of answers per value (its distribution), the count of "not
  applicable", and its mean.
- A **theme**'s score is the weighted mean of its criteria's means (criterion weights), over the
  criteria that have answers; the **overall** score the weighted mean of the themes' scores (theme
  weights). Scores are shown on 0–100.
- **Dissent** is flagged on a criterion with at least `DISSENT_MIN_ANSWERS` answers when scorers
  disagree strongly, so that it is discussed rather than averaged away:
  - `spread`: the standard deviation of its answers is at least `DISSENT_SPREAD` (on 0–1; two equal
    camps at the ends give 0.5, everyone within one step of 0–4 about 0.1–0.2);
  - `camps`: at least `DISSENT_CAMP_SHARE` of the answers are in the bottom quarter of the scale,
    as many in the top quarter, and fewer in between than in either (two camps with a dip between
    them, whatever the spread says).
- **Groups** (residents, organisations, staff) get the same figures from their own submissions; a
  group of fewer than `GROUP_MIN` scorers is hidden, with complementary suppression
  (`core.suppression`) so that a hidden group's figures cannot be worked out from the others and
  the whole.
- The **weakest criteria** (lowest mean first, ties by position) feed the asks letter.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from commontable.core.suppression import suppress

DISSENT_MIN_ANSWERS = 5
DISSENT_SPREAD = 0.35
DISSENT_CAMP_SHARE = 0.25
GROUP_MIN = 5


@dataclass(frozen=True)
class CriterionSpec:
    id: int
    theme_id: int
    weight: int
    top: int  # the scale's highest value
    values: tuple[int, ...]  # the scale's values, lowest first


@dataclass(frozen=True)
class ThemeSpec:
    id: int
    weight: int
    criteria: tuple[CriterionSpec, ...]


@dataclass(frozen=True)
class Answer:
    submission_id: int
    group: str
    criterion_id: int
    value: int | None
    not_applicable: bool = False


@dataclass
class CriterionResult:
    criterion_id: int
    answers: int = 0
    not_applicable: int = 0
    distribution: dict[int, int] = field(default_factory=dict)
    mean: float | None = None  # 0–1
    spread: float | None = None  # standard deviation, 0–1
    dissent: tuple[str, ...] = ()

    @property
    def score(self) -> float | None:
        return None if self.mean is None else round(100 * self.mean, 1)


@dataclass
class Results:
    scorers: int
    criteria: dict[int, CriterionResult]
    themes: dict[int, float | None]  # 0–100
    overall: float | None  # 0–100

    def weakest(self, limit: int = 5, order: Sequence[int] = ()) -> list[CriterionResult]:
        """The criteria with the lowest mean (answered ones only), ties in rubric order."""
        rank = {cid: i for i, cid in enumerate(order)}
        answered = [r for r in self.criteria.values() if r.mean is not None]
        return sorted(answered, key=lambda r: (r.mean, rank.get(r.criterion_id, 0)))[:limit]


@dataclass
class GroupResults:
    group: str
    scorers: int | None  # None when hidden
    results: Results | None  # None when hidden
    hidden_reason: str = ""


#: answers counted: (criterion id, value or None, not applicable) → how many
Counts = Mapping[tuple[int, int | None, bool], int]


def count_answers(answers: Iterable[Answer]) -> tuple[dict, int]:
    """The counts `compute_counts` takes, and how many scorers gave them."""
    counts: dict[tuple[int, int | None, bool], int] = {}
    scorers: set[int] = set()
    for a in answers:
        key = (a.criterion_id, None if a.not_applicable else a.value, bool(a.not_applicable))
        counts[key] = counts.get(key, 0) + 1
        scorers.add(a.submission_id)
    return counts, len(scorers)


def compute(themes: Sequence[ThemeSpec], answers: Iterable[Answer]) -> Results:
    """The results of these answers (of submitted submissions) for these themes."""
    known = {c.id for t in themes for c in t.criteria}
    counts, scorers = count_answers(a for a in answers if a.criterion_id in known)
    return compute_counts(themes, counts, scorers)


def compute_counts(themes: Sequence[ThemeSpec], counts: Counts, scorers: int) -> Results:
    """The results from answers already counted per criterion and value (as a database's GROUP BY
    gives them): the distribution gives the mean and the spread exactly."""
    specs = {c.id: c for t in themes for c in t.criteria}
    per: dict[int, CriterionResult] = {cid: CriterionResult(cid, distribution=dict.fromkeys(spec.values, 0))
                                       for cid, spec in specs.items()}
    for (cid, value, not_applicable), n in counts.items():
        spec = specs.get(cid)
        if spec is None or n <= 0:
            continue
        result = per[cid]
        if not_applicable:
            result.not_applicable += n
        elif value is not None:
            result.distribution[value] = result.distribution.get(value, 0) + n
    for cid, result in per.items():
        top = specs[cid].top
        n = sum(result.distribution.values())
        result.answers = n
        if not n:
            continue
        total = sum(value / top * k for value, k in result.distribution.items())
        squares = sum((value / top) ** 2 * k for value, k in result.distribution.items())
        low = sum(k for value, k in result.distribution.items() if value / top <= 0.25)
        high = sum(k for value, k in result.distribution.items() if value / top >= 0.75)
        middle = n - low - high
        result.mean = total / n
        result.spread = math.sqrt(max(squares / n - result.mean**2, 0.0))
        if n >= DISSENT_MIN_ANSWERS:
            reasons = []
            if result.spread >= DISSENT_SPREAD:
                reasons.append("spread")
            ends = min(low, high)
            if ends >= DISSENT_CAMP_SHARE * n and middle < ends:
                reasons.append("camps")
            result.dissent = tuple(reasons)
    theme_scores: dict[int, float | None] = {}
    overall_sum = overall_weight = 0.0
    for theme in themes:
        total = weight = 0.0
        for c in theme.criteria:
            mean = per[c.id].mean
            if mean is not None and c.weight > 0:
                total += c.weight * mean
                weight += c.weight
        score = total / weight if weight else None
        theme_scores[theme.id] = None if score is None else round(100 * score, 1)
        if score is not None and theme.weight > 0:
            overall_sum += theme.weight * score
            overall_weight += theme.weight
    overall = round(100 * overall_sum / overall_weight, 1) if overall_weight else None
    return Results(scorers=scorers, criteria=per, themes=theme_scores, overall=overall)


def by_group(themes: Sequence[ThemeSpec], answers: Sequence[Answer], groups: Sequence[str]) -> list[GroupResults]:
    """Each group's results, groups under `GROUP_MIN` scorers hidden (with complementary
    suppression, the whole being published)."""
    known = {c.id for t in themes for c in t.criteria}
    counts, scorers = {}, {}
    for g in groups:
        counts[g], scorers[g] = count_answers(a for a in answers if a.group == g and a.criterion_id in known)
    return by_group_counts(themes, counts, scorers, groups)


def by_group_counts(themes: Sequence[ThemeSpec], counts: Mapping[str, Counts], scorers: Mapping[str, int],
                    groups: Sequence[str]) -> list[GroupResults]:
    """`by_group` from counts per group and the number of scorers in each."""
    cells = suppress({g: scorers.get(g, 0) for g in groups}, k=GROUP_MIN)
    out = []
    for g in groups:
        cell = cells[g]
        if cell.suppressed or not scorers.get(g):
            out.append(GroupResults(g, None if cell.suppressed else 0, None, cell.reason))
            continue
        out.append(GroupResults(g, scorers[g], compute_counts(themes, counts.get(g, {}), scorers[g])))
    return out
