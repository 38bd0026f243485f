"""Translation status of the interface catalogs: what is translated, what a person has reviewed.

PO files have no "approved" state, so reviews live beside the catalogs in `locale/<lang>/review.json`:

    {"Sign in": {"msgstr_sha1": "…", "reviewer": "Name", "date": "2026-11-30"},
     "abbrev. month|Jan.": {…}}

The key is the msgid, prefixed with `msgctxt|` when the entry has a context. A string counts as
reviewed only while the sha1 of its current msgstr matches the recorded one: editing a translation
after review makes it unreviewed again. For plural entries the hash covers msgstr[0..n] joined by NUL,
as in a compiled .mo file.

A *critical* string (consent, SMS opt-in and opt-out, privacy notices, public-form errors) is one with
`msgctxt "critical"` or a `#.` comment (a "Translators:" comment in the code) that says "critical".
A language stays "beta" until every critical string and at least 90% of all strings are reviewed.

The parser is deliberately small (no polib): it reads what GNU gettext and Django's makemessages write.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import to_locale

REVIEW_FILE = "review.json"
DOMAIN = "django"
# The share of all strings that must be reviewed (with every critical string) before "beta" can go.
REVIEWED_SHARE_FOR_RELEASE = 0.90

# The Plural-Forms each language must carry. Django ships no so/hmn locale, and makemessages leaves
# the header empty for them; a wrong header compiles but crashes the first ngettext (a 500).
PLURAL_FORMS = {
    "so": ("nplurals=2; plural=(n != 1);",),
    "hmn": ("nplurals=1; plural=0;",),
    # Spanish: the classic two forms, or the three CLDR forms Django's own es catalog uses.
    "es": (
        "nplurals=2; plural=(n != 1);",
        "nplurals=3; plural=n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;",
    ),
}

_CRITICAL_COMMENT = re.compile(r"\bcritical\b", re.IGNORECASE)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


# --- PO files ---------------------------------------------------------------------------------


@dataclass
class PoEntry:
    msgid: str
    msgstr: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    translator_comments: list[str] = field(default_factory=list)
    extracted_comments: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    previous: list[str] = field(default_factory=list)
    obsolete: bool = False

    @property
    def key(self) -> str:
        """The review.json key: `msgctxt|msgid`, or the msgid alone."""
        return entry_key(self.msgid, self.msgctxt)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translations(self) -> list[str]:
        if self.msgid_plural is not None:
            return [self.msgstr_plural[i] for i in sorted(self.msgstr_plural)]
        return [self.msgstr]

    @property
    def translated(self) -> bool:
        """Shown to readers: non-empty (every plural form) and not fuzzy (msgfmt leaves fuzzy out)."""
        texts = self.translations
        return bool(texts) and all(texts) and not self.fuzzy

    @property
    def critical(self) -> bool:
        if self.msgctxt is not None and self.msgctxt.strip().lower() == "critical":
            return True
        return any(_CRITICAL_COMMENT.search(c) for c in self.extracted_comments)

    @property
    def msgstr_sha1(self) -> str:
        return msgstr_sha1(self)


def entry_key(msgid: str, msgctxt: str | None = None) -> str:
    return f"{msgctxt}|{msgid}" if msgctxt is not None else msgid


def msgstr_sha1(entry: PoEntry) -> str:
    return hashlib.sha1("\x00".join(entry.translations).encode("utf-8"), usedforsecurity=False).hexdigest()


def _unquote(text: str, path: Path | str, lineno: int) -> str:
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError(f"{path}:{lineno}: expected a quoted string, got {text!r}")
    body, out, i = text[1:-1], [], 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                i += 2
                continue
            if nxt in "01234567":
                digits = re.match(r"[0-7]{1,3}", body[i + 1 :]).group(0)
                out.append(chr(int(digits, 8)))
                i += 1 + len(digits)
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def parse_po(text: str, path: Path | str = "<string>") -> list[PoEntry]:
    """Every entry of a PO file, the header (msgid "") included, in file order."""
    entries: list[PoEntry] = []
    cur: PoEntry | None = None
    field_name: str | None = None  # which string continuation lines extend
    plural_index = 0
    seen_msgstr = False

    def start() -> PoEntry:
        nonlocal cur, seen_msgstr, field_name
        if cur is not None:
            entries.append(cur)
        cur, seen_msgstr, field_name = PoEntry(msgid=""), False, None
        return cur

    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            if cur is not None and seen_msgstr:
                entries.append(cur)
                cur, field_name = None, None
            continue
        obsolete = False
        if line.startswith("#~"):
            obsolete = True
            line = line[2:].strip()
            if not line or line.startswith(("#", "|")):
                continue  # comments and previous msgids of obsolete entries are not kept
        if line.startswith("#"):
            if cur is None or seen_msgstr:
                start()
            kind, rest = line[:2], line[2:].strip()
            if kind == "#.":
                cur.extracted_comments.append(rest)
            elif kind == "#:":
                cur.references.extend(rest.split())
            elif kind == "#,":
                cur.flags.extend(f.strip() for f in rest.split(",") if f.strip())
            elif kind == "#|":
                cur.previous.append(rest)
            else:
                cur.translator_comments.append(line[1:].lstrip())
            continue
        keyword, _, value = line.partition(" ")
        if keyword.startswith('"'):
            if cur is None or field_name is None:
                raise ValueError(f"{path}:{lineno}: string continuation outside an entry")
            piece = _unquote(line, path, lineno)
            if field_name == "msgstr_plural":
                cur.msgstr_plural[plural_index] += piece
            else:
                setattr(cur, field_name, getattr(cur, field_name) + piece)
            continue
        if keyword in ("msgctxt", "msgid") and (
            cur is None or seen_msgstr or (keyword == "msgctxt" and cur.msgctxt)
        ):
            start()
        if cur is None:
            start()
        cur.obsolete = cur.obsolete or obsolete
        if keyword == "msgctxt":
            cur.msgctxt, field_name = _unquote(value, path, lineno), "msgctxt"
        elif keyword == "msgid":
            cur.msgid, field_name = _unquote(value, path, lineno), "msgid"
        elif keyword == "msgid_plural":
            cur.msgid_plural, field_name = _unquote(value, path, lineno), "msgid_plural"
        elif keyword == "msgstr":
            cur.msgstr, field_name, seen_msgstr = _unquote(value, path, lineno), "msgstr", True
        elif keyword.startswith("msgstr["):
            plural_index = int(keyword[7:-1])
            cur.msgstr_plural[plural_index] = _unquote(value, path, lineno)
            field_name, seen_msgstr = "msgstr_plural", True
        else:
            raise ValueError(f"{path}:{lineno}: unexpected line {raw!r}")
    if cur is not None:
        entries.append(cur)
    return entries


def read_po(path: Path | str) -> list[PoEntry]:
    path = Path(path)
    return parse_po(path.read_text(encoding="utf-8"), path)


def parse_header(entries: list[PoEntry]) -> dict[str, str]:
    for entry in entries:
        if entry.is_header and not entry.obsolete:
            header = {}
            for line in entry.msgstr.split("\n"):
                name, sep, value = line.partition(":")
                if sep:
                    header[name.strip()] = value.strip()
            return header
    return {}


def _quote(text: str) -> str:
    return (
        '"'
        + text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\t", "\\t")
        .replace("\r", "\\r")
        + '"'
    )


def _write_string(keyword: str, text: str, prefix: str = "") -> list[str]:
    parts = text.splitlines(keepends=True)
    if len(parts) <= 1:
        return [f"{prefix}{keyword} {_quote(text)}"]
    return [f'{prefix}{keyword} ""'] + [f"{prefix}{_quote(p)}" for p in parts]


def serialize_po(entries: list[PoEntry]) -> str:
    """PO text for `entries`. Lines are not wrapped; `msgcat` or makemessages re-wrap if wanted."""
    blocks = []
    for e in entries:
        lines = [f"# {c}".rstrip() for c in e.translator_comments]
        lines += [f"#. {c}" for c in e.extracted_comments]
        lines += [f"#: {r}" for r in e.references]
        if e.flags:
            lines.append("#, " + ", ".join(e.flags))
        lines += [f"#| {p}" for p in e.previous]
        prefix = "#~ " if e.obsolete else ""
        if e.msgctxt is not None:
            lines += _write_string("msgctxt", e.msgctxt, prefix)
        lines += _write_string("msgid", e.msgid, prefix)
        if e.msgid_plural is not None:
            lines += _write_string("msgid_plural", e.msgid_plural, prefix)
            for i in sorted(e.msgstr_plural):
                lines += _write_string(f"msgstr[{i}]", e.msgstr_plural[i], prefix)
        else:
            lines += _write_string("msgstr", e.msgstr, prefix)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def write_po(path: Path | str, entries: list[PoEntry]) -> None:
    path = Path(path)
    tmp = path.with_suffix(".po.tmp")
    tmp.write_text(serialize_po(entries), encoding="utf-8")
    os.replace(tmp, path)


def normalise_plural_forms(value: str) -> str:
    return re.sub(r"\s+", "", value).rstrip(";")


def msgfmt_check(path: Path | str) -> list[str]:
    """Problems `msgfmt --check` reports for a catalog ([] when it compiles cleanly)."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        return ["msgfmt is not installed (Debian package gettext)"]
    with tempfile.TemporaryDirectory() as tmp:
        result = subprocess.run(  # noqa: S603 - fixed program, our own file
            [msgfmt, "--check", "-o", os.path.join(tmp, "out.mo"), str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode == 0:
        return []
    return [line for line in result.stderr.splitlines() if line.strip()] or [
        f"msgfmt exited {result.returncode}"
    ]


# --- Reviews ----------------------------------------------------------------------------------


def locale_dir() -> Path:
    return Path(settings.LOCALE_PATHS[0])


def catalog_path(language: str, base: Path | None = None) -> Path:
    return (base or locale_dir()) / to_locale(language) / "LC_MESSAGES" / f"{DOMAIN}.po"


def review_path(language: str, base: Path | None = None) -> Path:
    return (base or locale_dir()) / to_locale(language) / REVIEW_FILE


def read_reviews(path: Path | str) -> dict[str, dict]:
    path = Path(path)
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8") or "{}")
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a JSON object")
    return data


def write_reviews(path: Path | str, reviews: dict[str, dict]) -> None:
    path = Path(path)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(reviews, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def is_reviewed(entry: PoEntry, reviews: dict[str, dict]) -> bool:
    record = reviews.get(entry.key)
    return bool(entry.translated and record and record.get("msgstr_sha1") == entry.msgstr_sha1)


def record_reviews(
    language: str,
    reviewer: str,
    *,
    keys: list[str] | None = None,
    all_translated: bool = False,
    date: dt.date | None = None,
    base: Path | None = None,
) -> tuple[int, int]:
    """Record `reviewer`'s sign-off for the given keys (or every translated string) with the hash of
    the current msgstr. Returns (recorded, already reviewed). Untranslated or fuzzy strings cannot be
    reviewed: that raises ValueError, as does an unknown key."""
    reviewer = reviewer.strip()
    if not reviewer:
        raise ValueError("A reviewer's name is required.")
    entries = {e.key: e for e in read_po(catalog_path(language, base)) if not e.is_header and not e.obsolete}
    reviews = read_reviews(review_path(language, base))
    if all_translated:
        chosen = [e for e in entries.values() if e.translated]
    else:
        chosen = []
        for key in keys or []:
            if key not in entries:
                raise ValueError(f"{key!r} is not in the {language} catalog.")
            if not entries[key].translated:
                raise ValueError(
                    f"{key!r} is not translated (or is fuzzy) in {language}; translate it first."
                )
            chosen.append(entries[key])
    day = (date or dt.date.today()).isoformat()
    recorded = skipped = 0
    for entry in chosen:
        if all_translated and is_reviewed(entry, reviews):
            skipped += 1  # keep the earlier reviewer's sign-off
            continue
        reviews[entry.key] = {"msgstr_sha1": entry.msgstr_sha1, "reviewer": reviewer, "date": day}
        recorded += 1
    write_reviews(review_path(language, base), reviews)
    return recorded, skipped


# --- Status -----------------------------------------------------------------------------------


def _pct(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


@dataclass
class LanguageStatus:
    code: str
    name: str
    beta: bool
    path: Path
    exists: bool
    is_source: bool = False
    header: dict[str, str] = field(default_factory=dict)
    total: int = 0
    translated: int = 0
    reviewed: int = 0
    critical_total: int = 0
    critical_reviewed: int = 0
    untranslated_entries: list[PoEntry] = field(default_factory=list)
    unreviewed_entries: list[PoEntry] = field(default_factory=list)  # translated, no valid review
    stale_review_keys: list[str] = field(default_factory=list)  # reviewed once, msgstr changed since
    reviewers: list[str] = field(default_factory=list)

    @property
    def last_translator(self) -> str:
        return self.header.get("Last-Translator", "")

    @property
    def fallback(self) -> int:
        """Strings a reader sees in English because they are untranslated or fuzzy."""
        return self.total - self.translated

    @property
    def translated_pct(self) -> float:
        return 100.0 if self.is_source else _pct(self.translated, self.total)

    @property
    def reviewed_pct(self) -> float:
        return 100.0 if self.is_source else _pct(self.reviewed, self.total)

    @property
    def fallback_pct(self) -> float:
        return 0.0 if self.is_source else _pct(self.fallback, self.total)

    @property
    def critical_reviewed_pct(self) -> float:
        return (
            100.0
            if self.is_source or not self.critical_total
            else _pct(self.critical_reviewed, self.critical_total)
        )

    @property
    def ready_to_leave_beta(self) -> bool:
        """Every critical string and ≥ 90% of all strings reviewed, by a named reviewer."""
        if self.is_source:
            return True
        return bool(
            self.total
            and self.reviewers
            and self.critical_reviewed == self.critical_total
            and self.reviewed >= REVIEWED_SHARE_FOR_RELEASE * self.total
        )


def language_status(
    code: str, name: str = "", *, base: Path | None = None, beta: bool | None = None
) -> LanguageStatus:
    path = catalog_path(code, base)
    if beta is None:
        beta = code in getattr(settings, "COMMONTABLE_BETA_LANGUAGES", [])
    status = LanguageStatus(code=code, name=name or code, beta=beta, path=path, exists=path.exists())
    if code == settings.LANGUAGE_CODE and not status.exists:
        status.is_source = True
        return status
    if not status.exists:
        return status
    entries = [e for e in read_po(path) if not e.obsolete]
    status.header = parse_header(entries)
    reviews = read_reviews(review_path(code, base))
    reviewers = set()
    for entry in entries:
        if entry.is_header:
            continue
        status.total += 1
        critical = entry.critical
        status.critical_total += critical
        if not entry.translated:
            status.untranslated_entries.append(entry)
            continue
        status.translated += 1
        if is_reviewed(entry, reviews):
            status.reviewed += 1
            status.critical_reviewed += critical
            reviewers.add(reviews[entry.key].get("reviewer", ""))
        else:
            status.unreviewed_entries.append(entry)
            if entry.key in reviews:
                status.stale_review_keys.append(entry.key)
    status.reviewers = sorted(r for r in reviewers if r)
    return status


def all_statuses(base: Path | None = None) -> list[LanguageStatus]:
    """One status per language in settings.LANGUAGES, English (the source) first."""
    return [language_status(code, str(name), base=base) for code, name in settings.LANGUAGES]


def check_catalogs(base: Path | None = None) -> list[str]:
    """Problems that must fail CI: a catalog msgfmt rejects, or a header with the wrong Language or
    Plural-Forms. [] when all is well."""
    base = base or locale_dir()
    problems = []
    for po in sorted(base.glob("*/LC_MESSAGES/*.po")):
        problems += [f"{po}: {p}" for p in msgfmt_check(po)]
    for code, _name in settings.LANGUAGES:
        path = catalog_path(code, base)
        if not path.exists():
            if code != settings.LANGUAGE_CODE:
                problems.append(f"{path}: missing catalog for {code}")
            continue
        header = parse_header(read_po(path))
        if header.get("Language") != to_locale(code):
            problems.append(
                f"{path}: header Language is {header.get('Language')!r}, expected {to_locale(code)!r}"
            )
        plural = header.get("Plural-Forms", "")
        expected = PLURAL_FORMS.get(code)
        if not plural or "INTEGER" in plural or "EXPRESSION" in plural:
            problems.append(f"{path}: header lacks a real Plural-Forms (found {plural!r})")
        elif expected and normalise_plural_forms(plural) not in {normalise_plural_forms(p) for p in expected}:
            problems.append(f"{path}: Plural-Forms is {plural!r}, expected {expected[0]!r}")
    return problems
