"""What every `<app>_import` management command shares: the file and account checks, the dry run
and the all-or-nothing apply of the web pages' imports, and the report of problems by row.

A command reads its arguments, finds its import (`core.imports.get_import`), and calls these
inside `translation.override(language)`; exit status 2 is a usage error (no such file, unknown
account), 1 a file with errors (nothing written)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils import translation

from commontable.core.imports import ImportRefused, describe_counts, import_file_apply, validate_file


def read_import_file(file: str) -> tuple[Path, bytes]:
    """The file's path and bytes, refused as the upload form refuses it: missing, or over the limit."""
    path = Path(file)
    if not path.is_file():
        raise CommandError(f"No such file: {file}", returncode=2)
    limit = settings.COMMONTABLE_UPLOAD_MAX_BYTES
    if path.stat().st_size > limit:
        raise CommandError(f"The file is larger than the upload limit ({limit} bytes).", returncode=2)
    return path, path.read_bytes()


def import_actor(email: str | None, allowed: Callable[[object], bool], what: str):
    """The active account recorded as the importer (none if no email is given), if it may import."""
    if not email:
        return None
    actor = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
    if actor is None or not allowed(actor):
        raise CommandError(f"{email} is not an active account allowed to import {what}.", returncode=2)
    return actor


def run_import(command, spec, path: Path, data: bytes, actor, *, apply: bool, report: Callable,
               dry_run_note: str | None = None):
    """Check the file and `report` its preview; with `apply`, write it in one transaction, all rows
    or none; the outcome on the command's stdout. Any error: exit 1, nothing written. Returns the
    import batch, or None for a dry run."""
    if not apply:
        preview = validate_file(spec, data, path.name)
        report(preview)
        if preview.has_errors:
            raise CommandError(
                translation.ngettext(
                    "Nothing would be imported: %(count)d problem.",
                    "Nothing would be imported: %(count)d problems.",
                    preview.error_count,
                ) % {"count": preview.error_count},
                returncode=1,
            )
        command.stdout.write(dry_run_note or translation.gettext("Dry run: nothing was written."))
        return None
    try:
        batch, preview = import_file_apply(spec=spec, data=data, filename=path.name, actor=actor)
    except ImportRefused as refused:
        if refused.preview is not None:
            report(refused.preview)
        raise CommandError(refused.message, returncode=1) from refused
    report(preview)
    command.stdout.write(translation.gettext("Applied %(file)s (import %(id)s).") % {"file": path.name, "id": batch.public_id})
    return batch


def report_problems(command, preview, *, warnings: bool = False) -> None:
    """Notices and problems by row on stderr; the counts (and a companion import's) on stdout."""
    for notice in preview.notices:
        command.stderr.write(str(notice))
    for problem in preview.problems(warnings=warnings):
        command.stderr.write(str(problem))
    for companion in preview.companions.values():
        command.stdout.write(f"{companion.spec.label}: {describe_counts(companion.counts)}")
    command.stdout.write(f"{preview.spec.label}: {describe_counts(preview.counts)}")
