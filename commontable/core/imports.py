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

Validation never queries per row: a spec's `resolve` looks up existing records for all rows at
once (`lookup_in` splits long `IN` lists), and `write` uses `bulk_create`/`bulk_update` in batches.
Rules for blank cells: a blank cell never erases what is stored; a column that is absent from the
file is not touched at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from commontable.core.audit import log_action
from commontable.core.models import ImportBatch
from commontable.core.numbers import NumberError, parse_date, parse_int, to_ascii_digits
from commontable.core.tabular import Table, TabularError, list_sheets, read_table
from commontable.core.text import fold_name

KINDS = ("text", "email", "date", "int", "bool", "choice", "list", "url", "phone")
ACTION_CREATE, ACTION_UPDATE, ACTION_UNCHANGED, ACTION_ERROR = "create", "update", "unchanged", "error"
ACTION_LABELS = {
    ACTION_CREATE: gettext_lazy("New"),
    ACTION_UPDATE: gettext_lazy("Update"),
    ACTION_UNCHANGED: gettext_lazy("Unchanged"),
    ACTION_ERROR: gettext_lazy("Error"),
}
WRITE_BATCH = 1000
MAX_PLAIN = 10_000  # the reader refuses longer cells anyway

# Yes and no in the coalition's languages, as people type them in spreadsheets.
YES = {"yes", "y", "true", "t", "1", "x", "sí", "si", "haa", "yog", "✓", "✔"}
NO = {"no", "n", "false", "f", "0", "maya", "tsis", "tsis yog"}
FORMULA_ESCAPED = re.compile(r"^'[=+\-@\t\r]")
HEADER_FOLD = re.compile(r"[\s\-./]+")
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
        names = {self.kind, str(self.label), *self.sheet_names}
        return _fold_header(title) in {_fold_header(n) for n in names}

    # -- hooks -------------------------------------------------------------------------------
    def clean_row(self, row: Row) -> None:
        """Checks across the cells of one row (no database). Add errors with row.error()."""

    def prepare(self, rows: list[Row], *, companions: dict[str, Preview]) -> None:
        """Bulk look-ups the natural key depends on (e.g. which organisation a row names), before
        duplicates are looked for. Add errors with row.error(); must not write."""

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


def registered_imports() -> list[ImportSpec]:
    return list(_registry.values())


def imports_for(user) -> list[ImportSpec]:
    """The importers this user may use."""
    return [spec for spec in _registry.values() if spec.allows(user)]


# -- bulk helpers for specs --------------------------------------------------------------------


def chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def lookup_in(queryset, field_name: str, values: Iterable) -> list:
    """`queryset.filter(<field>__in=values)` for any number of values, in as few queries as the
    database allows (SQLite caps the number of parameters in one statement)."""
    values = sorted({v for v in values if v is not None and v != ""}, key=str)
    if not values:
        return []
    limit = connection.features.max_query_params or 10_000
    size = max(100, min(limit - 50, 10_000))
    results: list = []
    for part in chunks(values, size):
        results.extend(queryset.filter(**{f"{field_name}__in": part}))
    return results


def _column_converter(field, conn):
    """The function that turns a Python value into what the database driver takes for `field`,
    or None when the value goes as it is. Timestamps repeat across an import (one `now`, one
    `today`), so the last conversion is remembered."""
    if isinstance(field, (models.CharField, models.TextField)) and not field.null:
        return None
    if isinstance(field, (models.BooleanField, models.IntegerField, models.ForeignKey)):
        return None  # ints and bools (and None) go through every driver as they are
    if isinstance(field, models.DateTimeField):
        adapt = conn.ops.adapt_datetimefield_value
    elif isinstance(field, models.DateField):
        adapt = conn.ops.adapt_datefield_value
    elif isinstance(field, models.UUIDField) and not conn.features.has_native_uuid_field:
        return lambda value: None if value is None else value.hex
    else:
        return lambda value: field.get_db_prep_save(value, conn)
    last: list = [object(), None]

    def convert(value):
        if value is not last[0]:
            last[0], last[1] = value, adapt(value)
        return last[1]

    return convert


