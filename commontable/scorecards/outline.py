"""A rubric written as a plain-text outline, as staff would type it from a paper scorecard, and
back. Read by `parse`, written by `write`; the services check the content itself.

    ## Community power in decisions | 20
    How residents shape the decisions.
    - Were residents involved before the main decisions were made? | 0-4
      Look for meetings held early, in the neighbourhood, with interpretation.
    - Is there a binding community benefits agreement? | yes-partly-no | weight 2 | no n/a

A theme starts with "##", then its name and, after "|", its weight (default 1); plain lines after it
describe it. A criterion starts with "-", then its question and, after "|", its answer scale
(0-4, yes-partly-no, yes-no; default 0-4), "weight N" (default 1) and "no n/a" when "not
applicable" is not an allowed answer; indented lines after it are its guidance.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from commontable.scorecards.choices import Scale

SCALE_WORDS = {"0-4": Scale.ZERO_TO_FOUR, "yes-partly-no": Scale.YES_PARTLY_NO, "yes-no": Scale.YES_NO}
SCALE_NAMES = {value: word for word, value in SCALE_WORDS.items()}


class OutlineError(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def parse(text: str) -> list[dict]:
    """Themes with their criteria from an outline; every problem with its line number."""
    themes: list[dict] = []
    problems: list[str] = []
    criterion: dict | None = None
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.rstrip()
        if not line.strip():
            continue
        if line.startswith("##"):
            name, *options = [part.strip() for part in line[2:].split("|")]
            weight: object = 1
            for option in options:
                weight = option
            themes.append({"name": name, "weight": weight, "description": "", "criteria": []})
            criterion = None
            continue
        if line.lstrip().startswith("- ") and not raw.startswith(("  ", "\t")):
            if not themes:
                problems.append(_("Line %(n)s: a question before any theme (start a theme with ##).") % {"n": number})
                continue
            question, *options = [part.strip() for part in line.lstrip()[2:].split("|")]
            criterion = {"question": question, "guidance": "", "scale": Scale.ZERO_TO_FOUR, "weight": 1,
                         "allows_not_applicable": True}
            for option in options:
                lowered = option.lower()
                if lowered in SCALE_WORDS:
                    criterion["scale"] = SCALE_WORDS[lowered]
                elif lowered.startswith("weight"):
                    criterion["weight"] = lowered.removeprefix("weight").strip()
                elif lowered in ("no n/a", "no na"):
                    criterion["allows_not_applicable"] = False
                else:
                    problems.append(_("Line %(n)s: “%(option)s” is not an answer scale (0-4, yes-partly-no, yes-no), "
                                      "a weight or “no n/a”.") % {"n": number, "option": option})
            themes[-1]["criteria"].append(criterion)
            continue
        if raw.startswith(("  ", "\t")) and criterion is not None:
            criterion["guidance"] = (criterion["guidance"] + " " + line.strip()).strip()
            continue
        if themes and not themes[-1]["criteria"]:
            themes[-1]["description"] = (themes[-1]["description"] + " " + line.strip()).strip()
            continue
        problems.append(_("Line %(n)s: start a theme with ## or a question with -.") % {"n": number})
    if problems:
        raise OutlineError(problems)
    return themes


def write(themes) -> str:
    """The outline of a version's themes (each with `criteria`), for editing."""
    lines: list[str] = []
    for theme in themes:
        lines.append(f"## {theme.name} | {theme.weight}")
        if theme.description:
            lines.append(theme.description)
        for c in theme.criteria.all():
            options = [SCALE_NAMES.get(c.scale, "0-4")]
            if c.weight != 1:
                options.append(f"weight {c.weight}")
            if not c.allows_not_applicable:
                options.append("no n/a")
            lines.append(f"- {c.question} | {' | '.join(options)}")
            if c.guidance:
                lines.append(f"  {c.guidance}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
