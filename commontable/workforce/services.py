"""Writes of workforce goals and certified-payroll imports. Every write validates first, runs in
one transaction and is audited (`workforce.<entity>.<verb-ed>`)."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commontable.core.audit import changed_fields, log_action
from commontable.core.bulk import bulk_session
from commontable.core.imports import ImportRefused, describe_counts
from commontable.core.indicators import data_changed
from commontable.core.models import ImportBatch
from commontable.investments.models import Investment
from commontable.workforce.importer import KIND, CleanTable, HoursPreview, check_file, check_table, read_clean
from commontable.workforce.models import WorkforceGoal

GOAL_FIELDS = ("measure", "target_percent", "source", "source_note", "starts_on", "ends_on")


def _goal_values(goal: WorkforceGoal) -> dict:
    return {name: str(getattr(goal, name)) if getattr(goal, name) is not None else None for name in GOAL_FIELDS}


def _check_target(target_percent) -> Decimal:
    try:
        value = Decimal(str(target_percent))
    except Exception as exc:
        raise ValidationError({"target_percent": _("Enter a percentage from 0 to 100.")}) from exc
    if not value.is_finite() or value < 0 or value > 100:
        raise ValidationError({"target_percent": _("Enter a percentage from 0 to 100.")})
    if value != value.quantize(Decimal("0.1")):
        raise ValidationError({"target_percent": _("Use at most one decimal, e.g. 32.5.")})
    return value.quantize(Decimal("0.1"))


@transaction.atomic
def goal_create(
    *, actor, investment: Investment, measure: str, target_percent, source: str, source_note: str = "",
    starts_on: dt.date | None = None, ends_on: dt.date | None = None,
) -> WorkforceGoal:
    """Set a workforce goal on an investment: the share of total hours (0–100%, one decimal) a
    group should work, and where the goal is stated."""
    goal = WorkforceGoal(
        investment=investment, measure=measure, target_percent=_check_target(target_percent), source=source,
        source_note=source_note, starts_on=starts_on, ends_on=ends_on,
    )
    goal.full_clean()
    goal.save()
    log_action(goal, "workforce.goal.created", actor=actor, data={"investment": investment.slug, **_goal_values(goal)})
    return goal


@transaction.atomic
def goal_update(*, actor, goal: WorkforceGoal, **changes) -> WorkforceGoal:
    """Change a goal's measure, target, source or dates; the audit entry names what changed."""
    unknown = set(changes) - set(GOAL_FIELDS)
    if unknown:
        raise TypeError(f"unknown goal fields: {sorted(unknown)}")
    before = _goal_values(goal)
    if "target_percent" in changes:
        changes["target_percent"] = _check_target(changes["target_percent"])
    for name, value in changes.items():
        setattr(goal, name, value)
    goal.full_clean()
    goal.save()
    diff = changed_fields(before, _goal_values(goal))
    if diff:
        log_action(goal, "workforce.goal.changed", actor=actor, data={"changes": diff})
    return goal


@transaction.atomic
def goal_delete(*, actor, goal: WorkforceGoal) -> None:
    """Remove a goal (entered by mistake, or withdrawn); the audit entry keeps what it said."""
    log_action(goal, "workforce.goal.deleted", actor=actor,
               data={"investment": goal.investment.slug, **_goal_values(goal)})
    goal.delete()


# -- certified-payroll imports ----------------------------------------------------------------


def _batch_content(investment: Investment, clean: CleanTable) -> bytes:
    return b"%d\n" % investment.pk + clean.to_bytes()


def _batch_table(batch: ImportBatch, investment: Investment) -> CleanTable:
    head, _sep, body = bytes(batch.content).partition(b"\n")
    if head != b"%d" % investment.pk:
        raise ImportRefused(_("This file was uploaded for another investment."))
    return CleanTable.from_bytes(body)