def insert_rows(model, rows: Sequence[dict], *, batch_size: int = WRITE_BATCH) -> list[dict]:
    """Insert many rows of `model` from dicts of attribute values (`organization_id`, not
    `organization`), filling every other column with its default, and return the dicts completed
    (defaults, timestamps and the new primary key).

    This is `bulk_create` without model instances: for an import of 100,000 people, building the
    instances and letting the ORM assemble the INSERT statements takes most of the time (see
    docs/adr/0003-imports.md). No signals are sent and `save()` is not called — exactly as with
    `bulk_create`. Needs RETURNING (SQLite ≥ 3.35, PostgreSQL) to learn the new keys."""
    if not rows:
        return []
    if not connection.features.can_return_rows_from_bulk_insert:
        raise NotImplementedError("insert_rows needs INSERT … RETURNING")
    meta = model._meta
    pk = meta.pk
    fields = [f for f in meta.concrete_fields if f is not pk or not isinstance(pk, models.AutoField)]
    now = timezone.now()
    constants: dict[str, object] = {}  # every column's value unless the row gives one
    generated: list[tuple[str, Callable[[], object]]] = []  # defaults made afresh for each row
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            constants[f.attname] = now
        elif f.has_default() and callable(f.default):
            generated.append((f.attname, f.default))
        else:
            constants[f.attname] = f.get_default()
    conn = connections[DEFAULT_DB_ALIAS]  # the proxy `connection` costs a lookup per use
    attnames = [f.attname for f in fields]
    converters = [
        (i, convert) for i, f in enumerate(fields) if (convert := _column_converter(f, conn)) is not None
    ]
    quote = conn.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    limit = conn.features.max_query_params or 65_535
    size = max(1, min(batch_size, (limit - 1) // len(fields)))
    done: list[dict] = []
    # PostgreSQL takes one array per column (INSERT … SELECT FROM unnest), as Django's own
    # bulk_create does there: a short statement instead of one with tens of thousands of
    # placeholders for the driver to parse. JSON and array columns keep the VALUES form.
    casts = [f.db_type(conn) for f in fields] if conn.vendor == "postgresql" else []
    if casts and all(cast and "json" not in cast and "[" not in cast for cast in casts):
        arrays = ", ".join(f"%s::{cast}[]" for cast in casts)
        sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) SELECT * FROM unnest({arrays}) RETURNING {quote(pk.column)}"  # noqa: S608
        size = 10_000
    else:
        sql = ""
    with conn.cursor() as wrapper:
        # The driver's cursor itself: Django's debug cursor would keep (and first quote) every
        # parameter of every statement, which costs more than the insert when DEBUG is on.
        cursor = wrapper.cursor
        for part in chunks(rows, size):
            params: list = []
            for row in part:
                full = constants.copy()
                for attname, make in generated:
                    if attname not in row:
                        full[attname] = make()
                full.update(row)
                values = [full[attname] for attname in attnames]
                for i, convert in converters:
                    values[i] = convert(values[i])
                params.append(values)
                done.append(full)
            if sql:
                cursor.execute(sql, [list(column) for column in zip(*params, strict=True)])
            else:
                # Only quoted identifiers from the model's metadata are formatted in; values are bound.
                values_sql = ", ".join([placeholder] * len(part))
                statement = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {values_sql} RETURNING {quote(pk.column)}"  # noqa: S608
                cursor.execute(statement, [value for values in params for value in values])
            for full, (key,) in zip(done[len(done) - len(part) :], cursor.fetchall(), strict=True):
                full[pk.attname] = key
    return done


def insert_history(model, keys: Sequence, *, history_type: str, user, reason: str) -> None:
    """Write django-simple-history records for the rows of `model` with these primary keys, as
    they now are in the database: the records `bulk_create_with_history` would write, copied by
    the database itself (one INSERT … SELECT per batch) instead of through Python objects."""
    if not keys:
        return
    conn = connections[DEFAULT_DB_ALIAS]
    history_model = model.history.model
    quote = conn.ops.quote_name
    pk = model._meta.pk
    target_columns, source_columns = [], []
    for f in history_model._meta.concrete_fields:
        if f.attname.startswith("history_"):
            continue
        target_columns.append(quote(f.column))
        source_columns.append(quote(model._meta.get_field(f.name).column))
    fixed = {
        "history_date": timezone.now(),
        "history_type": history_type,
        "history_change_reason": reason[:100],
        "history_user_id": getattr(user, "pk", None),
    }
    params_head = []
    for attname, value in fixed.items():
        field = history_model._meta.get_field(
            attname.removesuffix("_id") if attname.endswith("_id") else attname
        )
        target_columns.append(quote(field.column))
        params_head.append(field.get_db_prep_save(value, conn) if attname == "history_date" else value)
    if conn.vendor == "postgresql":
        match = f"{quote(pk.column)} = ANY(%s)"
    else:  # SQLite: one JSON array parameter instead of one parameter per key
        match = f"{quote(pk.column)} IN (SELECT value FROM json_each(%s))"  # noqa: S608
    # Only quoted identifiers from the models' metadata are formatted in; values are bound.
    into = f"{quote(history_model._meta.db_table)} ({', '.join(target_columns)})"
    select = f"{', '.join(source_columns)}, {', '.join(['%s'] * len(params_head))}"
    sql = f"INSERT INTO {into} SELECT {select} FROM {quote(model._meta.db_table)} WHERE {match}"  # noqa: S608
    with conn.cursor() as wrapper:
        for part in chunks(list(keys), 50_000):
            batch = list(part) if conn.vendor == "postgresql" else json.dumps(list(part))
            wrapper.cursor.execute(sql, [*params_head, batch])


# -- parsing ----------------------------------------------------------------------------------


def _fold_header(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", str(text).strip().rstrip("*").strip())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return HEADER_FOLD.sub("_", plain).strip("_")


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


class _Parser:
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
        parsers.append((header, name, _Parser(column), column.required, plain_limit))
    rows: list[Row] = []
    blank_required = _("This column must not be blank.")
    for number, raw_row in table.rows:
        row = Row(number=number)
        values, display = row.values, row.display
        for header, name, parser, required, plain_limit in parsers:
            raw = raw_row.get(header, "")
            if type(raw) is str:
                text = raw.strip()
                if not text:
                    values[name] = None
                    display[name] = ""
                    if required:
                        row.error(blank_required, name)
                    continue
                if len(text) <= plain_limit and text[0] != "'" and text.isascii():
                    values[name] = display[name] = text
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
    clean = [row for row in rows if not row.errors]
    if clean:
        spec.prepare(clean, companions=preview.companions)
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
    earlier = (
        ImportBatch.objects.filter(kind=spec.kind, sha256=digest, status=ImportBatch.Status.APPLIED)
        .order_by("-applied_at")
        .first()
    )
    if earlier is not None:
        preview.notices.insert(
            0,
            _("This same file was already applied on %(date)s; rows that still match show as unchanged.")
            % {"date": timezone.localtime(earlier.applied_at).strftime("%Y-%m-%d %H:%M")},
        )
    batch = ImportBatch.objects.create(
        kind=spec.kind,
        filename=filename,
        content=data,
        sha256=digest,
        summary=preview.summary(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    return batch, preview


def import_batch_preview(batch: ImportBatch) -> Preview:
    """Check a kept file again against the database as it is now (and in the reader's language)."""
    spec = get_import(batch.kind)
    if spec is None:
        raise ImportRefused(_("This kind of import is no longer available."))
    return validate_file(spec, bytes(batch.content), batch.filename)


def import_batch_apply(*, batch: ImportBatch, actor) -> Preview:
    """Apply a kept file: check it again (the database may have changed since the preview) and,
    if no row has an error, write every row in one transaction — companions first — with one
    audit entry on the batch. Refused (ImportRefused, nothing written, the batch marked refused)
    when any problem appears. Applying the same batch twice is refused; applying the same file in
    a new batch changes nothing (its rows are unchanged)."""
    spec = get_import(batch.kind)
    if spec is None:
        raise ImportRefused(_("This kind of import is no longer available."))
    preview = None
    try:
        with transaction.atomic():
            locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if locked.status == ImportBatch.Status.APPLIED:
                raise ImportRefused(_("This file was already applied."))
            preview = validate_file(spec, bytes(locked.content), locked.filename)
            if preview.has_errors:
                raise ImportRefused(
                    _("Nothing was imported: the file now has %(count)d problems.")
                    % {"count": preview.error_count},
                    preview,
                )
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
        with transaction.atomic():
            preview = validate_file(spec, data, filename)
            if preview.has_errors:
                raise ImportRefused(
                    _("Nothing was imported: the file has %(count)d problems.")
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
