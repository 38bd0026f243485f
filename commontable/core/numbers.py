"""Numbers and dates parsed on purpose.

Python's `int()` and `Decimal()` silently accept Arabic-Indic (١٢٣), Devanagari and full-width
(１２３) digits. Data that arrives that way is converted *visibly* (the caller is told, so a
preview can show it) or refused; it is never taken by accident.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

ASCII_INT = re.compile(r"^[+-]?[0-9]+$")
ASCII_DECIMAL = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$")


class NumberError(ValueError):
    pass


@dataclass(frozen=True)
class Parsed:
    value: object
    converted_from: str | None = None  # the original text when non-ASCII digits were converted


def to_ascii_digits(text: str) -> tuple[str, bool]:
    """Replace every Unicode decimal digit by its ASCII digit; say whether any was replaced."""
    out = []
    converted = False
    for ch in text:
        if ch.isdigit() and not ("0" <= ch <= "9"):
            try:
                out.append(str(unicodedata.decimal(ch)))
                converted = True
                continue
            except ValueError:
                pass
        out.append(ch)
    return "".join(out), converted


def _prepare(text: str, allow_conversion: bool) -> tuple[str, bool]:
    text = unicodedata.normalize("NFC", text).strip().replace("\u00a0", "").replace(",", "")
    ascii_text, converted = to_ascii_digits(text)
    if converted and not allow_conversion:
        raise NumberError("non-ascii-digits")
    return ascii_text, converted


def parse_int(text: str, *, allow_conversion: bool = True) -> Parsed:
    original = text
    ascii_text, converted = _prepare(text, allow_conversion)
    if not ASCII_INT.match(ascii_text):
        raise NumberError("not-an-integer")
    return Parsed(int(ascii_text), original.strip() if converted else None)


def parse_decimal(text: str, *, allow_conversion: bool = True) -> Parsed:
    original = text
    ascii_text, converted = _prepare(text.replace("$", ""), allow_conversion)
    if not ASCII_DECIMAL.match(ascii_text):
        raise NumberError("not-a-number")
    try:
        return Parsed(Decimal(ascii_text), original.strip() if converted else None)
    except InvalidOperation as exc:  # pragma: no cover - the regex already guards this
        raise NumberError("not-a-number") from exc


DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y")


# The years a date may have, in files and forms alike: a year like 9999 is a slip of the keyboard,
# and date arithmetic on it (a term's default end, a schedule's next meeting) fails.
FIRST_YEAR, LAST_YEAR = 1900, 2200


def parse_date(value: object, *, allow_conversion: bool = True) -> Parsed:
    """ISO dates (2024-03-05) and US dates (3/5/2024); XLSX cells arrive as datetimes."""
    if isinstance(value, dt.datetime):
        return Parsed(value.date())
    if isinstance(value, dt.date):
        return Parsed(value)
    text = str(value).strip()
    ascii_text, converted = to_ascii_digits(text)
    if converted and not allow_conversion:
        raise NumberError("non-ascii-digits")
    for fmt in DATE_FORMATS:
        try:
            parsed = dt.datetime.strptime(ascii_text, fmt).date()
        except ValueError:
            continue
        if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
            raise NumberError("date-out-of-range")
        return Parsed(parsed, text if converted else None)
    raise NumberError("not-a-date")
