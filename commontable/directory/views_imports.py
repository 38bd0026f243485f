"""Applying a large import in the background, and its progress page.

The generic import pages (core) preview a file and apply it within the request. For a file of
thousands of rows this page hands the apply to a background task (`core.imports`) and shows how far
it has got: it works without JavaScript (a "Check again" button reloads it) and, with htmx, it
updates itself every two seconds. The task is exactly as all-or-nothing as applying in the request:
a refused file writes nothing and the page says why."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from commontable.core.imports import (
    ImportRefused,
    get_import,
    import_batch_apply_later,
    import_batch_row_count,
    import_progress,
)
from commontable.core.models import ImportBatch

POLL_SECONDS = 2


def _batch_for(request: HttpRequest, public_id):
    """A batch the user may use (its import's permission); any other answers 404."""
    try:
        batch = ImportBatch.objects.filter(public_id=public_id).first()
    except (ValueError, ValidationError) as exc:
        raise Http404 from exc
    spec = get_import(batch.kind) if batch is not None else None
    if spec is None or not spec.allows(request.user):
        raise Http404
    return batch, spec


@login_required
@require_POST
def import_apply_background(request: HttpRequest, public_id) -> HttpResponse:
    """Start applying a previewed file in the background, then show its progress."""
    batch, _spec = _batch_for(request, public_id)
    try:
        import_batch_apply_later(batch=batch, actor=request.user)
    except ImportRefused:
        return redirect("core:import_detail", public_id=batch.public_id)
    return redirect("directory:import_progress", public_id=batch.public_id)


@login_required
@require_GET
def import_progress_page(request: HttpRequest, public_id) -> HttpResponse:
    """How far a background import has got: a progress bar, then what was imported or why
    nothing was. htmx asks for the `progress` part only."""
    batch, spec = _batch_for(request, public_id)
    progress = import_progress(batch)
    if progress is None:
        # Never started in the background, or the news was lost: the batch's page knows the outcome.
        return redirect("core:import_detail", public_id=batch.public_id)
    context = {
        "batch": batch,
        "spec": spec,
        "progress": progress,
        "rows": import_batch_row_count(batch),
        "poll_seconds": POLL_SECONDS,
    }
    template = "directory/import_progress.html"
    if request.htmx:
        template += "#progress"
    return render(request, template, context)