def hours_import_create(*, actor, investment: Investment, data: bytes, filename: str) -> tuple[ImportBatch | None, HoursPreview]:
    """Check an uploaded certified-payroll file and keep its *cleaned* table (names dropped, worker
    ids coded — never the uploaded bytes) for the preview. A file that cannot be read at all is not
    kept: the batch is None and the preview names every reason."""
    filename = (filename or "upload").replace("\\", "/").rsplit("/", 1)[-1][:255]
    checked = check_file(investment, data, filename)
    if checked.clean is None or checked.preview.file_errors:
        return None, checked
    content = _batch_content(investment, checked.clean)
    digest = hashlib.sha256(content).hexdigest()
    batch = ImportBatch.objects.create(
        kind=KIND, filename=filename, content=content, sha256=digest, summary=checked.preview.summary(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    return batch, checked


def hours_import_preview(*, batch: ImportBatch, investment: Investment) -> HoursPreview:
    """Check a kept file again against the records as they are now."""
    return check_table(investment, _batch_table(batch, investment), batch.filename)


def hours_import_apply(*, actor, batch: ImportBatch, investment: Investment) -> HoursPreview:
    """Apply a kept file, all or nothing: checked again inside the transaction, refused
    (ImportRefused, nothing written, the batch marked refused) if any row has a problem; then the
    records of every changed contractor-period are replaced, with one audit entry on the batch.
    Applying the same batch twice is refused; the same file in a new batch changes nothing."""
    checked = None
    try:
        with bulk_session(), transaction.atomic():
            locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if locked.status == ImportBatch.Status.APPLIED:
                raise ImportRefused(_("This file was already applied."))
            checked = check_table(investment, _batch_table(locked, investment), locked.filename)
            _refuse_if_problems(checked)
            _write(checked, locked, investment, actor)
    except ImportRefused as exc:
        if checked is not None:
            ImportBatch.objects.filter(pk=batch.pk).exclude(status=ImportBatch.Status.APPLIED).update(
                status=ImportBatch.Status.FAILED, summary=checked.preview.summary())
        raise exc
    except (DatabaseError, ValidationError) as exc:
        raise ImportRefused(_("The database refused the import, so nothing was written. Check the file again.")) from exc
    batch.refresh_from_db()
    return checked


def hours_import_file(*, actor, investment: Investment, data: bytes, filename: str, dry_run: bool = False) -> tuple[ImportBatch | None, HoursPreview]:
    """Check and apply a file in one step (the management command), all or nothing."""
    try:
        with bulk_session(), transaction.atomic():
            checked = check_file(investment, data, filename)
            _refuse_if_problems(checked)
            if dry_run:
                return None, checked
            content = _batch_content(investment, checked.clean or read_clean(data, filename))
            batch = ImportBatch.objects.create(
                kind=KIND, filename=filename, content=content, sha256=hashlib.sha256(content).hexdigest(),
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            _write(checked, batch, investment, actor)
    except (DatabaseError, ValidationError) as exc:
        raise ImportRefused(_("The database refused the import, so nothing was written. Check the file again.")) from exc
    return batch, checked


def _refuse_if_problems(checked: HoursPreview) -> None:
    if checked.has_errors:
        count = checked.preview.error_count
        raise ImportRefused(
            ngettext("Nothing was imported: the file has %(count)d problem.",
                     "Nothing was imported: the file has %(count)d problems.", count) % {"count": count},
            checked.preview,
        )


def _write(checked: HoursPreview, batch: ImportBatch, investment: Investment, actor) -> None:
    preview = checked.preview
    rows = [row for row in preview.rows if row.action in ("create", "update")]
    written = preview.spec.write(rows, actor=actor, batch=batch) if rows else {}
    data_changed()  # bulk writes send no signals: the plan's figures must hear of them
    # And again once committed: a page computed meanwhile from the old rows must not stay cached.
    transaction.on_commit(data_changed)
    summary = {**preview.summary(), "written": written, "layout": checked.layout, "investment": investment.slug}
    batch.status = ImportBatch.Status.APPLIED
    batch.applied_at = timezone.now()
    batch.summary = summary
    batch.save(update_fields=["status", "applied_at", "summary"])
    log_action(batch, "workforce.hours.imported", actor=actor,
               data={"filename": batch.filename, "counts": describe_counts(preview.counts), **summary})
