"""Cells parsed on purpose, for imports: each column says what kind of value it holds (text,
email, date, whole number, yes/no, one of a list, a list, web address, phone) and a parser turns
what a spreadsheet holds into that value — or into a message in the reader's language saying why
not. Arabic-Indic, full-width and other digits are converted *visibly*: the parser returns a
warning naming the original text (`core.numbers`)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commontable.core.numbers import NumberError, parse_date, parse_int, to_ascii_digits
from commontable.core.text import fold_name

KINDS = ("text", "email", "date", "int", "bool", "choice", "list", "url", "phone")
MAX_PLAIN = 10_000  # the reader refuses longer cells anyway

# Yes and no in the coalition's languages, as people type them in spreadsheets.
YES = {"yes", "y", "true", "t", "1", "x", "sí", "si", "haa", "yog", "✓", "✔"}
NO = {"no", "n", "false", "f", "0", "maya", "tsis", "tsis yog"}
FORMULA_ESCAPED = re.compile(r"^'[=+\-@\t\r]")
_email_validator = EmailValidator()
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
SIMPLE_EMAIL = re.compile(rf"^[a-z0-9_%+'-]+(?:\.[a-z0-9_%+'-]+)*@(?:{_LABEL}\.)+[a-z]{{2,24}}$")
NOT_DIGIT = re.compile(r"\D")
PHONE_OTHER = re.compile(r"[^\d\s()+\-.xX/#ext]", re.IGNORECASE)
_url_validator = URLValidator(schemes=["http", "https"])


class CellError(ValueError):
    """A cell's value cannot be used; the message (in the user's language) says why."""


@dataclass(frozen=True)
class Column:
    """One column an importer understands. `name` is what the CSV template writes; `aliases` are
    other headers people use for the same thing."""

    name: str
    label: str | Promise
    kind: str = "text"
    required: bool = False
    max_length: int | None = None
    aliases: tuple[str, ...] = ()
    choices: Callable[[], Iterable[tuple[str, str]]] | Sequence[tuple[str, str]] | None = None
    help_text: str | Promise = ""
    example: str = ""
    item_max_length: int | None = None  # for kind="list"
    min_value: int | None = None  # for kind="int"
    max_value: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")
        if self.kind == "choice" and self.choices is None:
            raise ValueError(f"column {self.name!r} needs choices")

    def choice_items(self) -> list[tuple[str, str]]:
        items = self.choices() if callable(self.choices) else self.choices
        return [(str(value), str(label)) for value, label in (items or [])]

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])


KIND_LABELS = {
    "text": gettext_lazy("text"),
    "email": gettext_lazy("email address"),
    "date": gettext_lazy("date (YYYY-MM-DD)"),
    "int": gettext_lazy("whole number"),
    "bool": gettext_lazy("yes or no"),
    "choice": gettext_lazy("one of a list"),
    "list": gettext_lazy("list separated by ;"),
    "url": gettext_lazy("web address"),
    "phone": gettext_lazy("phone number"),
}


def display_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


class CellParser:
    """Parses the cells of one column; built once per import so choice maps are computed once."""

    def __init__(self, column: Column):
        self.column = column
        self.parse = getattr(self, f"_parse_{column.kind}")
        # Texts are their own display; the rest are shown as parsed (dates in ISO, yes/no in words).
        self.shows_value = column.kind in ("text", "email", "url", "phone")
        self.yes, self.no = _("yes"), _("no")
        self.yes_words = YES | {self.yes.casefold()}
        self.no_words = NO | {self.no.casefold()}
        if column.kind == "choice":
            self.choice_map: dict[str, str] = {}
            self.choice_labels: dict[str, str] = {}
            for value, label in column.choice_items():
                self.choice_labels[value] = label
                for text in (value, label):
                    if text:
                        self.choice_map.setdefault(fold_name(text), value)
            # Labels in English as well as the reader's language: files are often in English.
            from django.utils import translation

            with translation.override("en"):
                for value, label in column.choice_items():
                    if label:
                        self.choice_map.setdefault(fold_name(label), value)

    def __call__(self, raw: object) -> tuple[object, str, list[str]]:
        """(value, what to display, warnings). Raises CellError."""
        if isinstance(raw, str):
            text = raw.strip()
            if text[:1] == "'" and FORMULA_ESCAPED.match(text):
                text = text[1:]  # undo the apostrophe our own exports add to formula-like cells
            if not text:
                return None, "", []
            if not text.isascii():
                text = unicodedata.normalize("NFC", text)
            raw = text
        elif raw is None:
            return None, "", []
        warnings: list[str] = []
        value = self.parse(raw, warnings)
        return value, (value if self.shows_value else self._display(value)), warnings

    def _display(self, value: object) -> str:
        if self.column.kind == "choice":
            return self.choice_labels.get(value, value) or ""
        if value is True or value is False:
            return self.yes if value else self.no
        return display_value(value)

    def _text(self, raw: object) -> str:
        if isinstance(raw, dt.datetime):
            return display_value(raw)
        return str(raw)

    def _check_length(self, text: str, limit: int | None) -> None:
        if limit is not None and len(text) > limit:
            raise CellError(
                _("This is %(length)d characters long; at most %(max)d are allowed.")
                % {"length": len(text), "max": limit}
            )

    def _parse_text(self, raw: object, warnings: list[str]) -> str:
        text = self._text(raw)
        self._check_length(text, self.column.max_length)
        return text

    def _parse_email(self, raw: object, warnings: list[str]) -> str:
        text = self._text(raw).strip().lower()
        if text.startswith("mailto:"):
            text = text[7:]
        self._check_length(text, self.column.max_length or 254)
        if SIMPLE_EMAIL.match(text):
            return text  # the common case, a strict subset of what Django's validator accepts
        try:
            _email_validator(text)
        except ValidationError as exc:
            raise CellError(_("“%(value)s” is not an email address.") % {"value": text}) from exc
        return text

    def _parse_url(self, raw: object, warnings: list[str]) -> str:
        text = self._text(raw).strip()
        if "://" not in text and "." in text and " " not in text:
            warnings.append(_("“%(value)s” was read as https://%(value)s.") % {"value": text})
            text = "https://" + text
        self._check_length(text, self.column.max_length or 300)
        try:
            _url_validator(text)
        except ValidationError as exc:
            raise CellError(_("“%(value)s” is not a web address.") % {"value": text}) from exc
        return text

    def _parse_phone(self, raw: object, warnings: list[str]) -> str:
        text = self._text(raw)
        ascii_text, converted = (text, False) if text.isascii() else to_ascii_digits(text)
        digits = NOT_DIGIT.sub("", ascii_text)
        if not 7 <= len(digits) <= 15 or PHONE_OTHER.search(ascii_text):
            raise CellError(_("“%(value)s” is not a phone number.") % {"value": text})
        if converted:
            warnings.append(_converted_warning(text, ascii_text))
        self._check_length(ascii_text, self.column.max_length or 40)
        return ascii_text

    def _parse_date(self, raw: object, warnings: list[str]) -> dt.date:
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            # An XLSX cell holding a date typed as a plain number (Excel's day count).
            if not 1 <= raw <= 120_000:
                raise CellError(_("“%(value)s” is not a date.") % {"value": raw})
            from openpyxl.utils.datetime import from_excel

            value = from_excel(raw)
            value = value.date() if isinstance(value, dt.datetime) else value
            warnings.append(
                _("The number %(number)s was read as the spreadsheet date %(date)s.")
                % {"number": raw, "date": value.isoformat()}
            )
            return value
        try:
            parsed = parse_date(raw)
        except NumberError as exc:
            if str(exc) == "date-out-of-range":
                raise CellError(_("“%(value)s” is outside the years 1900 to 2200.") % {"value": raw}) from exc
            raise CellError(
                _("“%(value)s” is not a date. Write it as 2024-03-05 (year-month-day) or 3/5/2024.")
                % {"value": raw}
            ) from exc
        if parsed.converted_from:
            warnings.append(_converted_warning(parsed.converted_from, parsed.value.isoformat()))
        if isinstance(raw, str) and _ambiguous_slash_date(parsed.value, to_ascii_digits(raw.strip())[0]):
            # 5/1/2026 is May 1 in the United States and 5 January in most of the world: say which.
            warnings.append(
                _("“%(value)s” was read month first, as %(date)s. Write dates as year-month-day to be sure.")
                % {"value": raw.strip(), "date": parsed.value.isoformat()}
            )
        return parsed.value

    def _parse_int(self, raw: object, warnings: list[str]) -> int:
        if isinstance(raw, int) and not isinstance(raw, bool):
            value = raw
        else:
            try:
                parsed = parse_int(self._text(raw))
            except NumberError as exc:
                raise CellError(_("“%(value)s” is not a whole number.") % {"value": raw}) from exc
            if parsed.converted_from:
                warnings.append(_converted_warning(parsed.converted_from, str(parsed.value)))
            value = parsed.value
        if self.column.min_value is not None and value < self.column.min_value:
            raise CellError(
                _("%(value)d is below the smallest allowed, %(min)d.")
                % {"value": value, "min": self.column.min_value}
            )
        if self.column.max_value is not None and value > self.column.max_value:
            raise CellError(
                _("%(value)d is above the largest allowed, %(max)d.")
                % {"value": value, "max": self.column.max_value}
            )
        return value

    def _parse_bool(self, raw: object, warnings: list[str]) -> bool:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, int) and raw in (0, 1):
            return bool(raw)
        text = self._text(raw).strip().casefold()
        if text in self.yes_words:
            return True
        if text in self.no_words:
            return False
        raise CellError(_("“%(value)s” is not yes or no.") % {"value": raw})

    def _parse_choice(self, raw: object, warnings: list[str]) -> str:
        text = self._text(raw)
        value = self.choice_map.get(fold_name(text))
        if value is None:
            allowed = ", ".join(v for v in self.choice_labels if v)
            raise CellError(
                _("“%(value)s” is not one of: %(allowed)s.") % {"value": text, "allowed": allowed}
            )
        return value

    def _parse_list(self, raw: object, warnings: list[str]) -> list[str]:
        items = []
        for part in re.split(r"[;\n]", self._text(raw)):
            item = part.strip()
            if item and item not in items:
                self._check_length(item, self.column.item_max_length)
                items.append(item)
        return items


def _converted_warning(original: str, converted: str) -> str:
    return _("Read as “%(converted)s”: the original “%(original)s” was written with other digits.") % {
        "converted": converted,
        "original": original,
    }


def _ambiguous_slash_date(value: dt.date, text: str) -> bool:
    """A month/day/year date that reads as another date day first (both parts 12 or less, and
    not the same)."""
    parts = text.split("/")
    return len(parts) == 3 and value.day <= 12 and value.day != value.month
