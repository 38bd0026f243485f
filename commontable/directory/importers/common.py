"""What the directory's importers share: constants, history-keeping bulk writes, field diffs."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from commontable.core.imports import (
    WRITE_BATCH,
    ImportSpec,
    Row,
    display_value,
    insert_history,
    insert_rows,
)
from commontable.core.visibility import Visibility
from commontable.directory.choices import BudgetBand

DEFAULT_CONSENT_VERSION = "import-unspecified"
SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
RESERVED_SLUGS = frozenset({"new"})  # path segments of the directory's own pages
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$")
PERMISSION = "directory.manage_directory"


# Imports write each record's history like any other change (see docs/adr/0003-imports.md for the
# measurement behind keeping it on); the benchmark turns it off to show what it costs.
RECORD_HISTORY = True


def _bulk_create(objs, model, *, batch_size, default_user, default_change_reason):
    if not objs:
        return objs
    if RECORD_HISTORY:
        return bulk_create_with_history(
            objs,
            model,
            batch_size=batch_size,
            default_user=default_user,
            default_change_reason=default_change_reason,
        )
    return model.objects.bulk_create(objs, batch_size=batch_size)


def _insert(model, rows: list[dict], *, user, reason: str) -> list[dict]:
    done = insert_rows(model, rows, batch_size=WRITE_BATCH)
    if RECORD_HISTORY and done:
        pk = model._meta.pk.attname
        insert_history(model, [row[pk] for row in done], history_type="+", user=user, reason=reason)
    return done


def _bulk_update(objs, model, fields, *, batch_size, default_user, default_change_reason):
    if RECORD_HISTORY:
        return bulk_update_with_history(
            objs,
            model,
            fields,
            batch_size=batch_size,
            default_user=default_user,
            default_change_reason=default_change_reason,
        )
    return model.objects.bulk_update(objs, fields, batch_size=batch_size)


def _visibility_choices():
    # "table" needs a table to go with it, which a file cannot name; set it on the record's page.
    return [(v, label) for v, label in Visibility.choices if v != Visibility.TABLE]


def _budget_choices():
    return [(v, label) for v, label in BudgetBand.choices if v]


def _user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _reason(batch) -> str:
    return f"import {batch.public_id} ({batch.filename})"[:100]


def _shown(value) -> str:
    return display_value(value) or "—"


class _FieldDiff:
    """Collects the fields a row changes on an existing record, with their words for the preview."""

    def __init__(self, spec: ImportSpec, row: Row, target):
        self.spec, self.row, self.target = spec, row, target
        self.fields: dict[str, object] = {}

    def compare(
        self, column: str, attribute: str | None = None, value=None, *, given: bool | None = None
    ) -> None:
        attribute = attribute or column
        if given is None:
            given = self.row.has(column)
        if not given:
            return
        new = self.row.get(column) if value is None else value
        old = getattr(self.target, attribute)
        if old != new:
            self.fields[attribute] = new
            label = self.spec.column(column).label
            self.row.changes.append(
                _("%(field)s: “%(old)s” → “%(new)s”")
                % {"field": label, "old": _shown(old), "new": _shown(new)}
            )
