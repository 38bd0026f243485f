"""The rules of terms on a seat, as pure functions (no ORM), so that they can be tested on every
shape of history (property-based tests in `tests/test_terms.py`).

A term runs from `start` to its scheduled end `ends_on` (none: open-ended, e.g. an ex officio seat
held by whoever holds an office). `left_on` is the last day the holder actually served, when known:
before `ends_on` when they resigned, after it when they served on as a holdover.

**Holdover.** Where a seat's rules say so, a holder whose term has ended keeps serving until
someone replaces them: the term is then *occupied* until the day before the next term starts (or
with no end while nobody has been appointed). Where a seat has no holdover, a term ends on its
scheduled day and the seat is vacant after it.

**One seat, one holder.** Terms of one seat never overlap on the days they are sure to be served
(start to `left_on`, or to `ends_on` when `left_on` is unknown). A holdover never blocks an
appointment: appointing ends it. A new term that begins while an earlier one is still running is
refused as *the seat is full*; one that runs into a later term is refused as *overlapping*.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from commontable.seats.choices import SeatState, TermStatus

DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Span:
    """What the rules need of one term. `id` is None for a term not yet saved."""

    id: int | None
    start: dt.date
    ends_on: dt.date | None = None
    left_on: dt.date | None = None
    holder: str = ""


@dataclass(frozen=True)
class Problem:
    """Why a term cannot be recorded: a code for tests and the API, the field it is about and the
    term it runs into (when it is another term)."""

    code: str  # "ends_before_start" | "left_before_start" | "seat_full" | "overlap"
    field: str
    other: Span | None = None


def hard_end(span: Span) -> dt.date | None:
    """The last day the term is sure to be served; None when it has no end."""
    return span.left_on if span.left_on is not None else span.ends_on


def occupied_until(span: Span, next_start: dt.date | None, holdover_allowed: bool) -> dt.date | None:
    """The last day someone holds the seat by this term; None while it has no end (an open-ended
    term, or a holdover that nobody has replaced yet)."""
    if span.left_on is not None:
        return span.left_on
    if span.ends_on is None:
        return None
    if not holdover_allowed:
        return span.ends_on
    if next_start is None:
        return None
    return max(span.ends_on, next_start - DAY)


def occupancy(spans: Iterable[Span], holdover_allowed: bool) -> dict[int | None, dt.date | None]:
    """`occupied_until` of every term of one seat (terms in any order; they must not overlap)."""
    ordered = sorted(spans, key=lambda s: (s.start, s.id or 0))
    result: dict[int | None, dt.date | None] = {}
    for index, span in enumerate(ordered):
        following = ordered[index + 1].start if index + 1 < len(ordered) else None
        result[span.id] = occupied_until(span, following, holdover_allowed)
    return result


def fills_vacancy(spans: Iterable[Span], until: dict[int | None, dt.date | None]) -> dict[int | None, bool]:
    """Whether each term started on a seat that was vacant the day before: the first term on
    record, or one after a gap. A term that replaces a holdover or follows on the next day fills
    no vacancy."""
    ordered = sorted(spans, key=lambda s: (s.start, s.id or 0))
    result: dict[int | None, bool] = {}
    for index, span in enumerate(ordered):
        if index == 0:
            result[span.id] = True
            continue
        previous_until = until[ordered[index - 1].id]
        result[span.id] = previous_until is not None and previous_until < span.start - DAY
    return result


def status(span: Span, today: dt.date, until: dt.date | None) -> str:
    """Where one term stands on `today`, given its `occupied_until`."""
    if span.start > today:
        return TermStatus.UPCOMING
    if until is not None and until < today:
        return TermStatus.ENDED
    if span.ends_on is not None and span.ends_on < today:
        return TermStatus.HOLDOVER
    return TermStatus.SERVING


def seat_state(spans: Sequence[Span], today: dt.date, holdover_allowed: bool) -> tuple[str, Span | None]:
    """Whether the seat is held, held by a holdover, or vacant on `today`, and by which term."""
    until = occupancy(spans, holdover_allowed)
    for span in spans:
        term_status = status(span, today, until[span.id])
        if term_status == TermStatus.SERVING:
            return SeatState.HELD, span
        if term_status == TermStatus.HOLDOVER:
            return SeatState.HOLDOVER, span
    return SeatState.VACANT, None


def _overlaps(a: Span, b: Span) -> bool:
    a_end, b_end = hard_end(a), hard_end(b)
    return (b_end is None or a.start <= b_end) and (a_end is None or b.start <= a_end)


def check(existing: Iterable[Span], new: Span) -> list[Problem]:
    """Everything that stops `new` from being recorded among the seat's other terms (`existing`
    may include `new`'s own saved version, which is skipped)."""
    problems: list[Problem] = []
    if new.ends_on is not None and new.ends_on < new.start:
        problems.append(Problem("ends_before_start", "ends_on"))
    if new.left_on is not None and new.left_on < new.start:
        problems.append(Problem("left_before_start", "left_on"))
    if problems:
        return problems
    for other in sorted(existing, key=lambda s: (s.start, s.id or 0)):
        if new.id is not None and other.id == new.id:
            continue
        if _overlaps(other, new):
            code = "seat_full" if other.start <= new.start else "overlap"
            problems.append(Problem(code, "starts_on" if code == "seat_full" else "ends_on", other))
    return problems
