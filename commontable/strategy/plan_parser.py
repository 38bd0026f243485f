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
from collections import defaultdict
from dataclasses import dataclass, field

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from commontable.core.uploads import sniff_kind

MAX_BYTES = 2 * 1024 * 1024
MAX_LINE = 5_000
# The longest texts the plan's models accept, checked here so that the problem can name its line.
MAX_NAME, MAX_TITLE, MAX_OBJECTIVE, MAX_DESCRIPTION = 200, 500, 2000, 5000
MAX_MISSION, MAX_VISION = 5000, 10_000
# Past this many, problems are counted rather than spelled out: nobody reads the 201st.
MAX_PROBLEMS = 200
SHORT = 60  # running headers, value names and unknown headings are at most this long
NAME_WORDS = 6  # a value's name ("Community expertise") is a few words, not a sentence

DASHES = "-‐‑‒–—―−"
DASH = f"[{DASHES}]"
BLANK, PAGE, SKIP, HEADER, SECTION, STRATEGY, ITEM, BULLET, TEXT = range(9)

# Every sentence the parser can say, in one place for translators and reviewers.
MESSAGES = {
    "not-text": N_("This file is not a text document. Export the plan as plain text (.txt) and upload that file."),
    "not-text-kind": N_("This file is not a text document (it looks like a %(kind)s file). Export the plan as plain text (.txt) and upload that file."),
    "encoding": N_("The characters in this file could not be read. Save the plan as plain text in UTF-8 and try again."),
    "too-big": N_("The file is %(size)s; a plan's text is far smaller (at most %(limit)s). Check that this is the plan's text file."),
    "empty": N_("The file is empty. Choose the text file that holds the plan."),
    "long-line": N_("This line is %(count)s characters long, longer than any plan needs (%(limit)s at most). Check that the file is the plan's text."),
    "too-long": N_("%(what)s is %(count)s characters long, but at most %(limit)s fit. Shorten it, or check that the heading after it was recognised."),
    "period": N_("The plan's period %(start)s–%(end)s ends before it starts. Write the earlier year first."),
    "no-mission": N_("No mission was found. If the plan has one, put it under a heading “Mission”."),
    "no-vision": N_("No vision was found. If the plan has one, put it under a heading “Vision”."),
    "no-values": N_("No values were found. If the plan has them, list them under a heading “Values”."),
    "skipped": N_("“%(heading)s” is not a part of a plan that can be imported, so lines %(first)s–%(last)s were left out."),
    "value-twice": N_("The value “%(name)s” appears twice (also on line %(other)s). Remove or rename one of them."),
    "no-strategies": N_("No strategies were found. Each strategy needs a heading line such as “Strategy 1”, followed by its numbered objectives."),
    "keyword": N_("This heading says “%(found)s” but the first one says “%(expected)s”. Use the same word for every strategy."),
    "strategy-twice": N_("%(strategy)s appears twice (also on line %(other)s). Give each strategy its own number."),
    "strategy-order": N_("%(this)s comes after %(previous)s. Put the strategies in order."),
    "strategy-one": N_("%(this)s comes after %(previous)s: is %(missing)s missing?"),
    "strategy-many": N_("%(this)s comes after %(previous)s: are %(missing)s to %(last)s missing?"),
    "strategy-first-one": N_("%(this)s is the first strategy: is %(missing)s missing?"),
    "strategy-first-many": N_("%(this)s is the first strategy: are %(missing)s to %(last)s missing?"),
    "no-title": N_("%(strategy)s has no title. Write it after the heading (“%(strategy)s: …”) or on the next line."),
    "no-objectives": N_("%(strategy)s has no objectives. List them under its heading, numbered 1., 2., … or %(n)s.1, %(n)s.2, …"),
    "before-strategy": N_("Objective %(number)s comes before any strategy heading. Put a heading such as “Strategy 1” above it."),
    "elsewhere": N_("Objective %(number)s appears under %(strategy)s. Renumber it, or move it under %(other)s."),
    "objective-twice": N_("Objective %(number)s appears twice under %(strategy)s (also on line %(other)s)."),
    "objective-order": N_("Objective %(this)s comes after %(previous)s. Put the objectives in order."),
    "objective-one": N_("Objective %(this)s comes after %(previous)s: is %(missing)s missing?"),
    "objective-many": N_("Objective %(this)s comes after %(previous)s: are %(missing)s to %(last)s missing?"),
    "objective-first-one": N_("Objective %(this)s is the first under %(strategy)s: is %(missing)s missing?"),
    "objective-first-many": N_("Objective %(this)s is the first under %(strategy)s: are %(missing)s to %(last)s missing?"),
    "no-text": N_("Objective %(number)s has no text. Write the objective after its number."),
    "what-value-name": N_("The value's name"),
    "what-value-description": N_("The value's description"),
    "what-mission": N_("The mission"),
    "what-vision": N_("The vision"),
    "what-title": N_("The title of %(strategy)s"),
    "what-description": N_("The description of %(strategy)s"),
    "what-objective": N_("Objective %(number)s"),
    "more": N_("…and %(count)s more problems. Fix the ones above and try again."),
}  # fmt: skip


