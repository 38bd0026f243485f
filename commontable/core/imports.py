"""Imports: upload → preview with every row's problems → apply all or nothing.

An app declares what it can import with an `ImportSpec` (its columns, natural key, how to find
existing records in bulk and how to write them in bulk) and registers it with `register_import`
from its `AppConfig.ready()`. Everything else is shared: reading the file (`core.tabular`),
matching headers, parsing each cell on purpose (dates, numbers with non-ASCII digits converted
*visibly*, yes/no, choices, lists), refusing duplicate rows, the preview, the single transaction
and the one audit entry per import.

    validate(spec, table)         -> Preview      (pure: reads the database, writes nothing)
    validate_file(spec, data, …)  -> Preview      (reads the file, sheets and companion sheets)
    import_batch_create(…)        -> (ImportBatch | None, Preview)
    import_batch_apply(batch=…)   -> Preview      (re-validates; writes everything or nothing)
    import_batch_apply_later(…)                   (the same, as a background task, with progress)
    import_progress(batch)        -> Progress | None

Validation never queries per row: a spec's `resolve` looks up existing records for all rows at
once (`lookup_in` splits long `IN` lists), and `write` uses `bulk_create`/`bulk_update` in batches.
Rules for blank cells: a blank cell never erases what is stored; a column that is absent from the
file is not touched at all.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.tasks import task
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy, ngettext, override
from django.utils.translation import gettext as _

from commontable.core.audit import log_action
from commontable.core.bulk import WRITE_BATCH, bulk_session, chunks, insert_history, insert_rows, lookup_in
from commontable.core.cells import (
    MAX_PLAIN,
    NOT_DIGIT,
    PHONE_OTHER,
    SIMPLE_EMAIL,
    CellError,
    CellParser,
    Column,
    display_value,
)
from commontable.core.indicators import data_changed
from commontable.core.models import ImportBatch
from commontable.core.tabular import Table, TabularError, list_sheets, read_table

# What importers use, from one place.
__all__ = [
    "ACTION_CREATE",
    "ACTION_ERROR",
    "ACTION_UNCHANGED",
    "ACTION_UPDATE",
    "WRITE_BATCH",
    "CellError",
    "Column",
    "ImportRefused",
    "ImportSpec",
    "Preview",
    "Problem",
    "Row",
    "chunks",
    "display_value",
    "get_import",
    "import_batch_apply",
    "import_batch_create",
    "import_batch_preview",
    "import_file_apply",
    "imports_for",
    "insert_history",
    "insert_rows",
    "lookup_in",
    "register_import",
    "registered_imports",
    "validate",
    "validate_file",
]
HEADER_FOLD = re.compile(r"[\s\-./]+")
ACTION_CREATE, ACTION_UPDATE, ACTION_UNCHANGED, ACTION_ERROR = "create", "update", "unchanged", "error"
ACTION_LABELS = {
    ACTION_CREATE: gettext_lazy("New"),
    ACTION_UPDATE: gettext_lazy("Update"),
    ACTION_UNCHANGED: gettext_lazy("Unchanged"),
    ACTION_ERROR: gettext_lazy("Error"),
}


@dataclass
class Problem:
    """An error or warning about the file, a row or one cell of a row."""

    message: str
    row: int | None = None
    column: str | None = None
    sheet: str = ""

    def __str__(self) -> str:
        place = []
        if self.sheet:
            place.append(_("sheet “%(sheet)s”") % {"sheet": self.sheet})
        if self.row is not None:
            place.append(_("row %(row)d") % {"row": self.row})
        if self.column:
            place.append(_("column “%(column)s”") % {"column": self.column})
        if not place:
            return self.message
        where = ", ".join(place)
        return f"{where[:1].upper()}{where[1:]}: {self.message}"


@dataclass
class Row:
    """One row of the file as the preview shows it and `write` uses it."""

    number: int
    display: dict[str, str] = field(default_factory=dict)  # what each cell shows, by column name
    values: dict[str, object] = field(default_factory=dict)  # parsed; None = blank; absent = no column
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    action: str = ""
    key: Hashable | None = None
    changes: list[str] = field(default_factory=list)  # human descriptions of what will change
    target: object = None  # the existing record this row updates
    extra: dict = field(default_factory=dict)  # the spec's own notes between resolve and write

    def error(self, message: str, column: str | None = None) -> None:
        self.errors.append(Problem(message, self.number, column))

    def warn(self, message: str, column: str | None = None) -> None:
        self.warnings.append(Problem(message, self.number, column))

    def get(self, name: str, default=None):
        value = self.values.get(name)
        return default if value is None else value

    def has(self, name: str) -> bool:
        """The column is in the file and this row's cell is not blank."""
        return self.values.get(name) is not None

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, ""))

    def cell(self, name: str) -> dict:
        """What the preview shows in one cell: its value and its problems, as text."""
        return {
            "value": self.display.get(name, ""),
            "errors": [p.message for p in self.errors if p.column == name],
            "warnings": [p.message for p in self.warnings if p.column == name],
        }

    def row_errors(self) -> list[str]:
        return [p.message for p in self.errors if p.column is None]

    def row_warnings(self) -> list[str]:
        return [p.message for p in self.warnings if p.column is None]


