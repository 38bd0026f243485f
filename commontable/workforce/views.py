"""The workforce pages: the overview across investments, an investment's goals and hours by month
with a goal-against-actual chart for each measure, goal editing, and the certified-payroll import
(upload → preview → apply). Views parse, authorise (404 for an investment the user cannot see,
403 for what they see but may not do), call a selector or a service, and render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from commontable.core.charts import goal_actual_svg
from commontable.core.http import (
    add_service_error,
    bound_data,
    form_status,
    login_and,
    paginate,
    require,
)
from commontable.core.imports import ImportRefused, describe_counts
from commontable.core.indicators import data_version
from commontable.core.models import ImportBatch
from commontable.core.page_cache import Fragment, render_fragment
from commontable.workforce import permissions, selectors, services
from commontable.workforce.choices import Measure
from commontable.workforce.forms import GoalForm, HoursUploadForm
from commontable.workforce.importer import KIND, TOTALS_COLUMNS, WORKER_COLUMNS
from commontable.workforce.pages import PAGES
from commontable.workforce.templatetags.workforce import hours, percent

GET_POST = require_http_methods(["GET", "POST"])
PREVIEW_ROWS_PER_PAGE = 100
member_required = login_and(permissions.can_view_workforce)


def measure_label(measure: str) -> str:
    return str(Measure(measure).label)


def chart_for(page: selectors.WorkforcePage, measure: str) -> dict:
    """One measure's chart and the same numbers for its table."""
    label = measure_label(measure)
    bars = [
        (date_format(p.month, "M Y"), p.totals.share(measure), p.goals.get(measure)) for p in page.periods
    ]
    goal = page.current_goals.get(measure)
    below = sum(1 for p in page.periods if p.meets(measure) is False)
    if goal is not None:
        description = _(
            "Share of total hours by month, %(count)d months; goal now %(goal)s%%; %(below)d months below their goal."
        ) % {"count": len(bars), "goal": goal.target_percent, "below": below}
    else:
        description = _("Share of total hours by month, %(count)d months; no goal set.") % {"count": len(bars)}
    svg = goal_actual_svg(
        [(text, float(a) if a is not None else None, float(g) if g is not None else None) for text, a, g in bars],
        title=_("%(measure)s: share of total hours against the goal") % {"measure": label},
        description=description,
        id_prefix=f"chart-{measure}",
        maximum=100 if any(b[1] is not None and b[1] > 60 for b in bars) else None,
    )
    return {"measure": measure, "label": label, "svg": svg, "goal": goal}


@member_required
@require_safe
def workforce_overview(request: HttpRequest) -> HttpResponse:
    """Members: the investments they may see with workforce goals or hours, each with its share of
    BIPOC, women and apprentice hours to date against the goals in force; sortable."""
    template = "workforce/workforce_overview.html"

    def build() -> Fragment:
        sort = request.GET.get("sort", "name")
        # Sorted in full (the sort keys are computed shares), then shown 50 a page.
        page, query = paginate(request, selectors.workforce_overview(request.user, sort=sort))
        return render_fragment(request, template, {
            "rows": [_overview_cells(row) for row in page.object_list], "page_obj": page,
            "querystring_without_page": query, "sort": sort if sort in selectors.SORTS else "name",
            "measures": [Measure.BIPOC.value, Measure.WOMEN.value, Measure.APPRENTICE.value],
        })

    # The body is cached per data version and visibility class (`pages.py`).
    return PAGES.cached_page(request, template, "workforce_overview", build)


def _overview_cells(row: selectors.OverviewRow) -> dict:
    """A row's figures as the table shows them, formatted here once rather than through a dozen
    template filters per row."""
    cells = []
    for measure in (Measure.BIPOC, Measure.WOMEN, Measure.APPRENTICE):
        text = percent(row.share(measure))
        goal = row.goals.get(measure)
        # Translators: a share followed by its goal, e.g. "26.7% (goal 32.0%)".
        cells.append(_("%(share)s (goal %(goal)s)") % {"share": text, "goal": percent(goal)} if goal is not None else text)
    return {"investment": row.investment, "total": hours(row.totals.total), "cells": cells, "meets": row.meets()}


@member_required
@require_safe
def workforce_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """An investment's workforce goals, its hours by month with each group's share against the goal,
    a chart per measure (the same numbers in the table), and its contractors."""
    investment = permissions.investment_get_for_user(request.user, slug)
    template = "workforce/workforce_detail.html"

    def build() -> Fragment:
        page = selectors.workforce_detail(investment)
        return render_fragment(request, template, {
            "investment": investment,
            "page": page,
            "numbers": _numbers(request, page),
            "can_edit": permissions.can_edit_workforce.test(request.user),
        })

    return PAGES.cached_page(request, template, "workforce_detail", build, context={"investment": investment})


def _numbers(request: HttpRequest, page: selectors.WorkforcePage) -> str:
    """The charts and the tables of hours by month and contractor: the same for every viewer of
    the investment, so rendered once per language and kept until hours or goals change."""
    key = "ct:wf:numbers:{}:{}:{}:{}".format(
        page.investment.pk, get_language(), dt.date.today().isoformat(),
        data_version(selectors.VERSION_LABEL, "workforce.WorkforceGoal"),
    )
    html = cache.get(key)
    if html is None:
        charts = [chart_for(page, m) for m in page.measures if page.periods or m in page.current_goals]
        html = render_to_string("workforce/_numbers.html", {"page": page, "charts": charts}, request=request)
        cache.set(key, html, selectors.CACHE_SECONDS)
    return mark_safe(html)  # our own template's output


