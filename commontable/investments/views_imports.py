"""The investment imports' pages: choose a format and upload → preview every row (what will be
created, updated, left unchanged or skipped, and every problem by row and column) → apply, all or
nothing. Staff only. The pipeline (reading, keeping the file, checking again at apply, the one
transaction and audit entry) is core's (`core.imports`); these pages add what the investment
imports need: the formats' own help and the rows they skip."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from commontable.core.forms import ImportUploadForm
from commontable.core.imports import (
    ImportRefused,
    get_import,
    import_batch_apply,
    import_batch_create,
    import_batch_get_for_user,
    import_batch_preview,
)
from commontable.core.models import ImportBatch
from commontable.investments.imports import ACTION_SKIP, YEAR_COLUMNS, describe_preview_counts

FORMATS = ("capital-plan", "usaspending")
ROWS_PER_PAGE = 100
SAMPLES = Path(__file__).resolve().parent / "samples"
EXAMPLES = {"capital-plan": "capital_plan_by_year_columns.csv", "usaspending": "Assistance_PrimeAwardSummaries_sample.csv"}


def _spec(request: HttpRequest, format: str):
    spec = get_import(format) if format in FORMATS else None
    if spec is None:
        raise Http404
    if not spec.allows(request.user):
        raise PermissionDenied
    return spec


def _batch(request: HttpRequest, public_id) -> tuple[ImportBatch, object]:
    """A batch of an investment import the user may use; any other answers 404."""
    found = import_batch_get_for_user(request.user, public_id, kinds=FORMATS)
    if found is None:
        raise Http404
    return found


def _documented_columns(spec):
    """The columns to explain on the upload page: the fiscal-year columns are described once."""
    return [c for c in spec.columns if not (c.name.startswith("fy") and c.name[2:].isdigit())]


@login_required
@require_http_methods(["GET", "POST"])
def investment_import(request: HttpRequest, format: str) -> HttpResponse:
    """Upload a capital plan or a USAspending award file; a readable one is kept and previewed."""
    spec = _spec(request, format)
    form = ImportUploadForm(request.POST, request.FILES) if request.method == "POST" else ImportUploadForm()
    if form.is_bound and form.is_valid():
        uploaded = form.cleaned_data["file"]
        batch, preview = import_batch_create(spec=spec, data=uploaded.read(), filename=uploaded.name, actor=request.user)
        if batch is not None:
            return redirect("investments:investment_import_detail", public_id=batch.public_id)
        for problem in preview.file_errors:
            form.add_error("file", str(problem))
    return render(request, "investments/import_create.html", {
        "spec": spec, "form": form, "format": format, "formats": [get_import(f) for f in FORMATS],
        "columns": _documented_columns(spec), "first_year": YEAR_COLUMNS.start, "example": EXAMPLES[format],
    }, status=400 if form.is_bound and form.errors else 200)


@login_required
@require_http_methods(["GET"])
def investment_import_example(request: HttpRequest, format: str) -> HttpResponse:
    """A small example file of this format (invented values, the real column names and order)."""
    _spec(request, format)
    response = HttpResponse((SAMPLES / EXAMPLES[format]).read_bytes(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{EXAMPLES[format]}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET"])
def investment_import_detail(request: HttpRequest, public_id) -> HttpResponse:
    """The preview, checked again against the database as it is now; once applied, what was written."""
    batch, spec = _batch(request, public_id)
    context = {"batch": batch, "spec": spec, "applied": batch.status == ImportBatch.Status.APPLIED}
    if context["applied"]:
        context["counts_text"] = describe_preview_counts(batch.summary.get("counts", {}))
        context["written"] = batch.summary.get("written", {}).get(batch.kind, {})
        return render(request, "investments/import_detail.html", context)
    try:
        preview = import_batch_preview(batch)
    except ImportRefused as refused:
        messages.error(request, refused.message)
        return redirect("investments:investment_import", format=batch.kind)
    show = request.GET.get("show", "problems" if preview.has_errors else "all")
    if show == "problems":
        rows = [row for row in preview.rows if row.errors or row.warnings]
    elif show == "changes":
        rows = [row for row in preview.rows if row.action in ("create", "update")]
    elif show == "skipped":
        rows = [row for row in preview.rows if row.action == ACTION_SKIP]
    else:
        show, rows = "all", preview.rows
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    columns = preview.columns
    context.update({
        "preview": preview,
        "columns": columns,
        "counts": preview.counts,
        "counts_text": describe_preview_counts(preview.counts),
        "file_problems": [str(p) for p in preview.file_errors],
        "show": show,
        "page_obj": page,
        "querystring_without_page": f"show={show}&",
        "rows": [{"row": row, "skipped": row.action == ACTION_SKIP, "cells": [row.cell(c.name) for c in columns]}
                 for row in page.object_list],
    })
    template = "investments/import_detail.html#rows" if request.htmx else "investments/import_detail.html"
    return render(request, template, context)


@login_required
@require_POST
def investment_import_apply(request: HttpRequest, public_id) -> HttpResponse:
    """Apply a previewed file, every row or none."""
    batch, _spec = _batch(request, public_id)
    try:
        preview = import_batch_apply(batch=batch, actor=request.user, expected=request.POST.get("plan") or None)
    except ImportRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Imported: %(counts)s.") % {"counts": describe_preview_counts(preview.counts)})
    return redirect("investments:investment_import_detail", public_id=batch.public_id)