def _say(key: str, **params) -> str:
    """One of MESSAGES in the active language, filled in."""
    return _(MESSAGES[key]) % params if params else _(MESSAGES[key])


_CLEAN = str.maketrans(
    {
        "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st",
        "\ufb06": "st", "\t": " ", "\u00a0": " ", "\u2007": " ", "\u202f": " ",
        **dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff")),
        **dict.fromkeys({*range(32), *range(127, 160)} - set(map(ord, "\n\r\f\v\x85")), " "),
    }
)  # fmt: skip
# Breaks inside one editor line: a form feed is a page break; the others are rare line breaks.
# They split the line into segments that keep the editor's line number, so messages stay right.
_BREAKS = re.compile("([\f\v\x85\u2028\u2029])")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Lines that carry nothing to import: a sub-heading over a strategy's list, a contents heading.
_SUBHEADING = re.compile(r"^(?:key\s+|our\s+)?(?:objectives|actions|tactics|activities|(?:table\s+of\s+)?contents):?$", re.I)  # fmt: skip
# A contents line: a heading, then dot leaders or a wide gap, then its page number.
_TOC_TAIL = re.compile(r"(?:(?:\.\s?){4,}|…{2,})\s*\d{1,3}\s*$|\s{3,}\d{1,3}\s*$")
_PAGE = re.compile(r"^(?:page\s*|p\.\s*)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?$|^-\s*\d{1,3}\s*-$|^[ivx]{1,5}$")
# A page number beside a running header ("Strategic Plan | 4"), so that every page's copy compares equal.
_PAGE_TOKEN = re.compile(
    r"^(?:page\s*)?\d{1,3}(?:\s*[|·•-]\s*|\s+)|(?:\s*[|·•-]\s*|\s+)(?:page\s*)?\d{1,3}(?:\s*of\s*\d{1,3})?$"
)
_PERIOD = re.compile(rf"(?<!\d)((?:19|20)\d\d)\s*(?:{DASH}|to\b|through\b)\s*((?:19|20)\d\d)(?!\d)", re.I)
_CONTINUED = r"(?:\s*\(?\s*(?:continued|cont'?d?\.?)\s*\)?)?"
_SECTION = re.compile(
    r"^(?:our\s+|the\s+)?(?:(?P<mission>mission(?:\s+statement)?)|(?P<vision>vision(?:\s+statement)?)"
    r"|(?P<values>(?:core\s+|shared\s+)?values(?:\s+(?:and|&)\s+principles)?|(?:guiding\s+|core\s+)?principles)"
    r"|(?P<overview>(?:strategies|strategic\s+(?:priorities|goals|pillars|directions)|priorities|goals|pillars)"
    r"(?:\s+(?:and|&)\s+(?:objectives|actions|tactics))?))"
    rf"{_CONTINUED}(?:\s*(?::|\s{DASH})\s*(?P<rest>.*)|[\s.:]*)$",
    re.I,
)
_STRATEGY = re.compile(
    r"^(?P<kw>strategic\s+(?:priority|goal|pillar)|strategy|goal|priority|pillar)\s+(?:no\.\s*|#\s*)?"
    r"(?P<num>\d{1,2}|[a-z]+)(?P<rest>.*)$",
    re.I,
)
_HEADING_TITLE = re.compile(rf"^(?:\s*[:)]|\s*{DASH}|\.(?=\s|$))\s*(?P<title>.*)$")
# "1. text", "1) text", "1 – text", "1.1 text", "1.1. text", "Objective 3.10: text"; a lone number
# needs its punctuation, or "20 percent…" at the start of a wrapped line would become objective 20.
_ITEM = re.compile(
    rf"^(?:objective\s+)?(?P<a>\d{{1,2}})(?:\.(?P<b>\d{{1,2}}))?(?P<sep>\.|\)|:|\s*{DASH})?(?:\s+(?P<text>.*)|$)",
    re.I,
)
_BULLET = re.compile(rf"^(?:[•*·▪▫●◦‣■□➢►✓]|{DASH})\s+(?P<text>.+)$")
_VALUE = re.compile(rf"^(?P<name>\S.{{0,{SHORT - 1}}}?)(?P<sep>\.|:|\s{DASH})\s+(?P<desc>\S.*)$")
_BOLD = re.compile(rf"^(\*\*|__)(?P<name>[^*_]+?)\1\s*(?:[.:]|{DASH})?\s*(?P<desc>.*)$")
_NUMBER_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen")  # fmt: skip
_ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv")
# Opening words of an introduction ("These values guide…"), never of a value's name.
_INTRO_WORDS = frozenset(("we", "our", "these", "this", "each", "below", "here", "all"))
_SMALL_WORDS = frozenset(("a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with", "from", "our"))  # fmt: skip
_JOINERS_AT_END = re.compile(r"(?:\s+(?:for|from|of|to|through|in))+\s*$", re.I)
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", **dict.fromkeys(DASHES, "-")})


