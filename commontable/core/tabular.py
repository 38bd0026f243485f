"""Reading uploaded CSV and XLSX files into rows, with every problem named by row.

The reader never guesses silently: it sniffs the real type (a PNG renamed .csv is refused), takes
UTF-8 with or without BOM (and UTF-16) and falls back to Windows-1252 only with a notice, detects
`,` `;` and tab delimiters (and Excel's `sep=;` first line), and refuses NUL bytes, missing or
duplicate headers, overlong cells and control characters — naming every offending row, not only
the first one, so a person can fix the whole file in one pass.

Row numbers are the ones a spreadsheet program shows: the header is row 1, blank lines count, and a
quoted cell spanning several lines is still one row.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from commontable.core.text import has_control_characters
from commontable.core.uploads import sniff_kind

MAX_ROWS = 200_000
MAX_CELL = 10_000
MAX_MESSAGES = 50  # a file with thousands of bad rows needs the first few named, not all of them
MAX_XLSX_UNPACKED = 300 * 1024 * 1024  # a zip bomb disguised as a spreadsheet stops here
# A spreadsheet's parts pack 5 to 50 times; hundreds of times is a file made to swell once read
# (millions of tiny shared strings cost the reader gigabytes). Small files may pack as they like.
MAX_XLSX_RATIO = 200
RATIO_CHECKED_ABOVE = 32 * 1024 * 1024

# Names of the kinds `sniff_kind` reports, in the user's language.
KIND_NAMES = {
    "PNG": gettext_lazy("PNG image"),
    "JPEG": gettext_lazy("JPEG image"),
    "GIF": gettext_lazy("GIF image"),
    "PDF": gettext_lazy("PDF document"),
    "gzip": gettext_lazy("gzip archive"),
    "7-Zip": gettext_lazy("7-Zip archive"),
    "RAR": gettext_lazy("RAR archive"),
    "Windows program": gettext_lazy("Windows program"),
    "executable": gettext_lazy("program"),
    "old Microsoft Office": gettext_lazy("old Microsoft Office (.xls or .doc)"),
    "RIFF media": gettext_lazy("audio or video"),
    "icon": gettext_lazy("icon"),
    "zip": gettext_lazy("ZIP archive"),
    "binary": gettext_lazy("binary (not text)"),
    "HTML or SVG": gettext_lazy("HTML or SVG"),
}


class TabularError(Exception):
    """The file as a whole cannot be read; nothing is imported. `messages` are in the user's
    language and name the row (and column) of each problem."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = [str(m) for m in messages]


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, dict[str, object]]]  # (row number as the user sees it, values by header)
    notices: list[str] = field(default_factory=list)
    sheet: str = ""  # the worksheet's name (XLSX only)


