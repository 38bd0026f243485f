"""Reads a coalition's strategic plan from the plain text that a PDF or word-processor export leaves
behind: mission, vision, values, and numbered strategies with their numbered objectives.

Coordinators rarely have the plan in any structured form; they have a PDF. Its text export carries
running headers on every page, page numbers, wrapped lines, ligatures and soft hyphens, so the parser
is built around heuristics (each commented where it is used) rather than a strict grammar, and it
reports *every* problem it finds with its line number, in words a coordinator can act on, instead of
stopping at the first. Pure Python: no ORM, no database; the importer service turns the result into
records. `tests/plans/` holds the shapes of document it is known to read.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from commontable.strategy.plan_text import (  # noqa: F401  (PlanProblem and PlanParseError are re-exported)
    _BREAKS,
    _CLEAN,
    _JOINERS_AT_END,
    _PAGE_TOKEN,
    _PERIOD,
    _TOC_TAIL,
    BLANK,
    BULLET,
    DASHES,
    HEADER,
    ITEM,
    MAX_DESCRIPTION,
    MAX_LINE,
    MAX_MISSION,
    MAX_NAME,
    MAX_OBJECTIVE,
    MAX_PROBLEMS,
    MAX_TITLE,
    MAX_VISION,
    PAGE,
    SECTION,
    SKIP,
    STRATEGY,
    TEXT,
    PlanParseError,
    PlanProblem,
    _classify,
    _decode,
    _ends_sentence,
    _fail,
    _fix_caps,
    _header_like,
    _heading_like,
    _join,
    _key,
    _Line,
    _name_like,
    _say,
    _split_value,
    heading_language,
    more_problems,
)


@dataclass(frozen=True)
class ParsedValue:
    name: str
    description: str
    line: int


@dataclass(frozen=True)
class ParsedObjective:
    number: str
    position: int
    text: str
    line: int


@dataclass(frozen=True)
class ParsedStrategy:
    number: int
    title: str
    description: str
    objectives: tuple[ParsedObjective, ...]
    line: int


@dataclass(frozen=True)
class ParsedPlan:
    title: str
    period_start_year: int | None
    period_end_year: int | None
    mission: str
    vision: str
    values: tuple[ParsedValue, ...]
    strategies: tuple[ParsedStrategy, ...]
    warnings: tuple[PlanProblem, ...]
    # The language its headings are written in ("en", "es", "so", "hmn"), or "" when none tells.
    language: str = ""


@dataclass
class _Section:
    kind: str  # title, mission, vision, values, overview, strategy
    line: _Line | None = None
    rest: str = ""
    number: int = 0
    keyword: str = ""
    body: list[_Line] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.keyword} {self.number}"


def parse_plan(data: bytes | str) -> ParsedPlan:
    """Read a plan document; raise PlanParseError listing every problem if it cannot be imported."""
    return _Parser(_decode(data)).parse()


def decode_document(data: bytes | str) -> str:
    """The document's text as the parser reads it (so the stored copy matches what was parsed)."""
    return _decode(data)