@dataclass
class Preview:
    """The result of checking a file: every row with its action and problems, and what is wrong
    with the file as a whole. Nothing has been written."""

    spec: ImportSpec
    filename: str = ""
    rows: list[Row] = field(default_factory=list)
    file_errors: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)  # the spec's columns found in the file
    headers: dict[str, str] = field(default_factory=dict)  # column name → header as written
    ignored_headers: list[str] = field(default_factory=list)
    companions: dict[str, Preview] = field(default_factory=dict)
    sheet: str = ""
    in_workbook: bool = False  # several sheets were read: name the sheet in every message

    @property
    def counts(self) -> dict[str, int]:
        counts = {ACTION_CREATE: 0, ACTION_UPDATE: 0, ACTION_UNCHANGED: 0, ACTION_ERROR: 0, "warning": 0}
        for row in self.rows:
            counts[row.action] = counts.get(row.action, 0) + 1
            if row.warnings:
                counts["warning"] += 1
        counts["total"] = len(self.rows)
        return counts

    @property
    def has_errors(self) -> bool:
        return (
            bool(self.file_errors)
            or any(r.errors for r in self.rows)
            or any(c.has_errors for c in self.companions.values())
        )

    @property
    def error_count(self) -> int:
        return (
            len(self.file_errors)
            + sum(len(r.errors) for r in self.rows)
            + sum(c.error_count for c in self.companions.values())
        )

    def problems(self, *, warnings: bool = False) -> Iterator[Problem]:
        """Every problem, in file order, with sheet names when the file has several sheets."""
        for companion in self.companions.values():
            yield from companion.problems(warnings=warnings)
        for row in [None, *self.rows]:
            found = self.file_errors if row is None else row.errors + (row.warnings if warnings else [])
            for problem in found:
                if self.in_workbook and self.sheet and not problem.sheet:
                    problem.sheet = self.sheet
                yield problem

    def plan_digest(self) -> str:
        """What applying would do, row by row, companions included: the preview page posts it with
        its Apply button, so that a file whose outcome changed since the person looked (a record
        another person created or changed meanwhile) is not applied unseen."""
        digest = hashlib.sha256()
        for kind, companion in sorted(self.companions.items()):
            digest.update(f"{kind}:{companion.plan_digest()}\n".encode())
        for row in self.rows:
            target = getattr(row.target, "pk", "")
            digest.update(f"{row.number}|{row.action}|{target}|{'|'.join(map(str, row.changes))}\n".encode())
        return digest.hexdigest()[:32]

    def summary(self) -> dict:
        """Counts for the batch record and its audit entry."""
        data = {"rows": len(self.rows), "counts": self.counts, "errors": self.error_count}
        if self.companions:
            data["companions"] = {kind: c.summary() for kind, c in self.companions.items()}
        return data