class _Problems:
    """Collects row-numbered messages up to MAX_MESSAGES, then counts the rest."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.more = 0

    def add(self, message: str) -> None:
        if len(self.messages) < MAX_MESSAGES:
            self.messages.append(message)
        else:
            self.more += 1

    def raise_if_any(self) -> None:
        if self.messages:
            messages = list(self.messages)
            if self.more:
                messages.append(_("…and %(count)d more problems of the same kinds.") % {"count": self.more})
            raise TabularError(messages)


def _looks_like_utf16_without_bom(data: bytes) -> str | None:
    sample = data[:2000]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _text_with_nul_bytes(data: bytes) -> bool:
    """A text file with a few NUL bytes in it (a damaged export), rather than a binary file: the
    reader then names the rows that hold them."""
    sample = data[:4096]
    nuls = sample.count(0)
    rest = sample.replace(b"\x00", b"")
    printable = sum(32 <= b < 127 or b in (9, 10, 13) or b >= 128 for b in rest)
    return nuls < 0.05 * len(sample) and printable > 0.98 * max(len(rest), 1)


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


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
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    # A file that is mostly valid UTF-8 with a few broken bytes was damaged (or pasted together
    # from two sources); reading it all as Windows-1252 would garble every accented letter.
    replaced = data.decode("utf-8", errors="replace")
    if any(ord(ch) > 127 and ch != "\ufffd" for ch in replaced):
        raise TabularError(
            [
                _(
                    "Row %(row)d has a character that is not valid UTF-8, while the rest of the file is "
                    "UTF-8. Fix that character, or save the whole file again as UTF-8 CSV."
                )
                % {"row": _line_of(data, first_bad)}
            ]
        )
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise TabularError(
            [
                _(
                    "Row %(row)d: the file's text encoding could not be read. "
                    "Save it as UTF-8 CSV and try again."
                )
                % {"row": _line_of(data, exc.start)}
            ]
        ) from exc
    notices.append(
        _(
            "The file was not UTF-8; it was read as Windows-1252 (Western European). "
            "Check accented letters in the preview."
        )
    )
    return text, notices


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            count += 1
    return count


def _sniff_delimiter(first_line: str) -> str:
    counts = {delim: _count_outside_quotes(first_line, delim) for delim in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


SEP_LINE = re.compile(r"^\s*sep=(.)\s*$", re.IGNORECASE)


def _check_headers(raw: list[str]) -> list[str]:
    headers = [h.strip() for h in raw]
    while headers and not headers[-1]:
        headers.pop()  # spreadsheets often leave empty cells after the last column
    if not any(headers):
        raise TabularError([_("Row 1 must hold the column names; it is empty.")])
    errors = []
    seen: set[str] = set()
    for number, header in enumerate(headers, start=1):
        if not header:
            errors.append(_("Row 1: column %(number)d has no name.") % {"number": number})
            continue
        if has_control_characters(header):
            errors.append(
                _("Row 1: the name of column %(number)d contains control characters.") % {"number": number}
            )
            continue
        if len(header) > 200:
            errors.append(_("Row 1: the name of column %(number)d is too long.") % {"number": number})
            continue
        key = header.casefold()
        if key in seen:
            errors.append(_("Row 1: the column “%(name)s” appears twice.") % {"name": header})
        seen.add(key)
    if errors:
        raise TabularError(errors)
    return headers


def _read_csv(data: bytes) -> Table:
    encoding = None if data.startswith((b"\xff\xfe", b"\xfe\xff")) else _looks_like_utf16_without_bom(data)
    if encoding:
        try:
            text, notices = data.decode(encoding), []
        except UnicodeDecodeError as exc:
            raise TabularError([_("The file is not valid UTF-16 text.")]) from exc
    else:
        if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            problems = _Problems()
            lines = sorted({_line_of(data, m.start()) for m in re.finditer(b"\x00", data[:1_000_000])})
            for line in lines[:MAX_MESSAGES]:
                problems.add(
                    _("Row %(row)d contains a NUL byte: this does not look like a text file.") % {"row": line}
                )
            problems.more = max(0, len(lines) - MAX_MESSAGES)
            problems.raise_if_any()
        head = data[:4096]
        controls = sum(1 for b in head if (b < 32 and b not in (9, 10, 13)) or b == 127)
        if len(head) >= 1024 and controls > 0.1 * len(head):
            raise TabularError(
                [_("This does not look like a text (CSV) file. Upload a CSV or XLSX spreadsheet.")]
            )
        text, notices = _decode(data)
    if not text.strip():
        raise TabularError([_("The file is empty.")])
    first_line, _sep, rest = text.partition("\n")
    offset = 0
    sep_match = SEP_LINE.match(first_line)
    if sep_match and sep_match.group(1) in ",;\t|":
        delimiter = sep_match.group(1)
        text = rest
        offset = 1
    else:
        delimiter = _sniff_delimiter(first_line)
    if delimiter != ",":
        notices.append(
            _("Columns are separated by “%(delim)s”.")
            % {"delim": _("TAB") if delimiter == "\t" else delimiter}
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = offset
    try:
        raw_headers = next(reader)
        number += 1
    except StopIteration as exc:
        raise TabularError([_("The file is empty.")]) from exc
    except csv.Error as exc:
        raise TabularError(
            [_("Row 1 (the column names) could not be read; check its quotation marks.")]
        ) from exc
    headers = _check_headers(raw_headers)
    width = len(headers)
    rows: list[tuple[int, dict[str, object]]] = []
    problems = _Problems()
    try:
        for cells in reader:
            number += 1
            if not cells or not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise TabularError(
                    [
                        _("The file has more than %(max)d rows; split it into smaller files.")
                        % {"max": MAX_ROWS}
                    ]
                )
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                problems.add(
                    _("Row %(row)d has %(cells)d cells but there are only %(columns)d columns.")
                    % {"row": number, "cells": len(cells), "columns": width}
                )
                continue
            if len(cells) < width:
                cells = cells + [""] * (width - len(cells))
            rows.append((number, dict(zip(headers, cells, strict=False))))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            problems.add(
                _(
                    "Row %(row)d has a cell longer than %(max)d characters "
                    "(perhaps a quotation mark is not closed)."
                )
                % {"row": number + 1, "max": MAX_CELL}
            )
        else:
            problems.add(_("Row %(row)d could not be read; check its quotation marks.") % {"row": number + 1})
    problems.raise_if_any()
    return Table(headers, rows, notices)


def _xlsx_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)  # 6125550100.0 is how a spreadsheet keeps a phone number typed as a number
    return value


def _open_workbook(data: bytes):
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise TabularError(
            [_("The spreadsheet could not be opened; it may be damaged or not an .xlsx file.")]
        ) from exc
    if unpacked > MAX_XLSX_UNPACKED or (unpacked > RATIO_CHECKED_ABOVE and unpacked > MAX_XLSX_RATIO * len(data)):
        raise TabularError([_("The spreadsheet is too large once unpacked; split it into smaller files.")])
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise TabularError(
            [_("The spreadsheet could not be opened; it may be damaged or not an .xlsx file.")]
        ) from exc


def list_sheets(data: bytes) -> list[str]:
    """The worksheet names of an XLSX file, in order; [] for anything else."""
    if sniff_kind(data) != "xlsx":
        return []
    workbook = _open_workbook(data)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def _read_xlsx(data: bytes, sheet_name: str | None) -> Table:
    workbook = _open_workbook(data)
    try:
        notices = []
        if sheet_name is None:
            sheet = workbook.worksheets[0]
            if len(workbook.worksheets) > 1:
                notices.append(_("Only the first sheet, “%(name)s”, was read.") % {"name": sheet.title})
        else:
            sheet = workbook[sheet_name]
        # Some programs write a wrong size into the file; without this, rows would silently go missing.
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()
        iterator = sheet.iter_rows(values_only=True)
        try:
            header_row = next(iterator, None)
        except Exception as exc:
            raise TabularError(
                [_("The spreadsheet could not be opened; it may be damaged or not an .xlsx file.")]
            ) from exc
        if header_row is None:
            raise TabularError([_("The file is empty.")])
        headers = _check_headers(["" if v is None else str(_xlsx_value(v)) for v in header_row])
        width = len(headers)
        rows: list[tuple[int, dict[str, object]]] = []
        problems = _Problems()
        try:
            for number, values in enumerate(iterator, start=2):
                if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                    continue
                if len(rows) >= MAX_ROWS:
                    raise TabularError(
                        [
                            _("The file has more than %(max)d rows; split it into smaller files.")
                            % {"max": MAX_ROWS}
                        ]
                    )
                if len(values) > width and any(v is not None and str(v).strip() for v in values[width:]):
                    problems.add(_("Row %(row)d has cells beyond the last named column.") % {"row": number})
                    continue
                rows.append(
                    (
                        number,
                        {h: _xlsx_value(values[i]) if i < len(values) else "" for i, h in enumerate(headers)},
                    )
                )
        except TabularError:
            raise
        except Exception as exc:
            raise TabularError(
                [
                    _("The spreadsheet could not be read past row %(row)d; it may be damaged.")
                    % {"row": len(rows) + 1}
                ]
            ) from exc
        problems.raise_if_any()
        unsaved = _formulas_without_results(data, getattr(sheet, "_worksheet_path", ""))
        if unsaved:
            notices.append(
                ngettext(
                    "%(count)d cell holds a formula whose result the file does not keep; it was read as blank. "
                    "Open the file in a spreadsheet program and save it again to keep the results.",
                    "%(count)d cells hold a formula whose result the file does not keep; they were read as blank. "
                    "Open the file in a spreadsheet program and save it again to keep the results.",
                    unsaved,
                )
                % {"count": unsaved}
            )
        return Table(headers, rows, notices, sheet=sheet.title)
    finally:
        workbook.close()


# A cell whose formula ends the cell, with no value (<v>) or an empty one after it: a result never saved (files
# written by scripts; spreadsheet programs save one). The reader sees such a cell as blank.
_FORMULA_WITHOUT_VALUE = re.compile(rb"(?:</f>|<f\b[^>]*/>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>")


def _formulas_without_results(data: bytes, part: str, chunk: int = 1 << 20, overlap: int = 1024) -> int:
    """Counted while streaming the sheet's part (it can be hundreds of megabytes unpacked): each
    chunk is searched with the end of the one before, and a match is counted in the chunk where
    it ends."""
    if not part:
        return 0
    found = 0
    tail = b""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(part.lstrip("/")) as xml:
            while block := xml.read(chunk):
                window = tail + block
                found += sum(1 for match in _FORMULA_WITHOUT_VALUE.finditer(window) if match.end() > len(tail))
                tail = window[-overlap:]
    except (KeyError, zipfile.BadZipFile):
        return 0
    return found


def _check_cells(table: Table) -> None:
    problems = _Problems()
    for number, row in table.rows:
        texts = [v for v in row.values() if isinstance(v, str)]
        joined = "\n".join(texts)
        if len(joined) <= MAX_CELL and not has_control_characters(joined):
            continue  # the common case, settled with one check per row instead of one per cell
        for header, value in row.items():
            if isinstance(value, str):
                if len(value) > MAX_CELL:
                    problems.add(
                        _("Row %(row)d, column “%(col)s”: the cell is longer than %(max)d characters.")
                        % {"row": number, "col": header, "max": MAX_CELL}
                    )
                elif has_control_characters(value):
                    problems.add(
                        _(
                            "Row %(row)d, column “%(col)s”: "
                            "the cell contains control characters (such as NUL)."
                        )
                        % {"row": number, "col": header}
                    )
    problems.raise_if_any()


def read_table(data: bytes, filename: str, *, sheet: str | None = None) -> Table:
    """Read an uploaded CSV or XLSX file (the named sheet, or the first). Raises TabularError
    naming, by row, everything that is wrong with the file as a file."""
    if not data or not data.strip():
        raise TabularError([_("The file is empty.")])
    kind = sniff_kind(data)
    if kind == "xlsx":
        table = _read_xlsx(data, sheet)
    elif (
        kind == "text"
        or _looks_like_utf16_without_bom(data)
        or (kind == "binary" and _text_with_nul_bytes(data))
    ):
        table = _read_csv(data)
    elif kind == "damaged zip":
        raise TabularError(
            [
                _("“%(name)s” could not be opened: it looks like a damaged .xlsx (or ZIP) file.")
                % {"name": filename}
            ]
        )
    elif kind == "old Microsoft Office":
        raise TabularError(
            [
                _("“%(name)s” is an old-style Excel (.xls) file. Save it as .xlsx or CSV and upload that.")
                % {"name": filename}
            ]
        )
    else:
        raise TabularError(
            [
                _("“%(name)s” is a %(kind)s file, not a CSV or XLSX spreadsheet.")
                % {"name": filename, "kind": KIND_NAMES.get(kind, kind)}
            ]
        )
    _check_cells(table)
    return table
