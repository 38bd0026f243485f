"""Reading uploaded CSV and XLSX files into rows, with every problem named by row.

The reader never guesses silently: it sniffs the real type (a PNG renamed .csv is refused), takes
UTF-8 with or without BOM and falls back to Windows-1252 only with a notice, detects `,` `;` and tab
delimiters, and refuses NUL bytes, missing or duplicate headers and overlong cells.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from commontable.core.text import has_control_characters
from commontable.core.uploads import sniff_kind

MAX_ROWS = 200_000
MAX_CELL = 10_000


class TabularError(Exception):
    """The file as a whole cannot be read; nothing is imported."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, dict[str, object]]]  # (row number as the user sees it, values by header)
    notices: list[str] = field(default_factory=list)


def _decode(data: bytes) -> tuple[str, list[str]]:
    notices: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), notices
        except UnicodeDecodeError as exc:
            raise TabularError([_("The file is not valid UTF-16 text.")]) from exc
    try:
        return data.decode("utf-8"), notices
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise TabularError([_("The file's text encoding could not be read. Save it as UTF-8 CSV and try again.")]) from exc
    notices.append(_("The file was not UTF-8; it was read as Windows-1252 (Western European). Check accented letters in the preview."))
    return text, notices


def _sniff_delimiter(first_line: str) -> str:
    counts = {delim: first_line.count(delim) for delim in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _check_headers(raw: list[str]) -> list[str]:
    headers = [h.strip() for h in raw]
    if not any(headers):
        raise TabularError([_("The first row must hold the column names; it is empty.")])
    errors = []
    seen: set[str] = set()
    for number, header in enumerate(headers, start=1):
        if not header:
            errors.append(_("Column %(number)d has no name in the header row.") % {"number": number})
            continue
        key = header.casefold()
        if key in seen:
            errors.append(_("The column “%(name)s” appears twice in the header row.") % {"name": header})
        seen.add(key)
    if errors:
        raise TabularError(errors)
    return headers


def _read_csv(data: bytes) -> Table:
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise TabularError([_("Row %(row)d contains a NUL byte: this does not look like a text file.") % {"row": line}])
    text, notices = _decode(data)
    if not text.strip():
        raise TabularError([_("The file is empty.")])
    delimiter = _sniff_delimiter(text.split("\n", 1)[0])
    if delimiter != ",":
        notices.append(_("Columns are separated by “%(delim)s”.") % {"delim": "TAB" if delimiter == "\t" else delimiter})
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        raw_headers = next(reader)
    except csv.Error as exc:
        raise TabularError([_("The header row could not be read: %(error)s") % {"error": exc}]) from exc
    headers = _check_headers(raw_headers)
    rows: list[tuple[int, dict[str, object]]] = []
    errors: list[str] = []
    try:
        for cells in reader:
            number = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise TabularError([_("The file has more than %(max)d rows; split it into smaller files.") % {"max": MAX_ROWS}])
            if len(cells) > len(headers) and any(c.strip() for c in cells[len(headers):]):
                errors.append(_("Row %(row)d has more cells than there are columns.") % {"row": number})
                continue
            rows.append((number, {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(headers)}))
    except csv.Error as exc:
        raise TabularError([_("Row %(row)d could not be read: %(error)s") % {"row": reader.line_num, "error": exc}]) from exc
    if errors:
        raise TabularError(errors)
    return Table(headers, rows, notices)


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise TabularError([_("The spreadsheet could not be opened; it may be damaged or not an .xlsx file.")]) from exc
    try:
        sheet = workbook.worksheets[0]
        iterator = sheet.iter_rows(values_only=True)
        try:
            header_row = next(iterator)
        except StopIteration as exc:
            raise TabularError([_("The file is empty.")]) from exc
        headers = _check_headers(["" if v is None else str(v) for v in header_row])
        rows: list[tuple[int, dict[str, object]]] = []
        for number, values in enumerate(iterator, start=2):
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise TabularError([_("The file has more than %(max)d rows; split it into smaller files.") % {"max": MAX_ROWS}])
            row = {}
            for i, header in enumerate(headers):
                value = values[i] if i < len(values) else None
                row[header] = "" if value is None else value
            rows.append((number, row))
        return Table(headers, rows, [])
    finally:
        workbook.close()


def read_table(data: bytes, filename: str) -> Table:
    """Read an uploaded CSV or XLSX file. Raises TabularError naming what is wrong."""
    if not data:
        raise TabularError([_("The file is empty.")])
    kind = sniff_kind(data)
    if kind == "xlsx":
        table = _read_xlsx(data)
    elif kind == "text":
        table = _read_csv(data)
    else:
        raise TabularError(
            [_("“%(name)s” is a %(kind)s file, not a CSV or XLSX spreadsheet.") % {"name": filename, "kind": kind}]
        )
    for number, row in table.rows:
        for header, value in row.items():
            if isinstance(value, str):
                if len(value) > MAX_CELL:
                    raise TabularError([_("Row %(row)d, column “%(col)s”: the cell is longer than %(max)d characters.") % {"row": number, "col": header, "max": MAX_CELL}])
                if has_control_characters(value):
                    raise TabularError([_("Row %(row)d, column “%(col)s”: the cell contains control characters.") % {"row": number, "col": header}])
    return table