class ImportSpec:
    """What one importer understands and how it finds and writes records. Subclass, set the class
    attributes, implement `natural_key`, `resolve` and `write`, and register an instance."""

    kind: str = ""
    label: str | Promise = ""
    description: str | Promise = ""
    columns: Sequence[Column] = ()
    permission: str = ""  # checked with user.has_perm; core knows nothing of the app's rules
    key_help: str | Promise = ""  # how rows are matched to existing records, for the upload page
    companions: tuple[str, ...] = ()  # kinds whose sheets may travel in the same workbook
    sheet_names: tuple[str, ...] = ()  # worksheet names that hold this kind (besides kind, label)

    def allows(self, user) -> bool:
        return bool(user and user.is_authenticated and self.permission and user.has_perm(self.permission))

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    def matches_sheet(self, title: str) -> bool:
        """Whether a workbook's sheet is this spec's: by its kind, its extra names, or its label
        in any of the site's languages, whoever reads the file (a workbook named in Spanish is
        read the same by a colleague working in English)."""
        return _fold_header(title) in self._sheet_titles()

    def _sheet_titles(self) -> frozenset[str]:
        found = self.__dict__.get("_titles")
        if found is None:
            names = {self.kind, *self.sheet_names}
            for code, _name in settings.LANGUAGES:
                with override(code):
                    names.add(str(self.label))
            found = self.__dict__["_titles"] = frozenset(_fold_header(name) for name in names)
        return found

    # -- hooks -------------------------------------------------------------------------------
    def clean_row(self, row: Row) -> None:
        """Checks across the cells of one row (no database). Add errors with row.error()."""

    def prepare(self, rows: list[Row], *, companions: dict[str, Preview]) -> None:
        """Bulk look-ups the natural key depends on (e.g. which organisation a row names), before
        duplicates are looked for. Called with every row, including rows with errors (whose bad
        cells are None). Add errors with row.error(); must not write."""

    def natural_key(self, row: Row) -> Hashable | None:
        """The key that identifies the record this row is about; None when it has none (the spec
        should then have added an error)."""
        raise NotImplementedError

    def describe_key(self, key: Hashable) -> str:
        """The key in words, for 'row 12 repeats row 5' messages."""
        return str(key)

    def resolve(self, rows: list[Row], *, companions: dict[str, Preview]) -> None:
        """Find the existing records for all rows at once and set each row's `action`
        (create/update/unchanged), `changes` and `target`, or add errors. Rows given here have
        no errors yet. Must not write."""
        raise NotImplementedError

    def notices(self, rows: list[Row]) -> list[str]:
        """Remarks about the file as a whole, after `resolve` (one notice rather than a warning on
        every row)."""
        return []

    def write(self, rows: list[Row], *, actor, batch: ImportBatch) -> dict[str, int]:
        """Create and update the records of rows whose action is create or update, in bulk.
        Runs inside the import's transaction; returns counts for the summary."""
        raise NotImplementedError


class ImportRefused(Exception):
    """Applying was refused; `preview` (when there is one) holds the reasons, row by row."""

    def __init__(self, message: str, preview: Preview | None = None):
        super().__init__(message)
        self.message = message
        self.preview = preview


# -- registry --------------------------------------------------------------------------------

_registry: dict[str, ImportSpec] = {}


def register_import(spec: ImportSpec) -> ImportSpec:
    """Declare an importer; apps call this from AppConfig.ready()."""
    if not spec.kind or not re.fullmatch(r"[a-z][a-z0-9-]{0,39}", spec.kind):
        raise ValueError(f"import kind must be a short lowercase slug, not {spec.kind!r}")
    if not spec.permission:
        raise ValueError(f"import {spec.kind!r} must name the permission that allows it")
    existing = _registry.get(spec.kind)
    if existing is not None and type(existing) is not type(spec):
        raise ValueError(f"import kind {spec.kind!r} is already registered by {type(existing).__name__}")
    _registry[spec.kind] = spec
    return spec


def get_import(kind: str) -> ImportSpec | None:
    return _registry.get(kind)


def import_batch_get_for_user(user, public_id, *, kinds: Sequence[str] | None = None):
    """An uploaded file and its import, if `user` may use that import (and, given `kinds`, it is
    one of them); None otherwise, whether the batch exists or not, so pages answer 404 alike."""
    batches = ImportBatch.objects.select_related("created_by").filter(public_id=public_id)
    if kinds is not None:
        batches = batches.filter(kind__in=kinds)
    batch = batches.first()
    spec = get_import(batch.kind) if batch is not None else None
    if spec is None or not spec.allows(user):
        return None
    return batch, spec


def registered_imports() -> list[ImportSpec]:
    return list(_registry.values())


def imports_for(user) -> list[ImportSpec]:
    """The importers this user may use."""
    return [spec for spec in _registry.values() if spec.allows(user)]


# -- parsing ----------------------------------------------------------------------------------