@dataclass(frozen=True)
class PlanProblem:
    """Something wrong with (or worth telling about) the document, at a line or about all of it."""

    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return _("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


class PlanParseError(Exception):
    """The document cannot be imported; `problems` lists everything found, in document order."""

    def __init__(self, problems: list[PlanProblem]):
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems))


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


@dataclass(slots=True)
class _Line:
    no: int
    text: str
    page_break: bool = False
    toc_head: str | None = None  # the text before dot leaders and a page number, if any
    kind: int = TEXT
    info: object = None
    edge: bool = False  # among the first or last lines of a page


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


def _fail(key: str, **params) -> PlanParseError:
    return PlanParseError([PlanProblem(None, _say(key, **params))])


def _decode(data: bytes | str) -> str:
    """Text from the upload: UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252, which
    is what older word processors save; anything that does not look like text is refused by name."""
    size = len(data) if isinstance(data, str) else len(bytes(data))
    if size > MAX_BYTES:
        raise _fail("too-big", size=filesizeformat(size), limit=filesizeformat(MAX_BYTES))
    if isinstance(data, str):
        text = data.removeprefix("\ufeff")
    else:
        data = bytes(data)
        kind = "RTF" if data.lstrip()[:5] == b"{\\rtf" else sniff_kind(data)  # the shared upload sniffer
        if kind != "text":
            raise _fail("not-text-kind", kind=kind)
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = data.decode("utf-16", "replace")
        elif b"\x00" in data:
            raise _fail("not-text")
        else:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                try:
                    text = data.decode("cp1252")
                except UnicodeDecodeError:
                    raise _fail("encoding") from None
    controls = sum(1 for _match in _CONTROL.finditer(text))
    if "\x00" in text or controls > max(2, len(text) // 100):
        raise _fail("not-text")
    return text


def _key(text: str) -> str:
    """A line folded for comparison: case, curly quotes and kinds of dash do not matter."""
    return " ".join((text if text.isascii() else text.translate(_QUOTES)).casefold().split())


def _bare(text: str) -> str:
    """A heading without markdown decoration ("## Our Mission", "**Strategy 1**")."""
    if text[:1] not in ("#", "*", "_"):
        return text
    text = re.sub(r"^#{1,6}\s+", "", text)
    for mark in ("**", "__"):
        if text.startswith(mark) and mark in text[2:]:
            text = text[2:].replace(mark, "", 1)
    return text.strip()


def _ends_sentence(text: str) -> bool:
    return text.rstrip("\"'”’)]*»").endswith((".", "!", "?"))


def _glue(before: str, after: str) -> str:
    """Join a wrapped line to the next: a soft hyphen disappears, a hard hyphen after a letter stays
    without a space ("equi-" + "table" → "equi-table"), everything else gets a space."""
    if before.endswith("\u00ad"):
        return before[:-1] + after
    if re.search(r"[^\W\d_][-‐]$", before) or (before.endswith("—") and not before.endswith(" —")):
        return before + after
    return f"{before} {after}"


def _join(parts: list[tuple[str, bool]], paragraphs: bool = True) -> str:
    """Lines to text: wrapped lines joined with spaces, paragraphs (a part flagged as starting one)
    with a blank line. A 'paragraph' after an unfinished sentence that starts in lower case, or
    that follows a hyphen, comma or joining word, is the same paragraph cut by a page: joined back."""
    out: list[str] = []
    for text, new_paragraph in parts:
        if not text:
            continue
        cut = out and not _ends_sentence(out[-1]) and (text[0].islower() or _unfinished(out[-1]))
        if out and (not (paragraphs and new_paragraph) or cut):
            out[-1] = _glue(out[-1], text)
        else:
            out.append(text)
    return "\n\n".join(p.replace("\u00ad", "").strip() for p in out)


def _unfinished(text: str) -> bool:
    """Does this line stop mid-sentence ("…the needs of Low-", "…in the", "…housing,")?"""
    return text.endswith(("-", "\u00ad", ",", ";", "—")) or text.rsplit(" ", 1)[-1].lower() in _SMALL_WORDS


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_][\w'’-]*", text)


def _title_case(text: str) -> bool:
    words = _words(text)
    if not words:
        return False
    return text.upper() == text or all(
        w[0].isupper() for i, w in enumerate(words) if i == 0 or w.lower() not in _SMALL_WORDS
    )


def _fix_caps(text: str) -> str:
    """A cover's ALL CAPS line in title case ("STRATEGIC PLAN" → "Strategic Plan")."""
    if text.upper() != text or len(_words(text)) < 2:
        return text
    words = text.lower().split(" ")
    return " ".join(
        w if i and w in _SMALL_WORDS else re.sub(r"(^|[-/(“\"])([a-z])", lambda m: m[1] + m[2].upper(), w)
        for i, w in enumerate(words)
    )


def _number(word: str) -> int | None:
    word = word.lower()
    if word.isdigit():
        return int(word)
    for table in (_NUMBER_WORDS, _ROMAN):
        if word in table:
            return table.index(word) + 1
    return None


def _strategy_heading(text: str) -> tuple[str, int, str, bool] | None:
    """("Strategy", 3, "Title", continued) for "Strategy 3: Title" / "STRATEGY THREE — Title"; None for
    prose that merely starts with the word ("Goal 3 of the city's plan…", "Strategy 1.1 …")."""
    match = _STRATEGY.match(text)
    number = _number(match["num"]) if match else None
    if not match or not number:
        return None
    rest = match["rest"]
    keyword = " ".join(w.capitalize() for w in match["kw"].split())
    continued = re.match(_CONTINUED + r"\s*[:.]?\s*$", rest)
    if continued and continued.group(0).strip():
        return keyword, number, "", True
    if not rest.strip(" .:"):
        title = ""
    elif sep := _HEADING_TITLE.match(rest):
        title = sep["title"].strip()
    elif rest.startswith(" ") and rest.strip()[0].isupper():
        title = rest.strip()
    else:
        return None
    return keyword, number, title, False


def _section(text: str) -> tuple[str, str] | None:
    match = _SECTION.match(text)
    if not match:
        return None
    kind = next(k for k in ("mission", "vision", "values", "overview") if match[k])
    return kind, (match["rest"] or "").strip()


def _is_heading(text: str) -> bool:
    bare = _bare(text)
    return bool(_section(bare) or _strategy_heading(bare))


def _classify(line: _Line) -> None:
    text, bare = line.text, _bare(line.text)
    item = _ITEM.match(text)
    if not text:
        line.kind = BLANK
    elif _PAGE.match(_key(text)):
        line.kind = PAGE
    elif _SUBHEADING.match(bare):
        line.kind = SKIP
    elif bare[:1].isupper() and (found := _section(bare)):  # "goals" wrapped onto a line is no heading
        line.kind, line.info = SECTION, found
    elif bare[:1].isupper() and (heading := _strategy_heading(bare)):
        line.kind, line.info = STRATEGY, heading
    elif item and (item["b"] or item["sep"]) and int(item["a"]) and int(item["b"] or 1):
        a, b, rest = int(item["a"]), int(item["b"]) if item["b"] else None, (item["text"] or "").strip()
        # A contents list ("1. Our Mission") names sections, not objectives.
        line.kind, line.info = (SKIP if _is_heading(rest) else ITEM), (a, b, rest)
    elif bullet := _BULLET.match(text):
        line.kind, line.info = BULLET, bullet["text"]
    if line.toc_head is not None and line.kind != PAGE:
        dots = "." in text[len(line.toc_head) :]
        if _is_heading(line.toc_head) or (line.kind == ITEM and dots):
            line.kind = SKIP


def _heading_like(text: str) -> bool:
    """A short line in title case (or ending in a colon) that is not a sentence: "Theory of Change"."""
    if len(text) > SHORT or len(text.split()) > NAME_WORDS or not text[:1].isupper() or text[-1] in ".,;!?":
        return False
    return text.endswith(":") or _title_case(text)


def _header_like(line: _Line) -> bool:
    """Could this line be a running header or footer (short, not in lower case, not a sentence)?"""
    text = line.text
    return line.kind == TEXT and len(text) <= SHORT and not text[0].islower() and text[-1] not in ".,;"


def _name_like(text: str) -> bool:
    """Could this line be a value's name on its own ("Racial justice", "Collective Power")?"""
    words = text.split()
    return (
        0 < len(text) <= SHORT
        and len(words) <= NAME_WORDS
        and not text[0].islower()
        and not text.endswith((".", ",", ";", ":"))
        and ". " not in text
        and words[0].lower().strip('"“*') not in _INTRO_WORDS
    )


def _split_value(text: str) -> tuple[str, str] | None:
    """("Racial justice", "Racism is…") from "Racial justice. Racism is…" (or ": ", " — ", or a name
    in bold: "**Racial justice:** Racism is…")."""
    if (bold := _BOLD.match(text)) and _name_like(name := bold["name"].strip().rstrip(".:")):
        return name, bold["desc"]
    match = _VALUE.match(text)
    if not match or not _name_like(match["name"]):
        return None
    if match["sep"] == "." and match["desc"][0].islower():
        return None
    return match["name"].strip(), match["desc"]


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
            more = [PlanProblem(None, _say("more", count=self.uncounted))] if self.uncounted else []
            raise PlanParseError(found + more)
        return ParsedPlan(
            title=self._title(cover), period_start_year=start, period_end_year=end, mission=mission, vision=vision,
            values=tuple(values), strategies=tuple(strategies), warnings=tuple(self.warnings),
        )  # fmt: skip

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