@login_required
@GET_POST
def goal_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff: set a workforce goal on the investment."""
    investment = permissions.investment_get_for_user(request.user, slug)
    require(permissions.can_edit_workforce, request.user)
    form = GoalForm(bound_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_create(actor=request.user, investment=investment, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The goal was saved."))
            return redirect("workforce:workforce_detail", slug=investment.slug)
    return render(request, "workforce/goal_form.html", {
        "form": form, "investment": investment, "heading": _("New workforce goal"),
    }, status=form_status(form))


@login_required
@GET_POST
def goal_edit(request: HttpRequest, public_id) -> HttpResponse:
    """Staff: change a goal's measure, target, source or dates."""
    goal = permissions.goal_get_for_user(request.user, public_id)
    require(permissions.can_edit_workforce, request.user)
    form = GoalForm(bound_data(request), initial=GoalForm.initial_from(goal))
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_update(actor=request.user, goal=goal, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The goal was saved."))
            return redirect("workforce:workforce_detail", slug=goal.investment.slug)
    return render(request, "workforce/goal_form.html", {
        "form": form, "investment": goal.investment, "goal": goal, "heading": _("Change a workforce goal"),
    }, status=form_status(form))


@login_required
@require_POST
def goal_delete(request: HttpRequest, public_id) -> HttpResponse:
    """Staff: remove a goal."""
    goal = permissions.goal_get_for_user(request.user, public_id)
    require(permissions.can_edit_workforce, request.user)
    slug = goal.investment.slug
    services.goal_delete(actor=request.user, goal=goal)
    messages.success(request, _("The goal was removed."))
    return redirect("workforce:workforce_detail", slug=slug)


def _batch_for(investment, public_id) -> ImportBatch:
    batch = ImportBatch.objects.filter(public_id=public_id, kind=KIND).first()
    if batch is None or not bytes(batch.content).startswith(b"%d\n" % investment.pk):
        raise Http404
    return batch


@login_required
@GET_POST
def hours_import_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff: upload a certified-payroll export (CSV or XLSX); a readable file is kept, cleaned of
    names, and its preview shown; an unreadable one is refused here with every reason."""
    investment = permissions.investment_get_for_user(request.user, slug)
    require(permissions.can_edit_workforce, request.user)
    form = HoursUploadForm(request.POST, request.FILES) if request.method == "POST" else HoursUploadForm()
    if form.is_bound and form.is_valid():
        uploaded = form.cleaned_data["file"]
        batch, checked = services.hours_import_create(
            actor=request.user, investment=investment, data=uploaded.read(), filename=uploaded.name
        )
        if batch is not None:
            return redirect("workforce:hours_import_detail", slug=investment.slug, public_id=batch.public_id)
        for problem in checked.preview.file_errors:
            form.add_error("file", str(problem))
    return render(request, "workforce/hours_import_create.html", {
        "form": form, "investment": investment, "worker_columns": WORKER_COLUMNS, "totals_columns": TOTALS_COLUMNS,
    }, status=form_status(form))


@login_required
@require_safe
def hours_import_detail(request: HttpRequest, slug: str, public_id) -> HttpResponse:
    """Staff: the preview — every row's problems by row and column, totals per period, and what
    each contractor-period will become (new, replaced, unchanged); or, once applied, the result."""
    investment = permissions.investment_get_for_user(request.user, slug)
    require(permissions.can_edit_workforce, request.user)
    batch = _batch_for(investment, public_id)
    context = {"investment": investment, "batch": batch, "applied": batch.status == ImportBatch.Status.APPLIED}
    if context["applied"]:
        context["counts_text"] = describe_counts(batch.summary.get("counts", {}))
        context["written"] = batch.summary.get("written", {})
        return render(request, "workforce/hours_import_detail.html", context)
    try:
        checked = services.hours_import_preview(batch=batch, investment=investment)
    except ImportRefused as refused:
        messages.error(request, refused.message)
        return redirect("workforce:workforce_detail", slug=investment.slug)
    preview = checked.preview
    show = request.GET.get("show", "problems" if preview.has_errors else "all")
    rows = [r for r in preview.rows if r.errors or r.warnings] if show == "problems" else preview.rows
    show = show if show == "problems" else "all"
    page = Paginator(rows, PREVIEW_ROWS_PER_PAGE).get_page(request.GET.get("page"))
    context.update({
        "checked": checked,
        "preview": preview,
        "columns": preview.columns,
        "counts_text": describe_counts(preview.counts),
        "problems": [str(p) for p in preview.problems()],
        "show": show,
        "page_obj": page,
        "querystring_without_page": f"show={show}&",
        "rows": [{"row": r, "cells": [r.cell(c.name) for c in preview.columns]} for r in page.object_list],
    })
    return render(request, "workforce/hours_import_detail.html", context)


@login_required
@require_POST
def hours_import_apply(request: HttpRequest, slug: str, public_id) -> HttpResponse:
    """Staff: apply a previewed file, every row or none."""
    investment = permissions.investment_get_for_user(request.user, slug)
    require(permissions.can_edit_workforce, request.user)
    batch = _batch_for(investment, public_id)
    try:
        checked = services.hours_import_apply(actor=request.user, batch=batch, investment=investment)
    except ImportRefused as refused:
        messages.error(request, refused.message)
        return redirect("workforce:hours_import_detail", slug=investment.slug, public_id=batch.public_id)
    messages.success(request, _("Imported: %(counts)s.") % {"counts": describe_counts(checked.preview.counts)})
    return redirect("workforce:workforce_detail", slug=investment.slug)