def _fold_header(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", str(text).strip().rstrip("*").strip())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return HEADER_FOLD.sub("_", plain).strip("_")


# -- validation --------------------------------------------------------------------------------


def _match_headers(spec: ImportSpec, headers: list[str], preview: Preview) -> dict[str, str]:
    """Map each file header to a column name; problems go to preview.file_errors."""
    lookup: dict[str, str] = {}
    for column in spec.columns:
        for text in (column.name, str(column.label), *column.aliases):
            lookup.setdefault(_fold_header(text), column.name)
    mapping: dict[str, str] = {}  # header → column name
    claimed: dict[str, str] = {}  # column name → header
    for header in headers:
        name = lookup.get(_fold_header(header))
        if name is None:
            preview.ignored_headers.append(header)
            continue
        if name in claimed:
            preview.file_errors.append(
                Problem(
                    _("The columns “%(first)s” and “%(second)s” both mean “%(name)s”; keep only one.")
                    % {"first": claimed[name], "second": header, "name": name},
                    row=1,
                )
            )
            continue
        claimed[name] = header
        mapping[header] = name
    for column in spec.columns:
        if column.required and column.name not in claimed:
            preview.file_errors.append(
                Problem(_("The required column “%(name)s” is missing.") % {"name": column.name}, row=1)
            )
    if not claimed and headers:
        expected = ", ".join(c.name for c in spec.columns)
        preview.file_errors.append(
            Problem(
                _("None of the column names is one this import knows. Expected: %(names)s.")
                % {"names": expected},
                row=1,
            )
        )
    elif preview.ignored_headers:
        preview.notices.append(
            _("These columns are not imported and were ignored: %(names)s.")
            % {"names": ", ".join(f"“{h}”" for h in preview.ignored_headers)}
        )
    preview.headers = claimed
    preview.columns = [c for c in spec.columns if c.name in claimed]
    return mapping


def validate(
    spec: ImportSpec, table: Table, *, filename: str = "", companions: dict[str, Preview] | None = None
) -> Preview:
    """Check every row of `table` against `spec` and the database. Writes nothing."""
    preview = Preview(spec=spec, filename=filename, notices=list(table.notices), sheet=table.sheet)
    preview.companions = companions or {}
    mapping = _match_headers(spec, table.headers, preview)
    if preview.file_errors:
        return preview
    parsers = []
    for header, name in mapping.items():
        column = spec.column(name)
        # Plain text cells (most of a file) are taken inline: a function call per cell is what
        # an import of 100,000 rows spends its time on.
        plain_limit = (column.max_length or MAX_PLAIN) if column.kind == "text" else -1
        parser = CellParser(column)
        parsers.append((header, name, parser, column.required, plain_limit, _quick_cell(column, parser)))
    rows: list[Row] = []
    blank_required = _("This column must not be blank.")
    normalize = unicodedata.normalize
    for number, raw_row in table.rows:
        row = Row(number=number)
        values, display = row.values, row.display
        for header, name, parser, required, plain_limit, quick in parsers:
            raw = raw_row.get(header, "")
            if type(raw) is str:
                text = raw.strip()
                if not text:
                    values[name] = None
                    display[name] = ""
                    if required:
                        row.error(blank_required, name)
                    continue
                if text[0] != "'":
                    if plain_limit >= 0:
                        if not text.isascii():
                            text = normalize("NFC", text)  # what the parser does first
                        if len(text) <= plain_limit:
                            values[name] = display[name] = text
                            continue
                    elif quick is not None and text.isascii():
                        found = quick(text)
                        if found is not None:
                            values[name], display[name] = found
                            continue
            try:
                value, shown, warnings = parser(raw)
            except CellError as exc:
                values[name] = None
                display[name] = display_value(raw)
                row.error(str(exc), name)
                continue
            values[name] = value
            display[name] = shown
            for warning in warnings:
                row.warn(warning, name)
            if value is None and required:
                row.error(blank_required, name)
        if not row.errors:
            spec.clean_row(row)
        rows.append(row)
    preview.rows = rows
    # Every row, so that a row with a bad cell also hears about (say) an unknown organisation:
    # one pass over the file names all of its problems.
    spec.prepare(rows, companions=preview.companions)
    _mark_duplicates(spec, rows)
    clean = [row for row in rows if not row.errors]
    if clean:
        spec.resolve(clean, companions=preview.companions)
        preview.notices.extend(spec.notices(clean))
    for row in rows:
        if row.errors:
            row.action = ACTION_ERROR
        elif not row.action:
            raise AssertionError(f"{type(spec).__name__}.resolve left row {row.number} without an action")
    return preview


def _quick_cell(column: Column, parser: CellParser) -> Callable[[str], tuple[object, str] | None] | None:
    """For the commonest well-formed cells of a kind (an ASCII cell, stripped, not blank): the
    (value, display) the column's parser gives, or None to let the parser decide (and explain).
    Taken inline for yes/no, email and phone cells — at 100,000 rows, several function calls per
    cell are a good part of checking a file. Each accepts only what the parser accepts, as it is."""
    if column.kind == "bool":
        answers = dict.fromkeys(parser.no_words, (False, parser.no))
        answers.update(dict.fromkeys(parser.yes_words, (True, parser.yes)))  # yes first, as the parser
        return lambda text: answers.get(text.casefold())

    if column.kind == "email":
        limit = column.max_length or 254

        def email(text: str):
            text = text.lower()
            if len(text) <= limit and SIMPLE_EMAIL.match(text):
                return text, text
            return None

        return email
    if column.kind == "phone":
        limit = column.max_length or 40

        def phone(text: str):
            if 7 <= len(NOT_DIGIT.sub("", text)) <= 15 and len(text) <= limit and not PHONE_OTHER.search(text):
                return text, text
            return None

        return phone
    return None


def _mark_duplicates(spec: ImportSpec, rows: list[Row]) -> None:
    first_by_key: dict[Hashable, Row] = {}
    repeats: dict[int, list[int]] = {}
    for row in rows:
        if row.errors:
            continue
        key = spec.natural_key(row)
        row.key = key
        if key is None:
            continue
        first = first_by_key.get(key)
        if first is None:
            first_by_key[key] = row
            continue
        row.error(
            _("This row is about the same record as row %(first)d (%(key)s); a record may appear only once.")
            % {"first": first.number, "key": spec.describe_key(key)}
        )
        repeats.setdefault(first.number, []).append(row.number)
    if repeats:
        for row in first_by_key.values():
            if row.number in repeats:
                row.error(
                    _("The same record appears again in row %(rows)s; keep one row and delete the others.")
                    % {"rows": ", ".join(str(n) for n in repeats[row.number])}
                )


def validate_file(spec: ImportSpec, data: bytes, filename: str) -> Preview:
    """Read an uploaded file and check it. In an XLSX workbook, the sheet named for this import
    (or the first) is read, and sheets named for its companions are checked with it."""
    try:
        sheets = list_sheets(data)
        companions: dict[str, Preview] = {}
        main_sheet = None
        if sheets:
            claimed: set[str] = set()
            for kind in spec.companions:
                companion_spec = get_import(kind)
                if companion_spec is None:
                    continue
                for title in sheets:
                    if (
                        title not in claimed
                        and companion_spec.matches_sheet(title)
                        and not spec.matches_sheet(title)
                    ):
                        claimed.add(title)
                        companions[kind] = _validate_sheet(companion_spec, data, filename, title)
                        break
            main_sheet = next((t for t in sheets if spec.matches_sheet(t)), None)
            if main_sheet is None:
                main_sheet = next((t for t in sheets if t not in claimed), None)
            if main_sheet is None:
                raise TabularError([_("The workbook has no sheet for %(label)s.") % {"label": spec.label}])
            claimed.add(main_sheet)
        table = read_table(data, filename, sheet=main_sheet)
    except TabularError as exc:
        preview = Preview(spec=spec, filename=filename)
        preview.file_errors = [Problem(message) for message in exc.messages]
        return preview
    preview = validate(spec, table, filename=filename, companions=companions)
    if not preview.file_errors and not preview.rows and not any(c.rows for c in companions.values()):
        # Headers and nothing under them: applying would record an import of nothing.
        preview.file_errors.append(Problem(_("The file has a heading row but no rows under it: there is nothing "
                                             "to import.")))
    if sheets and len(sheets) > 1:
        read = [f"“{main_sheet}” ({spec.label})"] + [
            f"“{c.sheet}” ({c.spec.label})" for c in companions.values()
        ]
        ignored = [f"“{t}”" for t in sheets if t not in claimed]
        preview.notices.insert(0, _("Sheets read: %(read)s.") % {"read": ", ".join(read)})
        if ignored:
            preview.notices.insert(1, _("Sheets ignored: %(ignored)s.") % {"ignored": ", ".join(ignored)})
        preview.in_workbook = True
    return preview


def _validate_sheet(spec: ImportSpec, data: bytes, filename: str, title: str) -> Preview:
    try:
        table = read_table(data, filename, sheet=title)
    except TabularError as exc:
        preview = Preview(spec=spec, filename=filename, sheet=title)
        preview.file_errors = [Problem(message, sheet=title) for message in exc.messages]
        return preview
    preview = validate(spec, table, filename=filename)
    preview.in_workbook = True
    for problem in preview.file_errors:
        problem.sheet = title
    return preview


# -- services ---------------------------------------------------------------------------------


def import_batch_create(
    *, spec: ImportSpec, data: bytes, filename: str, actor
) -> tuple[ImportBatch | None, Preview]:
    """Check an uploaded file and keep it for preview. A file that cannot be read at all (or lacks
    required columns) is not kept: the batch is None and the preview names the problems."""
    filename = _clean_filename(filename)
    preview = validate_file(spec, data, filename)
    if preview.file_errors:
        return None, preview
    digest = hashlib.sha256(data).hexdigest()
    _note_earlier_application(preview, spec.kind, digest)
    batch = ImportBatch.objects.create(
        kind=spec.kind,
        filename=filename,
        content=data,
        sha256=digest,
        summary=preview.summary(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    return batch, preview


def _note_earlier_application(preview: Preview, kind: str, digest: str, exclude: int | None = None) -> None:
    """Say so when this very file (same bytes) was applied before: a second upload by mistake."""
    earlier = (
        ImportBatch.objects.filter(kind=kind, sha256=digest, status=ImportBatch.Status.APPLIED)
        .exclude(pk=exclude)
        .order_by("-applied_at")
        .first()
    )
    if earlier is not None:
        preview.notices.insert(
            0,
            _("This same file was already applied on %(date)s; rows that still match show as unchanged.")
            % {"date": date_format(timezone.localtime(earlier.applied_at), "SHORT_DATETIME_FORMAT")},
        )


def import_batch_preview(batch: ImportBatch) -> Preview:
    """Check a kept file again against the database as it is now (and in the reader's language),
    saying so if the same file was applied before."""
    spec = get_import(batch.kind)
    if spec is None:
        raise ImportRefused(_("This kind of import is no longer available."))
    preview = validate_file(spec, bytes(batch.content), batch.filename)
    if batch.sha256:
        _note_earlier_application(preview, batch.kind, batch.sha256, exclude=batch.pk)
    return preview


def import_batch_apply(*, batch: ImportBatch, actor, progress: Callable[[str], None] | None = None,
                       expected: str | None = None) -> Preview:
    """Apply a kept file: check it again (the database may have changed since the preview) and,
    if no row has an error, write every row in one transaction — companions first — with one
    audit entry on the batch. Refused (ImportRefused, nothing written, the batch marked refused)
    when any problem appears. Applying the same batch twice is refused; applying the same file in
    a new batch changes nothing (its rows are unchanged). `progress`, if given, hears each stage
    as it starts (`checking`, `writing`). `expected`, the `plan_digest` of the preview the person
    confirmed: if the check now plans otherwise, nothing is written and they are asked to look
    again (the batch stays ready)."""
    spec = get_import(batch.kind)
    if spec is None:
        raise ImportRefused(_("This kind of import is no longer available."))
    report = progress or (lambda stage: None)
    preview = None
    try:
        with bulk_session(), transaction.atomic():
            locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if locked.status == ImportBatch.Status.APPLIED:
                raise ImportRefused(_("This file was already applied."))
            report(STAGE_CHECKING)
            preview = validate_file(spec, bytes(locked.content), locked.filename)
            if preview.has_errors:
                raise ImportRefused(
                    ngettext(
                        "Nothing was imported: the file now has %(count)d problem.",
                        "Nothing was imported: the file now has %(count)d problems.",
                        preview.error_count,
                    )
                    % {"count": preview.error_count},
                    preview,
                )
            if expected is not None and preview.plan_digest() != expected:
                raise ImportRefused(_("The records changed since you checked this file, so nothing was written. "
                                      "Look at the preview again, and apply it if it is still right."))
            report(STAGE_WRITING)
            _write(spec, preview, locked, actor)
    except ImportRefused as exc:
        if exc.preview is not None:
            _mark_failed(batch, exc.preview.summary())
        raise
    except (DatabaseError, ValidationError) as exc:
        # A constraint the checks did not foresee (or a record written meanwhile): the transaction
        # is rolled back, so nothing was written.
        _mark_failed(batch, {**(preview.summary() if preview else {}), "database_error": type(exc).__name__})
        raise ImportRefused(
            _("The database refused the import, so nothing was written. Check the file again.")
        ) from exc
    batch.refresh_from_db()
    return preview


def import_file_apply(*, spec: ImportSpec, data: bytes, filename: str, actor) -> tuple[ImportBatch, Preview]:
    """Check and apply a file in one step (the management command): one transaction, one check.
    Refused (ImportRefused with the preview, nothing kept or written) when there is any problem;
    otherwise the batch is kept, already applied, with its audit entry."""
    filename = _clean_filename(filename)
    try:
        with bulk_session(), transaction.atomic():
            preview = validate_file(spec, data, filename)
            if preview.has_errors:
                raise ImportRefused(
                    ngettext(
                        "Nothing was imported: the file has %(count)d problem.",
                        "Nothing was imported: the file has %(count)d problems.",
                        preview.error_count,
                    )
                    % {"count": preview.error_count},
                    preview,
                )
            batch = ImportBatch.objects.create(
                kind=spec.kind,
                filename=filename,
                content=data,
                sha256=hashlib.sha256(data).hexdigest(),
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            _write(spec, preview, batch, actor)
    except (DatabaseError, ValidationError) as exc:
        raise ImportRefused(
            _("The database refused the import, so nothing was written. Check the file again.")
        ) from exc
    return batch, preview


def _write(spec: ImportSpec, preview: Preview, batch: ImportBatch, actor) -> None:
    """Companions first, then the main rows; then the batch's status and its one audit entry."""
    written: dict[str, dict[str, int]] = {}
    for kind, companion in preview.companions.items():
        written[kind] = companion.spec.write(_to_write(companion), actor=actor, batch=batch)
    written[spec.kind] = spec.write(_to_write(preview), actor=actor, batch=batch)
    # Bulk writes send no signals: tell the plan's figures that records changed.
    data_changed()
    summary = preview.summary()
    summary["written"] = written
    batch.status = ImportBatch.Status.APPLIED
    batch.applied_at = timezone.now()
    batch.summary = summary
    batch.save(update_fields=["status", "applied_at", "summary"])
    log_action(
        batch,
        "core.import.applied",
        actor=actor,
        data={"kind": spec.kind, "filename": batch.filename, **summary},
    )


def _clean_filename(filename: str) -> str:
    return (filename or "upload").replace("\\", "/").rsplit("/", 1)[-1][:255]


def _mark_failed(batch: ImportBatch, summary: dict) -> None:
    ImportBatch.objects.filter(pk=batch.pk).exclude(status=ImportBatch.Status.APPLIED).update(
        status=ImportBatch.Status.FAILED, summary=summary
    )


def _to_write(preview: Preview) -> list[Row]:
    return [row for row in preview.rows if row.action in (ACTION_CREATE, ACTION_UPDATE)]


def describe_counts(counts: dict[str, int]) -> str:
    """“3 new, 1 to update, 10 unchanged, 2 with errors” in the reader's language."""
    parts = [
        ngettext("%(n)d new", "%(n)d new", counts.get(ACTION_CREATE, 0))
        % {"n": counts.get(ACTION_CREATE, 0)},
        ngettext("%(n)d to update", "%(n)d to update", counts.get(ACTION_UPDATE, 0))
        % {"n": counts.get(ACTION_UPDATE, 0)},
        ngettext("%(n)d unchanged", "%(n)d unchanged", counts.get(ACTION_UNCHANGED, 0))
        % {"n": counts.get(ACTION_UNCHANGED, 0)},
        ngettext("%(n)d with errors", "%(n)d with errors", counts.get(ACTION_ERROR, 0))
        % {"n": counts.get(ACTION_ERROR, 0)},
    ]
    return ", ".join(parts)


def template_headers(spec: ImportSpec) -> list[str]:
    return [column.name for column in spec.columns]


# --- applying in the background -----------------------------------------------------------------
#
# A file of many thousand rows takes seconds to check again and write. The page then hands it to a
# background task (`django.tasks`) and shows its progress; the task calls `import_batch_apply`, so
# it is exactly as all-or-nothing as applying in the request. Progress lives in a cache every web
# process and the worker see (`progress_cache`) under the batch's public id; a lost entry only
# means "no news", and the batch's own status always says whether it was applied.

STAGE_QUEUED = "queued"
STAGE_CHECKING = "checking"
STAGE_WRITING = "writing"
STAGE_APPLIED = "applied"
STAGE_FAILED = "failed"
# Percent shown for each stage: checking again takes about a third of an import, writing the rest.
STAGE_PERCENT = {STAGE_QUEUED: 0, STAGE_CHECKING: 5, STAGE_WRITING: 40, STAGE_APPLIED: 100, STAGE_FAILED: 100}
PROGRESS_SECONDS = 24 * 3600
# From this many rows, pages apply a file in the background rather than within the request.
BACKGROUND_ROWS = 5000


@dataclass
class Progress:
    """Where a background import has got to. `message` (for a refused import) is in the language
    of the person who started it."""

    stage: str
    percent: int
    message: str = ""

    @property
    def finished(self) -> bool:
        return self.stage in (STAGE_APPLIED, STAGE_FAILED)


def _progress_key(batch: ImportBatch) -> str:
    return f"ct:import:progress:{batch.public_id}"


_file_cache = None


def progress_cache():
    """Where progress is kept. Stages are reported from inside the import's transaction, so a
    cache kept in the database (the default in production) would show them only at the end — and
    on SQLite could not be written at all while the import holds the write lock. Then a file cache
    beside the server is used (`COMMONTABLE_PROGRESS_DIR`, or the temporary directory): the web
    processes and the task worker of one machine share it. Any other cache is used as it is."""
    global _file_cache
    default = caches["default"]
    if not isinstance(default, DatabaseCache):
        return default
    if _file_cache is None:
        folder = getattr(settings, "COMMONTABLE_PROGRESS_DIR", "") or os.path.join(
            tempfile.gettempdir(), "commontable-import-progress"
        )
        _file_cache = FileBasedCache(folder, {"TIMEOUT": PROGRESS_SECONDS})
    return _file_cache


def _set_progress(batch: ImportBatch, stage: str, message: str = "") -> None:
    progress_cache().set(_progress_key(batch), {"stage": stage, "message": message}, PROGRESS_SECONDS)


def import_progress(batch: ImportBatch) -> Progress | None:
    """The progress of a background import of this batch, or None if none was started (or its
    news was lost: the batch's status then tells the outcome)."""
    found = progress_cache().get(_progress_key(batch))
    if found is None:
        return None
    stage = found.get("stage", STAGE_QUEUED)
    return Progress(stage=stage, percent=STAGE_PERCENT.get(stage, 0), message=found.get("message", ""))


def import_batch_row_count(batch: ImportBatch) -> int:
    """Rows the preview counted when the file was kept (0 if unknown)."""
    return sum((batch.summary or {}).get("counts", {}).values())


def import_batch_apply_later(*, batch: ImportBatch, actor, expected: str | None = None) -> None:
    """Apply the batch in a background task once the current transaction commits (the worker must
    see the batch), showing `queued` until the task starts. Refused at once if it was applied."""
    if batch.status == ImportBatch.Status.APPLIED:
        raise ImportRefused(_("This file was already applied."))
    _set_progress(batch, STAGE_QUEUED)
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    language = get_language()
    transaction.on_commit(lambda: import_batch_apply_task.enqueue(batch.pk, actor_id, language, expected))


@task()
def import_batch_apply_task(batch_id: int, actor_id: int | None, language: str | None = None,
                            expected: str | None = None) -> dict:
    """The background step: `import_batch_apply` with its progress kept for the progress page,
    in the language the person who started it was reading (else their preferred one). A refusal
    (nothing written) is kept as that page's message; the task itself succeeds, since the refusal
    is the answer."""
    from django.contrib.auth import get_user_model

    batch = ImportBatch.objects.get(pk=batch_id)
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    language = language or getattr(actor, "preferred_language", "") or None
    with override(language):
        try:
            preview = import_batch_apply(batch=batch, actor=actor, progress=lambda stage: _set_progress(batch, stage),
                                         expected=expected)
        except ImportRefused as refused:
            _set_progress(batch, STAGE_FAILED, str(refused.message))
            return {"applied": False}
        except Exception:
            # Not a refusal: still nothing was written (one transaction); say so, then let the
            # task backend record the error.
            _set_progress(batch, STAGE_FAILED, _("The import stopped before the end, so nothing was written."))
            raise
    _set_progress(batch, STAGE_APPLIED, _("Imported: %(counts)s.") % {"counts": describe_counts(preview.counts)})
    return {"applied": True, "counts": preview.counts}
