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
from collections.abc import Iterable, Sequence
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


def compute(themes: Sequence[ThemeSpec], answers: Iterable[Answer]) -> Results:
    """The results of these answers (of submitted submissions) for these themes."""
    specs = {c.id: c for t in themes for c in t.criteria}
    sums: dict[int, float] = dict.fromkeys(specs, 0.0)
    squares: dict[int, float] = dict.fromkeys(specs, 0.0)
    per: dict[int, CriterionResult] = {cid: CriterionResult(cid, distribution=dict.fromkeys(spec.values, 0))
                                       for cid, spec in specs.items()}
    low: dict[int, int] = dict.fromkeys(specs, 0)
    high: dict[int, int] = dict.fromkeys(specs, 0)
    middle: dict[int, int] = dict.fromkeys(specs, 0)
    scorers: set[int] = set()
    for answer in answers:
        spec = specs.get(answer.criterion_id)
        if spec is None:
            continue
        scorers.add(answer.submission_id)
        result = per[spec.id]
        if answer.not_applicable:
            result.not_applicable += 1
            continue
        if answer.value is None:
            continue
        v = answer.value / spec.top
        result.answers += 1
        result.distribution[answer.value] = result.distribution.get(answer.value, 0) + 1
        sums[spec.id] += v
        squares[spec.id] += v * v
        if v <= 0.25:
            low[spec.id] += 1
        elif v >= 0.75:
            high[spec.id] += 1
        else:
            middle[spec.id] += 1
    for cid, result in per.items():
        n = result.answers
        if not n:
            continue
        result.mean = sums[cid] / n
        result.spread = math.sqrt(max(squares[cid] / n - result.mean**2, 0.0))
        if n >= DISSENT_MIN_ANSWERS:
            reasons = []
            if result.spread >= DISSENT_SPREAD:
                reasons.append("spread")
            ends = min(low[cid], high[cid])
            if ends >= DISSENT_CAMP_SHARE * n and middle[cid] < ends:
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
    return Results(scorers=len(scorers), criteria=per, themes=theme_scores, overall=overall)


def by_group(themes: Sequence[ThemeSpec], answers: Sequence[Answer], groups: Sequence[str]) -> list[GroupResults]:
    """Each group's results, groups under `GROUP_MIN` scorers hidden (with complementary
    suppression, the whole being published)."""
    members: dict[str, set[int]] = {g: set() for g in groups}
    for answer in answers:
        if answer.group in members:
            members[answer.group].add(answer.submission_id)
    cells = suppress({g: len(ids) for g, ids in members.items()}, k=GROUP_MIN)
    out = []
    for g in groups:
        cell = cells[g]
        if cell.suppressed or not members[g]:
            out.append(GroupResults(g, None if cell.suppressed else 0, None, cell.reason))
            continue
        mine = [a for a in answers if a.group == g]
        out.append(GroupResults(g, len(members[g]), compute(themes, mine)))
    return out
