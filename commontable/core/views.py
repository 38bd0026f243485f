"""Pages that belong to no domain: the home page, the staff activity log, health check, the
shared import pages (upload → preview → apply), one-click unsubscribe and calendar-feed links."""

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from commontable.core import selectors
from commontable.core.models import ActivityLog
from commontable.core.uploads import CONTENT_TYPES, INLINE_KINDS
from commontable.core.visibility import viewer_for


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The home page: each app adds its panel (declared as `home_panel` in its apps.py)."""
    panels = []
    for config in apps.get_app_configs():
        hook = getattr(config, "home_panel", None)
        if hook:
            html = import_string(hook)(request)
            if html:
                panels.append(html)
    return render(request, "core/home.html", {"panels": panels})


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
@require_safe
def activity_list(request: HttpRequest) -> HttpResponse:
    """The whole audit log for staff, filterable by who acted and by action."""
    if not viewer_for(request.user).is_staff:
        raise PermissionDenied
    entries = ActivityLog.objects.select_related("actor")
    actor = request.GET.get("actor", "")
    if actor.isdigit():
        entries = entries.filter(actor_id=int(actor))
    action = request.GET.get("action", "")[:100]
    if action:
        entries = entries.filter(action__startswith=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "core/activity_list.html", {
        "heading": _("Activity log"), "entries": page.object_list, "page_obj": page,
        "querystring_without_page": query.urlencode() + "&" if query else "",
    })


@login_required
@require_safe
def i18n_status(request: HttpRequest) -> HttpResponse:
    """Staff: per language, how much of the interface is translated, reviewed, or falls back to English."""
    from django.conf import settings

    from commontable.core import i18n

    if not viewer_for(request.user).is_staff:
        raise PermissionDenied
    return render(request, "core/i18n_status.html", {
        "statuses": i18n.all_statuses(),
        "reviewed_share_pct": round(i18n.REVIEWED_SHARE_FOR_RELEASE * 100),
        "source_language": settings.LANGUAGE_CODE,
    })


# -- imports: upload → preview → apply (staff; each importer names the permission it needs) --------

IMPORT_ROWS_PER_PAGE = 100


def _import_spec_for(request: HttpRequest, kind: str):
    from commontable.core.imports import get_import

    spec = get_import(kind)
    if spec is None:
        raise Http404
    if not spec.allows(request.user):
        raise PermissionDenied
    return spec


IMPORT_POLL_SECONDS = 2


def _import_batch_for(request: HttpRequest, public_id):
    """A batch the user may use; any other answers 404, whether it exists or not."""
    from commontable.core.imports import import_batch_get_for_user

    found = import_batch_get_for_user(request.user, public_id)
    if found is None:
        raise Http404
    return found


@login_required
@require_safe
def import_list(request: HttpRequest) -> HttpResponse:
    """The importers this user may use and the latest files uploaded to them."""
    from commontable.core.imports import describe_counts, imports_for
    from commontable.core.models import ImportBatch

    specs = imports_for(request.user)
    if not specs:
        raise PermissionDenied
    labels = {spec.kind: spec.label for spec in specs}
    batches = ImportBatch.objects.filter(kind__in=labels).select_related("created_by").defer("content")
    page = Paginator(batches, 50).get_page(request.GET.get("page"))
    for batch in page.object_list:
        batch.kind_label = labels[batch.kind]
        batch.counts_text = describe_counts(batch.summary.get("counts", {}))
    return render(request, "core/import_list.html", {
        "specs": specs, "batches": page.object_list, "page_obj": page, "querystring_without_page": "",
    })


@login_required
@require_http_methods(["GET", "POST"])
def import_create(request: HttpRequest, kind: str) -> HttpResponse:
    """Upload a file; a readable one is kept and its preview shown, an unreadable one is refused
    here with every reason, and nothing is kept."""
    from commontable.core.forms import ImportUploadForm
    from commontable.core.imports import import_batch_create

    spec = _import_spec_for(request, kind)
    form = ImportUploadForm(request.POST, request.FILES) if request.method == "POST" else ImportUploadForm()
    if form.is_bound and form.is_valid():
        uploaded = form.cleaned_data["file"]
        batch, preview = import_batch_create(
            spec=spec, data=uploaded.read(), filename=uploaded.name, actor=request.user
        )
        if batch is not None:
            return redirect("core:import_detail", public_id=batch.public_id)
        for problem in preview.file_errors:
            form.add_error("file", str(problem))
    return render(request, "core/import_create.html", {"spec": spec, "form": form})


@login_required
@require_safe
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    """An empty CSV with the column names this importer expects."""
    from commontable.core.exports import csv_response
    from commontable.core.imports import template_headers

    spec = _import_spec_for(request, kind)
    return csv_response(f"{spec.kind}-template", template_headers(spec), [])


@login_required
@require_safe
def import_detail(request: HttpRequest, public_id) -> HttpResponse:
    """The preview: every row with what will happen to it and its problems, checked again against
    the database as it is now; or, once applied, what was written."""
    from commontable.core.imports import (
        BACKGROUND_ROWS,
        ImportRefused,
        describe_counts,
        get_import,
        import_batch_preview,
    )
    from commontable.core.models import ImportBatch

    batch, spec = _import_batch_for(request, public_id)
    context = {"batch": batch, "spec": spec, "applied": batch.status == ImportBatch.Status.APPLIED}
    if context["applied"]:
        context["counts_text"] = describe_counts(batch.summary.get("counts", {}))
        context["companion_counts"] = [
            (getattr(get_import(kind), "label", kind), describe_counts(summary.get("counts", {})))
            for kind, summary in batch.summary.get("companions", {}).items()
        ]
        return render(request, "core/import_detail.html", context)
    try:
        preview = import_batch_preview(batch)
    except ImportRefused as refused:
        messages.error(request, refused.message)
        return redirect("core:import_list")
    show = request.GET.get("show", "problems" if preview.has_errors else "all")
    if show == "problems":
        rows = [row for row in preview.rows if row.errors or row.warnings]
    elif show == "changes":
        rows = [row for row in preview.rows if row.action in ("create", "update")]
    else:
        show, rows = "all", preview.rows
    page = Paginator(rows, IMPORT_ROWS_PER_PAGE).get_page(request.GET.get("page"))
    columns = preview.columns
    context.update({
        "preview": preview,
        "columns": columns,
        "counts": preview.counts,
        "counts_text": describe_counts(preview.counts),
        "companions": [
            {"preview": companion, "counts_text": describe_counts(companion.counts),
             "problems": [str(p) for p in companion.problems(warnings=True)]}
            for companion in preview.companions.values()
        ],
        "file_problems": [str(p) for p in preview.file_errors],
        # Thousands of rows are applied by a background task with a progress page.
        "in_background": len(preview.rows) >= BACKGROUND_ROWS,
        "show": show,
        "page_obj": page,
        "querystring_without_page": f"show={show}&",
        "rows": [{"row": row, "cells": [row.cell(c.name) for c in columns]} for row in page.object_list],
    })
    template = "core/import_detail.html#rows" if request.htmx else "core/import_detail.html"
    return render(request, template, context)


@login_required
@require_POST
def import_apply(request: HttpRequest, public_id) -> HttpResponse:
    """Apply a previewed file, all rows or none; the preview page then says what happened."""
    from commontable.core.imports import ImportRefused, describe_counts, import_batch_apply

    batch, _spec = _import_batch_for(request, public_id)
    try:
        preview = import_batch_apply(batch=batch, actor=request.user, expected=request.POST.get("plan") or None)
    except ImportRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Imported: %(counts)s.") % {"counts": describe_counts(preview.counts)})
    return redirect("core:import_detail", public_id=batch.public_id)


@login_required
@require_POST
def import_apply_background(request: HttpRequest, public_id) -> HttpResponse:
    """Start applying a previewed file in a background task (large files: a request would time
    out), then show its progress. As all or nothing as applying in the request."""
    from commontable.core.imports import ImportRefused, import_batch_apply_later

    batch, _spec = _import_batch_for(request, public_id)
    try:
        import_batch_apply_later(batch=batch, actor=request.user, expected=request.POST.get("plan") or None)
    except ImportRefused as refused:
        messages.error(request, refused.message)
        return redirect("core:import_detail", public_id=batch.public_id)
    return redirect("core:import_progress", public_id=batch.public_id)


@login_required
@require_safe
def import_progress(request: HttpRequest, public_id) -> HttpResponse:
    """How far a background import has got: a progress bar, then what was imported or why nothing
    was. Works without JavaScript (a "Check again" button); htmx asks for the `progress` part
    every few seconds."""
    from commontable.core.imports import import_batch_row_count
    from commontable.core.imports import import_progress as progress_of

    batch, spec = _import_batch_for(request, public_id)
    progress = progress_of(batch)
    if progress is None:
        # Never started in the background, or the news was lost: the batch's page knows the outcome.
        return redirect("core:import_detail", public_id=batch.public_id)
    context = {
        "batch": batch,
        "spec": spec,
        "progress": progress,
        "rows": import_batch_row_count(batch),
        "poll_seconds": IMPORT_POLL_SECONDS,
    }
    template = "core/import_progress.html#progress" if request.htmx else "core/import_progress.html"
    return render(request, template, context)


@require_safe
def file_download(request: HttpRequest, public_id) -> FileResponse:
    """Download a stored file: anyone who may see the record it belongs to; others get 404.
    Raster images are shown inline, everything else is an attachment; nothing is ever sniffed."""
    stored = selectors.stored_file_get_for_user(request.user, public_id)
    response = FileResponse(
        stored.file.open("rb"),
        as_attachment=stored.kind not in INLINE_KINDS,
        filename=stored.original_name,
        content_type=CONTENT_TYPES.get(stored.kind, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# --- notifications: one-click unsubscribe (no sign-in), personal calendar-feed links --------------


@csrf_exempt  # the signed token is the credential; mail programs POST without a CSRF token (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what the link stops and a button; POST (the button, or a mail program's one-click
    request) ends the subscription. Works without signing in; a GET alone changes nothing, so a
    link scanner cannot unsubscribe anyone."""
    from commontable.core import notifications

    subscription = notifications.subscription_from_token(token)
    if subscription is None:
        raise Http404
    done = request.method == "POST"
    if done:
        notifications.unsubscribe(subscription)
    return render(request, "core/unsubscribe.html", {
        "what": notifications.describe(subscription), "done": done,
        "already": subscription.unsubscribed_at is not None and not done,
    })


@login_required
@require_http_methods(["GET", "POST"])
def feed_token_list(request: HttpRequest) -> HttpResponse:
    """A person's calendar-feed links: make a new one (shown once, with the feeds it opens) or
    revoke one."""
    from commontable.core import feeds

    new_links = []
    if request.method == "POST":
        _token, raw = feeds.feed_token_create(user=request.user)
        new_links = [(label, request.build_absolute_uri(reverse(name, kwargs={"token": raw})))
                     for name, label in feeds.personal_feeds()]
    tokens = request.user.feed_tokens.all()
    return render(request, "core/feed_token_list.html", {"tokens": tokens, "new_links": new_links})


@login_required
@require_POST
def feed_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    from commontable.core import feeds
    from commontable.core.models import FeedToken

    token = FeedToken.objects.filter(pk=pk, user=request.user).first()
    if token is None:
        raise Http404
    feeds.feed_token_revoke(token=token, actor=request.user)
    messages.success(request, _("The calendar feed link was revoked: calendars that use it stop updating."))
    return redirect("core:feed_token_list")