class _Parser:
    """One reading of one document: its lines, then the problems found on the way."""

    def __init__(self, text: str):
        self.errors: list[PlanProblem] = []
        self.uncounted = 0
        self.warnings: list[PlanProblem] = []
        self.carried = 0  # the last objective number of the strategy before, when numbered 1, 2, 3…
        self.lines = self._split(text)

    def error(self, line: int | None, key: str, **params) -> None:
        self.uncounted += len(self.errors) >= MAX_PROBLEMS
        if len(self.errors) < MAX_PROBLEMS:
            self.errors.append(PlanProblem(line, _say(key, **params)))

    def warn(self, line: int | None, key: str, **params) -> None:
        self.warnings.append(PlanProblem(line, _say(key, **params)))

    def _split(self, text: str) -> list[_Line]:
        lines = []
        text = text.translate(_CLEAN).replace("\r\n", "\n").replace("\r", "\n")
        page_break = False
        for no, physical in enumerate(text.split("\n"), start=1):
            if len(physical) > MAX_LINE:
                self.error(no, "long-line", count=len(physical), limit=MAX_LINE)
                physical = physical[:MAX_LINE]
            pieces = _BREAKS.split(physical)
            for index in range(0, len(pieces), 2):
                raw = pieces[index]
                page_break = page_break or (index > 0 and pieces[index - 1] == "\f")
                if len(pieces) > 1 and not raw.strip():
                    continue  # "\fHeader" starts a page; the empty piece before it is no blank line
                soft = raw.rstrip().endswith("\u00ad")  # kept at the end, so that joining drops it
                clean = " ".join(raw.replace("\u00ad", "").split())
                line = _Line(no, clean + ("\u00ad" if soft and clean else ""), page_break)
                page_break = False
                if toc := _TOC_TAIL.search(raw):
                    line.toc_head = " ".join(raw[: toc.start()].replace("\u00ad", "").split())
                _classify(line)
                lines.append(line)
        return lines

    def _mark_headers(self) -> None:
        """Running headers and footers ("Strategic Plan", "2023-2026", the coalition's name) are short
        lines that repeat. Some lines repeat for other reasons (a short wrapped fragment, a value named
        twice), so a repeated line counts as page furniture only if it is not in lower case and not a
        sentence, stands on its own (after a blank line, a page break or other furniture), and either
        repeats 3+ times, or appears in two parts of the plan, or sits at the edge of a page."""
        lines, part, parts = self.lines, 0, []
        for line in lines:
            part += line.kind in (SECTION, STRATEGY)
            parts.append(part)
        if starts := [i for i, line in enumerate(lines) if line.page_break]:
            for start, end in zip([0, *starts], [*starts, len(lines)], strict=True):
                page = [i for i in range(start, end) if lines[i].kind != BLANK]
                for i in page[:3] + page[-3:]:
                    lines[i].edge = True
        groups: dict[str, list[int]] = defaultdict(list)
        for i, line in enumerate(lines):
            if _header_like(line):
                groups[_PAGE_TOKEN.sub("", _key(line.text)).strip(" |-") or _key(line.text)].append(i)
        # A short strategy title under its heading may also appear in an overview list: keep it.
        protected = set()
        for i, line in enumerate(lines):
            if line.kind == STRATEGY and not line.info[2]:
                after = next((j for j in range(i + 1, len(lines)) if lines[j].kind != BLANK), None)
                if after is not None and lines[after].kind == TEXT and not lines[after].edge:
                    protected.add(after)
        repeated = {i for found in groups.values() if len(found) > 1 for i in found}

        def alone(i: int) -> bool:
            return i == 0 or lines[i].page_break or lines[i - 1].kind in (BLANK, PAGE) or i - 1 in repeated

        for found in groups.values():
            kept = len(found) < 3 and protected.intersection(found)
            if len(found) < 2 or kept or not any(map(alone, found)):
                continue
            if len(found) >= 3 or len({parts[i] for i in found}) > 1 or any(lines[i].edge for i in found):
                for i in found:
                    lines[i].kind = HEADER

    def _sections(self) -> list[_Section]:
        """Cut the document at its headings. A heading seen again (a section continued on the next
        page, an overview heading repeated among the strategies) continues what came before."""
        sections = [_Section("title")]
        by_kind: dict[str, _Section] = {}
        current = sections[0]
        for line in self.lines:
            if line.kind in (PAGE, SKIP, HEADER):
                continue
            if line.kind == SECTION:
                kind, rest = line.info
                if kind == "overview" and any(s.kind == "strategy" for s in sections):
                    continue
                if kind in by_kind:
                    current = by_kind[kind]
                    current.body.append(_Line(line.no, "", kind=BLANK))
                else:
                    current = by_kind[kind] = _Section(kind, line, rest)
                    sections.append(current)
                if rest:
                    current.body.append(_Line(line.no, rest))
                    _classify(current.body[-1])
            elif line.kind == STRATEGY:
                keyword, number, title, continued = line.info
                earlier = next(
                    (s for s in sections[::-1] if s.kind == "strategy" and s.number == number), None
                )
                same = earlier is not None and (
                    not title or not earlier.rest or _key(title) == _key(earlier.rest)
                )
                # "Strategy 2 (continued)", or the heading repeated at the top of the strategy's next page
                if earlier is not None and (continued or (same and current is earlier)):
                    current = earlier
                    current.body.append(_Line(line.no, "", kind=BLANK))
                    continue
                # a list of the strategies' headings before the strategies themselves
                if same and not any(ln.kind == ITEM for ln in earlier.body):
                    sections.remove(earlier)
                    title = title or earlier.rest
                current = _Section("strategy", line, title, number, keyword)
                sections.append(current)
            else:
                current.body.append(line)
        return sections

    def parse(self) -> ParsedPlan:
        if all(line.kind == BLANK for line in self.lines):
            raise _fail("empty")
        self._mark_headers()
        first = next((i for i, line in enumerate(self.lines) if line.kind in (SECTION, STRATEGY)), None)
        cover = self.lines[:first] if first is not None else self.lines[:10]
        start, end = self._period(cover)
        sections = self._sections()
        by_kind = {s.kind: s for s in sections if s.kind != "strategy"}
        summary = [(n, None) for n in range(1, sum(s.kind == "strategy" for s in sections) + 1)]
        for section in (s for s in sections if s.kind in ("title", "overview")):
            items = [line for line in section.body if line.kind == ITEM]
            # "Our Strategies" may list the strategies, numbered 1…n, before setting them out: not objectives.
            if section.kind == "overview" and [line.info[:2] for line in items] == summary:
                continue
            for line in items:
                self.error(line.no, "before-strategy", number=".".join(str(n) for n in line.info[:2] if n))
        mission = self._prose(by_kind.get("mission"), MAX_MISSION, "what-mission")
        vision = self._prose(by_kind.get("vision"), MAX_VISION, "what-vision")
        values = self._values(by_kind.get("values"))
        strategies = self._strategies([s for s in sections if s.kind == "strategy"])
        for found, key in ((mission, "no-mission"), (vision, "no-vision"), (values, "no-values")):
            if not found:
                self.warn(None, key)
        if self.errors:
            found = sorted(self.errors, key=lambda p: (p.line is not None, p.line or 0))
            more = [PlanProblem(None, more_problems(self.uncounted))] if self.uncounted else []
            raise PlanParseError(found + more)
        return ParsedPlan(
            title=self._title(cover), period_start_year=start, period_end_year=end, mission=mission, vision=vision,
            values=tuple(values), strategies=tuple(strategies), warnings=tuple(self.warnings),
            language=self._language(),
        )  # fmt: skip

    def _language(self) -> str:
        """The language most of the recognised headings are written in."""
        votes = Counter(
            heading_language(line.text) for line in self.lines if line.kind in (SECTION, STRATEGY)
        )
        votes.pop(None, None)
        return votes.most_common(1)[0][0] if votes else ""

    def _period(self, cover: list[_Line]) -> tuple[int | None, int | None]:
        """The plan's years, from the cover; failing that, from the first lines (a running header)."""
        for line in [*cover, *self.lines[:40]]:
            if match := _PERIOD.search(line.text):
                start, end = int(match[1]), int(match[2])
                if start > end:
                    self.error(line.no, "period", start=start, end=end)
                return start, end
        return None, None

    def _title(self, cover: list[_Line]) -> str:
        """Best effort: the short lines of the cover up to the period ("The Alliance" + "STRATEGIC
        PLAN" → "The Alliance Strategic Plan"), each said once."""
        parts: list[str] = []
        for line in cover:
            if line.kind == SKIP and parts:
                break
            if line.kind in (BLANK, PAGE, SKIP):
                continue
            period = _PERIOD.search(line.text)
            text = " ".join(_PERIOD.sub(" ", line.text).replace("\u00ad", "").split()).strip(
                f" {DASHES}:|,·•/"
            )
            text = _JOINERS_AT_END.sub("", text)  # "Plan for 2023 to 2027" → "Plan", not "Plan for"
            if text and (len(text) > 80 or _ends_sentence(text) or line.kind not in (TEXT, HEADER)):
                if parts:
                    break
            elif text and _key(text) not in map(_key, parts):
                parts.append(_fix_caps(text))
            if (period and parts) or len(parts) >= 4:
                break
        return " ".join(parts)[:MAX_TITLE]

    def _unknown_heading(self, body: list[_Line], i: int, expected: tuple[int, int] | None = None) -> bool:
        """A heading this parser does not know ("Theory of Change", "Measuring Progress:") is a short
        title-case line standing alone with text under it; that text must not be read as more of the
        mission or of the last objective. Under a strategy, a later objective with the next number
        means the line was an objective's fragment wrapped onto a new page after all."""
        alone = i + 1 == len(body) or body[i + 1].kind == BLANK
        if body[i].kind != TEXT or not alone or not _heading_like(body[i].text):
            return False
        later = body[i + 1 :]
        if expected and any(_continues(line, expected) for line in later):
            return False
        return any(line.kind in (TEXT, ITEM, BULLET) for line in later)

    def _skip(self, body: list[_Line], i: int) -> None:
        last = next(line.no for line in reversed(body) if line.kind != BLANK)
        self.warn(body[i].no, "skipped", heading=body[i].text.rstrip(":"), first=body[i].no, last=last)

    def _too_long(self, line: int | None, text: str, limit: int, what: str) -> None:
        if len(text) > limit:
            self.error(line, "too-long", what=what, count=len(text), limit=limit)

    def _prose(self, section: _Section | None, limit: int, what: str) -> str:
        """Mission or vision: its paragraphs, joined with a blank line."""
        if section is None:
            return ""
        parts: list[tuple[str, bool]] = []
        new_paragraph = True
        for i, line in enumerate(section.body):
            if line.kind == BLANK:
                new_paragraph = True
                continue
            if parts and new_paragraph and self._unknown_heading(section.body, i):
                self._skip(section.body, i)
                break
            # A line longer than any wrapping that ends a sentence was a whole paragraph (exports
            # that write one paragraph a line, with no blank lines between).
            whole = bool(parts) and len(parts[-1][0]) > 150 and _ends_sentence(parts[-1][0])
            parts.append((line.text, new_paragraph or whole or line.kind in (ITEM, BULLET)))
            new_paragraph = False
        text = _join(parts)
        self._too_long(section.line.no if section.line else None, text, limit, _say(what))
        return text

    def _values(self, section: _Section | None) -> list[ParsedValue]:
        """Values as "Name. Description…" paragraphs (possibly wrapped), or names alone, one a line or
        bulleted. A new value starts only at a paragraph, after a finished sentence or after another
        name, so that a wrapped description line is not taken for a name."""
        if section is None:
            return []
        found: list[tuple[int, str, list[tuple[str, bool]]]] = []
        body = section.body
        # "Values: Equity, Courage, and Joy"
        names = [re.sub(r"^(?:and|or|&)\s+", "", n) for n in re.split(r"\s*[,;•·]\s*", section.rest)]
        if section.rest and len(names) > 1 and all(map(_name_like, names)):
            found += [(section.line.no, name, []) for name in names]
            body = body[1:]
        new_paragraph, previous, after_name, inline = True, "", False, True
        for i, line in enumerate(body):
            if line.kind == BLANK:
                new_paragraph = True
                continue
            text = line.text
            boundary = new_paragraph or after_name or _ends_sentence(previous) or previous.endswith(":")
            # Written "Name. Description", a short wrapped line after a full stop is no new name.
            name_boundary = new_paragraph or after_name or (boundary and not (found and inline))
            if line.kind in (ITEM, BULLET):
                text = line.info[2] if line.kind == ITEM else line.info
                split = _split_value(text) or (text, "")
            else:
                split = _split_value(text) if boundary else None
            # After values written "Name. Description", a lone title-case line heads another section.
            if new_paragraph and found and inline and self._unknown_heading(body, i):
                self._skip(body, i)
                break
            if not text:
                continue
            if split or (name_boundary and _name_like(text)):
                name, description = split or (text, "")
                found.append((line.no, name, [(description, False)]))
                after_name = not description
                inline = inline and bool(description)
            elif found:  # the description goes on (an introduction before the first value is dropped)
                found[-1][2].append((text, new_paragraph))
                inline = inline and not new_paragraph
                after_name = False
            new_paragraph, previous = False, text
        values, seen = [], {}
        for no, name, parts in found:
            name = name.replace("\u00ad", "").strip().rstrip(":").strip()
            if (key := _key(name)) in seen:
                self.error(no, "value-twice", name=name, other=seen[key])
                continue
            seen[key] = no
            description = _join(parts)
            self._too_long(no, name, MAX_NAME, _say("what-value-name"))
            self._too_long(no, description, MAX_DESCRIPTION, _say("what-value-description"))
            values.append(ParsedValue(name=name, description=description, line=no))
        return values

    def _strategies(self, sections: list[_Section]) -> list[ParsedStrategy]:
        """Every strategy, numbered 1, 2, 3… under one heading word ("Strategy", "Goal", …)."""
        if not sections:
            self.error(None, "no-strategies")
            return []
        seen: dict[int, int] = {}
        last, first = 0, sections[0]
        strategies = []
        for section in sections:
            no, number = section.line.no, section.number
            if section.keyword.split()[-1] != first.keyword.split()[-1]:
                self.error(no, "keyword", found=section.keyword, expected=first.keyword)
            if number in seen:
                self.error(no, "strategy-twice", strategy=section.label, other=seen[number])
                self._strategy(section)  # still read, to report the problems inside it too
                continue
            self._order(no, number, last, "strategy", lambda n, s=section: f"{s.keyword} {n}")
            seen[number], last = no, max(last, number)
            strategies.append(self._strategy(section))
        return strategies

    def _order(self, no: int, number: int, last: int, kind: str, name, **params) -> None:
        """Numbers go 1, 2, 3…: name the missing ones, or say that this one is out of order."""
        if number == last + 1:
            return
        case = "order" if number <= last else ("one" if number == last + 2 else "many")
        if last == 0 and case != "order":
            case = f"first-{case}"
        words = {
            "this": name(number),
            "previous": name(last),
            "missing": name(last + 1),
            "last": name(number - 1),
        }
        self.error(no, f"{kind}-{case}", **words, **params)

    def _strategy(self, section: _Section) -> ParsedStrategy:
        """Heading, title (on the heading line or the next lines), an optional description, then the
        numbered objectives, each possibly wrapped over lines, blank lines and page breaks."""
        title: list[tuple[str, bool]] = [(section.rest, False)] if section.rest else []
        description: list[tuple[str, bool]] = []
        objectives: list[list] = []  # [line, prefix or None, position, parts]
        # A line right under a heading that carries its title may be the title's wrapped rest.
        title_open, new_paragraph, body = not section.rest, not section.rest, section.body
        bulleted = not any(line.kind == ITEM for line in body)  # then "•" lines are the objectives
        for i, line in enumerate(body):
            if line.kind == BLANK:
                new_paragraph = True
                continue
            expected = (section.number, objectives[-1][2] + 1 if objectives else 1)
            if line.kind == ITEM and not _wrapped_number(line, objectives, expected):
                a, b, text = line.info
                objectives.append([line.no, a if b else None, b or a, [(text, False)]])
            elif line.kind == BULLET and bulleted:
                objectives.append([line.no, None, expected[1], [(line.info, False)]])
            elif objectives:
                if new_paragraph and self._unknown_heading(body, i, expected):
                    self._skip(body, i)
                    break
                objectives[-1][3].append((line.text, new_paragraph))
            elif not title or (
                not new_paragraph and not description and (title_open or line.text[0].islower())
            ):
                title.append((line.text, False))  # the title, or its wrapped rest
            else:
                description.append((line.text, new_paragraph))
            new_paragraph = False
        heading = _join(title, paragraphs=False)
        # A title paragraph that runs on into sentences: the first sentence is the title.
        if match := re.search(r"[.!?]\s+(?=[A-Z“\"])", heading):
            description.insert(0, (heading[match.end() :], True))
            heading = heading[: match.start() + 1]
        heading, text = heading.rstrip(" .:"), _join(description)
        number, label, no = section.number, section.label, section.line.no
        if not heading:
            self.error(no, "no-title", strategy=label)
        self._too_long(no, heading, MAX_TITLE, _say("what-title", strategy=label))
        self._too_long(no, text, MAX_DESCRIPTION, _say("what-description", strategy=label))
        if not objectives:
            self.error(no, "no-objectives", strategy=label, n=number)
        # Objectives numbered on from one strategy to the next (1–6, then 7–13) are read as 1, 2, 3…
        plain = [o for o in objectives if o[1] is None]
        offset = (
            self.carried if plain and plain[0] is objectives[0] and plain[0][2] == self.carried + 1 else 0
        )
        for objective in plain:
            objective[2] -= offset
        self.carried = plain[-1][2] + offset if plain and plain[-1] is objectives[-1] else 0
        parsed, seen, last = [], {}, 0
        for line, prefix, position, parts in objectives:
            canonical = f"{number}.{position}"
            if prefix is not None and prefix != number:
                other = f"{section.keyword} {prefix}"
                self.error(line, "elsewhere", number=f"{prefix}.{position}", strategy=label, other=other)
            elif position in seen:
                self.error(line, "objective-twice", number=canonical, strategy=label, other=seen[position])
            else:
                self._order(line, position, last, "objective", lambda n: f"{number}.{n}", strategy=label)
                seen[position], last = line, max(last, position)
                objective = _join(parts, paragraphs=False)
                if not objective:
                    self.error(line, "no-text", number=canonical)
                self._too_long(line, objective, MAX_OBJECTIVE, _say("what-objective", number=canonical))
                parsed.append(ParsedObjective(number=canonical, position=position, text=objective, line=line))
        return ParsedStrategy(
            number=number, title=heading, description=text, objectives=tuple(parsed), line=no
        )


def _wrapped_number(line: _Line, objectives: list[list], expected: tuple[int, int]) -> bool:
    """ "…raise $" + "2.5 million for…": a decimal at the start of a wrapped line, recognised by
    its lower-case words after an unfinished line, and by not being the next objective's number."""
    a, b, text = line.info
    if b is None or not objectives or not text[:1].islower() or (a, b) == expected:
        return False
    before = objectives[-1][3][-1][0]
    return bool(before) and not before.endswith((".", "!", "?", ";", ":"))


def _continues(line: _Line, expected: tuple[int, int]) -> bool:
    """Is this numbered line the strategy's next objective ("4." or "2.4" after 2.3)?"""
    if line.kind != ITEM:
        return False
    a, b, _text = line.info
    return (a, b) == expected if b else a == expected[1]
