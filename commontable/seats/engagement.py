"""The short standard an agency's engagement is scored against (pure, no ORM).

Five questions, each answered *no* (0), *partly* (1) or *yes* (2), drawn from what the coalition's
members ask of agencies: could people take part in their language, with an interpreter, with the
accommodations they need, at a time and place they could reach, and did what they said visibly
change the decision. The score is the share of the possible points, 0–100; an unanswered question
(not known) is left out of both the points and the possible points, and a process with fewer than
three answers gets no score at all, rather than a score that rests on one answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

TOP = 2
MIN_ANSWERED = 3


@dataclass(frozen=True)
class Question:
    field: str
    label: object
    help: object


STANDARD: tuple[Question, ...] = (
    Question("language_access", _("Language access"),
             _("Notices and materials in the languages the affected community speaks.")),
    Question("interpretation", _("Interpretation"),
             _("Interpreters at meetings and hearings, offered without having to ask far ahead.")),
    Question("accommodations", _("Accommodations"),
             _("Accessible rooms and materials, childcare, food, transport or stipends.")),
    Question("timing_and_place", _("Timing and place"),
             _("Evenings or weekends, in the neighbourhood, online and in person, with enough notice.")),
    Question("input_changed_decision", _("Input changed the decision"),
             _("The decision visibly changed because of what the community said, and the agency said how.")),
)
FIELDS = tuple(q.field for q in STANDARD)


def score(answers: Mapping[str, int | None]) -> int | None:
    """The share of possible points (0–100, rounded) over the answered questions; None when fewer
    than `MIN_ANSWERED` are answered."""
    given = [answers.get(field) for field in FIELDS]
    known = [value for value in given if value is not None]
    for value in known:
        if not 0 <= value <= TOP:
            raise ValueError(f"answers are 0 to {TOP}")
    if len(known) < MIN_ANSWERED:
        return None
    return round(100 * sum(known) / (TOP * len(known)))
