"""The text side of reading a plan document: decoding an upload, cleaning what a PDF export leaves
behind, the patterns that recognise headings, numbered items, values, running headers and page
numbers, and the problems reported with their line numbers. `plan_parser` builds the plan's
structure on top of these."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

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
    "not-text": gettext_noop("This file is not a text document. Export the plan as plain text (.txt) and upload that file."),
    "not-text-kind": gettext_noop("This file is not a text document (it looks like a %(kind)s file). Export the plan as plain text (.txt) and upload that file."),
    "encoding": gettext_noop("The characters in this file could not be read. Save the plan as plain text in UTF-8 and try again."),
    "too-big": gettext_noop("The file is %(size)s; a plan's text is far smaller (at most %(limit)s). Check that this is the plan's text file."),
    "empty": gettext_noop("The file is empty. Choose the text file that holds the plan."),
    "long-line": gettext_noop("This line is %(count)s characters long, longer than any plan needs (%(limit)s at most). Check that the file is the plan's text."),
    "too-long": gettext_noop("%(what)s is %(count)s characters long, but at most %(limit)s fit. Shorten it, or check that the heading after it was recognised."),
    "period": gettext_noop("The plan's period %(start)s–%(end)s ends before it starts. Write the earlier year first."),
    "no-mission": gettext_noop("No mission was found. If the plan has one, put it under a heading “Mission”."),
    "no-vision": gettext_noop("No vision was found. If the plan has one, put it under a heading “Vision”."),
    "no-values": gettext_noop("No values were found. If the plan has them, list them under a heading “Values”."),
    "skipped": gettext_noop("“%(heading)s” is not a part of a plan that can be imported, so lines %(first)s–%(last)s were left out."),
    "value-twice": gettext_noop("The value “%(name)s” appears twice (also on line %(other)s). Remove or rename one of them."),
    "no-strategies": gettext_noop("No strategies were found. Each strategy needs a heading line such as “Strategy 1”, followed by its numbered objectives."),
    "keyword": gettext_noop("This heading says “%(found)s” but the first one says “%(expected)s”. Use the same word for every strategy."),
    "strategy-twice": gettext_noop("%(strategy)s appears twice (also on line %(other)s). Give each strategy its own number."),
    "strategy-order": gettext_noop("%(this)s comes after %(previous)s. Put the strategies in order."),
    "strategy-one": gettext_noop("%(this)s comes after %(previous)s: is %(missing)s missing?"),
    "strategy-many": gettext_noop("%(this)s comes after %(previous)s: are %(missing)s to %(last)s missing?"),
    "strategy-first-one": gettext_noop("%(this)s is the first strategy: is %(missing)s missing?"),
    "strategy-first-many": gettext_noop("%(this)s is the first strategy: are %(missing)s to %(last)s missing?"),
    "no-title": gettext_noop("%(strategy)s has no title. Write it after the heading (“%(strategy)s: …”) or on the next line."),
    "no-objectives": gettext_noop("%(strategy)s has no objectives. List them under its heading, numbered 1., 2., … or %(n)s.1, %(n)s.2, …"),
    "before-strategy": gettext_noop("Objective %(number)s comes before any strategy heading. Put a heading such as “Strategy 1” above it."),
    "elsewhere": gettext_noop("Objective %(number)s appears under %(strategy)s. Renumber it, or move it under %(other)s."),
    "objective-twice": gettext_noop("Objective %(number)s appears twice under %(strategy)s (also on line %(other)s). Renumber or remove one of them."),
    "objective-order": gettext_noop("Objective %(this)s comes after %(previous)s. Put the objectives in order."),
    "objective-one": gettext_noop("Objective %(this)s comes after %(previous)s: is %(missing)s missing?"),
    "objective-many": gettext_noop("Objective %(this)s comes after %(previous)s: are %(missing)s to %(last)s missing?"),
    "objective-first-one": gettext_noop("Objective %(this)s is the first under %(strategy)s: is %(missing)s missing?"),
    "objective-first-many": gettext_noop("Objective %(this)s is the first under %(strategy)s: are %(missing)s to %(last)s missing?"),
    "no-text": gettext_noop("Objective %(number)s has no text. Write the objective after its number."),
    "what-value-name": gettext_noop("The value's name"),
    "what-value-description": gettext_noop("The value's description"),
    "what-mission": gettext_noop("The mission"),
    "what-vision": gettext_noop("The vision"),
    "what-title": gettext_noop("The title of %(strategy)s"),
    "what-description": gettext_noop("The description of %(strategy)s"),
    "what-objective": gettext_noop("Objective %(number)s"),
}  # fmt: skip


def more_problems(count: int) -> str:
    """The last line when problems were counted rather than listed (plural forms per language)."""
    return ngettext(
        "…and %(count)s more problem. Fix the ones above and try again.",
        "…and %(count)s more problems. Fix the ones above and try again.",
        count,
    ) % {"count": count}


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
_SUBHEADING = re.compile(
    r"^(?:key\s+|our\s+|nuestr[oa]s\s+)?(?:objectives|actions|tactics|activities|(?:table\s+of\s+)?contents"
    r"|objetivos|acciones|t[aá]cticas|actividades|[ií]ndice|contenidos?|tabla\s+de\s+contenidos?"
    r"|ujeeddooyinka|waxqabadyada|tusmada|cov\s+hom\s+phiaj|cov\s+kev\s+ua|cov\s+ntsiab\s+lus)"
    r"(?:\s+(?:principales|clave))?:?$",
    re.I,
)
# A contents line: a heading, then dot leaders or a wide gap, then its page number.
_TOC_TAIL = re.compile(r"(?:(?:\.\s?){4,}|…{2,})\s*\d{1,3}\s*$|\s{3,}\d{1,3}\s*$")
_PAGE = re.compile(
    r"^(?:page\s*|p[aá]gina\s*|p[aá]g\.\s*|bogga\s*|nplooj\s*|p\.\s*)?\d{1,3}(?:\s*(?:of|de|/)\s*\d{1,3})?$"
    r"|^-\s*\d{1,3}\s*-$|^[ivx]{1,5}$"
)
# A page number beside a running header ("Strategic Plan | 4"), so that every page's copy compares equal.
_PAGE_TOKEN = re.compile(
    r"^(?:page\s*|p[aá]gina\s*)?\d{1,3}(?:\s*[|·•-]\s*|\s+)"
    r"|(?:\s*[|·•-]\s*|\s+)(?:page\s*|p[aá]gina\s*)?\d{1,3}(?:\s*(?:of|de)\s*\d{1,3})?$"
)
_PERIOD = re.compile(rf"(?<!\d)((?:19|20)\d\d)\s*(?:{DASH}|to\b|through\b|al?\b|hasta\b|ilaa\b|txog\b)\s*((?:19|20)\d\d)(?!\d)", re.I)
_CONTINUED = r"(?:\s*\(?\s*(?:continued|cont'?d?\.?|continuaci[oó]n|sii\s+wad|txuas\s+ntxiv)\s*\)?)?"
# Headings in English, Spanish, Somali and Hmong (the interface's languages). The Somali and Hmong
# words are the usual ones in community plans; `HEADING_LANGUAGES` below tells a plan's language.
_MISSION = r"mission(?:\s+statement)?|(?:declaraci[oó]n\s+de\s+)?misi[oó]n|hadafka|ujeeddada|lub\s+hom\s+phiaj"
_VISION = r"vision(?:\s+statement)?|visi[oó]n|aragtida|hiigsiga|lub\s+zeem\s+muag"
_VALUES = (
    r"(?:core\s+|shared\s+)?values(?:\s+(?:and|&)\s+principles)?|(?:guiding\s+|core\s+)?principles"
    r"|valores(?:\s+(?:fundamentales|compartidos))?(?:\s+y\s+principios)?|principios(?:\s+rectores)?"
    r"|qiyamka(?:\s+aasaasiga)?|mabaadi'?da|cov\s+txiaj\s+ntsig|cov\s+ntsiab\s+cai"
)
_OVERVIEW = (
    r"(?:(?:strategies|strategic\s+(?:priorities|goals|pillars|directions)|priorities|goals|pillars)"
    r"(?:\s+(?:and|&)\s+(?:objectives|actions|tactics))?"
    r"|(?:estrategias|prioridades(?:\s+estrat[eé]gicas)?|metas|pilares|l[ií]neas\s+estrat[eé]gicas)"
    r"(?:\s+y\s+(?:objetivos|acciones))?"
    r"|istaraatiijiyadaha|mudnaanta|cov\s+tswv\s+yim|cov\s+txheej\s+txheem)"
)
# Which language a heading is written in: the plan's text carries it as its `lang` on pages.
HEADING_LANGUAGES = {
    "en": re.compile(r"\b(?:mission|vision|values|principles|strateg(?:y|ies)|goals?|priorit(?:y|ies)|pillars?)\b", re.I),
    "es": re.compile(r"\b(?:misi[oó]n|visi[oó]n|valores|principios|estrategias?|prioridad(?:es)?|metas?|pilar(?:es)?)\b", re.I),
    "so": re.compile(r"\b(?:hadafka|ujeeddada|aragtida|hiigsiga|qiyamka|mabaadi'?da|istaraatiijiyad(?:da|aha)|xeeladda|mudnaanta)\b", re.I),
    "hmn": re.compile(r"\b(?:hom\s+phiaj|zeem\s+muag|txiaj\s+ntsig|ntsiab\s+cai|tswv\s+yim|kev\s+npaj|txheej\s+txheem)\b", re.I),
}  # fmt: skip
_SECTION = re.compile(
    r"^(?:our\s+|the\s+|nuestr[oa]s?\s+|la\s+|el\s+|los\s+|las\s+|peb\s+)?"
    rf"(?:(?P<mission>{_MISSION})|(?P<vision>{_VISION})|(?P<values>{_VALUES})|(?P<overview>{_OVERVIEW}))"
    r"(?:\s+(?:ee\s+)?(?:isbahaysiga|peb\s+li|ntawm\s+peb))?"
    rf"{_CONTINUED}(?:\s*(?::|\s{DASH})\s*(?P<rest>.*)|[\s.:]*)$",
    re.I,
)
_STRATEGY = re.compile(
    r"^(?P<kw>strategic\s+(?:priority|goal|pillar)|strategy|goal|priority|pillar"
    r"|prioridad\s+estrat[eé]gica|l[ií]nea\s+estrat[eé]gica|estrategia|meta|prioridad|pilar"
    r"|istaraatiijiyadda|xeeladda|tswv\s+yim|txoj\s+kev\s+npaj)\s+(?:no\.\s*|n[úuº°]m?\.?\s*|#\s*)?"
    r"(?P<num>\d{1,2}|[a-z]+)(?P<rest>.*)$",
    re.I,
)
_HEADING_TITLE = re.compile(rf"^(?:\s*[:)]|\s*{DASH}|\.(?=\s|$))\s*(?P<title>.*)$")
# "1. text", "1) text", "1 – text", "1.1 text", "1.1. text", "Objective 3.10: text"; a lone number
# needs its punctuation, or "20 percent…" at the start of a wrapped line would become objective 20.
_ITEM = re.compile(
    rf"^(?:objective\s+|objetivo\s+|ujeeddo\s+)?(?P<a>\d{{1,2}})(?:\.(?P<b>\d{{1,2}}))?(?P<sep>\.|\)|:|\s*{DASH})?(?:\s+(?P<text>.*)|$)",
    re.I,
)
_BULLET = re.compile(rf"^(?:[•*·▪▫●◦‣■□➢►✓]|{DASH})\s+(?P<text>.+)$")
_VALUE = re.compile(rf"^(?P<name>\S.{{0,{SHORT - 1}}}?)(?P<sep>\.|:|\s{DASH})\s+(?P<desc>\S.*)$")
_BOLD = re.compile(rf"^(\*\*|__)(?P<name>[^*_]+?)\1\s*(?:[.:]|{DASH})?\s*(?P<desc>.*)$")
_NUMBER_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen")  # fmt: skip
_SPANISH_NUMBER_WORDS = ("uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez", "once", "doce", "trece", "catorce", "quince")  # fmt: skip
_ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv")
# Opening words of an introduction ("These values guide…"), never of a value's name.
_INTRO_WORDS = frozenset(("we", "our", "these", "this", "each", "below", "here", "all", "nosotros", "nuestros", "nuestras", "estos", "estas", "este", "esta", "cada", "todos", "todas"))  # fmt: skip
_SMALL_WORDS = frozenset(("a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with", "from", "our", "de", "del", "la", "el", "los", "las", "y", "e", "o", "u", "en", "para", "por", "con", "al", "iyo", "ee", "ka", "thiab", "ntawm", "rau"))  # fmt: skip
_JOINERS_AT_END = re.compile(r"(?:\s+(?:for|from|of|to|through|in|para|de|del|en|rau))+\s*$", re.I)
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


@dataclass(slots=True)
class _Line:
    no: int
    text: str
    page_break: bool = False
    toc_head: str | None = None  # the text before dot leaders and a page number, if any
    kind: int = TEXT
    info: object = None
    edge: bool = False  # among the first or last lines of a page


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
    for table in (_NUMBER_WORDS, _SPANISH_NUMBER_WORDS, _ROMAN):
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


def heading_language(text: str) -> str | None:
    """The interface language a recognised heading is written in ("Nuestra Misión" → "es")."""
    return next((code for code, words in HEADING_LANGUAGES.items() if words.search(text)), None)


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
