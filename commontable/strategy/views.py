"""The plan's pages: dashboard, objective, plan import and settings, indicators and their
measurements, board reports (page and PDF), action items.

Each view parses, authorises (404 for what the user cannot see, 403 for what they may see but not
do), calls a selector or a service, and renders."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from commontable.core import indicators as registry
from commontable.core.http import add_service_error, bound_data, form_status, paginate, require
from commontable.core.models import ImportBatch
from commontable.core.visibility import viewer_for
from commontable.directory.models import Table
from commontable.strategy import permissions, selectors, services
from commontable.strategy.choices import ActionItemStatus, Status
from commontable.strategy.forms import (
    ActionItemForm,
    BindingForm,
    BoardReportForm,
    ManualIndicatorForm,
    MeasurementForm,
    ObjectiveForm,
    PlanForm,
    PlanUploadForm,
    TargetFields,
)
from commontable.strategy.models import Objective, Plan
from commontable.strategy.plan_parser import PlanParseError, parse_plan

GET_POST = require_http_methods(["GET", "POST"])
PLAN_IMPORT_KIND = "strategy.plan"


def _as_of(request: HttpRequest) -> dt.date:
    """The day the page shows figures for (?as_of=YYYY-MM-DD), today by default; never the future."""
    today = timezone.localdate()
    try:
        day = dt.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return today
    return min(day, today)


# Dashboard and objectives ------------------------------------------------------------------------


@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """The default plan's dashboard (or the newest plan the user may see)."""
    plan = selectors.plan_default(request.user)
    if plan is None:
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        return render(request, "strategy/plan_none.html", {"can_manage": permissions.can_manage_plan.test(request.user)})
    return plan_dashboard(request, plan.slug)


@require_safe
def plan_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """Mission, vision, values, every strategy and objective with its figures, trend, status and
    change since the last board report; filters by strategy, table and owner."""
    plan = permissions.plan_get_for_user(request.user, slug)
    strategy = request.GET.get("strategy", "")
    strategy_number = int(strategy) if strategy.isdigit() and len(strategy) < 4 else None
    table = Table.objects.visible_to(request.user).filter(slug=request.GET.get("table", "")).first() if request.GET.get("table") else None
    owner = None
    owner_id = request.GET.get("owner", "")
    owners = selectors.plan_owners(plan)
    if owner_id.isdigit():
        owner = next((u for u in owners if str(u.pk) == owner_id), None)
    board = selectors.plan_dashboard(plan, user=request.user, as_of=_as_of(request), strategy=strategy_number, table=table, owner=owner)
    context = {
        "plan": plan,
        "board": board,
        "values": selectors.plan_values(plan),
        "all_strategies": board.all_strategies,
        "tables": selectors.plan_tables(plan, request.user),
        "owners": owners,
        "selected": {"strategy": strategy_number, "table": table.slug if table else "", "owner": owner.pk if owner else None},
        "filtered": bool(strategy_number or table or owner),
        "can_manage": permissions.can_manage_plan.test(request.user),
        "status_labels": dict(Status.choices),
        "other_plans": [p for p in selectors.plan_list(request.user) if p.pk != plan.pk],
    }
    return render(request, "strategy/plan_dashboard.html", context)


@require_safe
def objective_detail(request: HttpRequest, public_id) -> HttpResponse:
    """An objective: its figures with their history, the records behind each, owners, notes, action
    items and the history of the objective itself."""
    objective = permissions.objective_get_for_user(request.user, public_id)
    page = selectors.objective_detail(objective, user=request.user, as_of=_as_of(request))
    measurable = permissions.indicators_measurable_by(request.user, [f.binding.indicator for f in page.figures])
    return render(request, "strategy/objective_detail.html", {
        "objective": objective,
        "page": page,
        "can_manage": permissions.can_manage_plan.test(request.user),
        "can_add_action": permissions.can_create_action_item.test(request.user) and objective.archived_at is None,
        "status_labels": dict(Status.choices),
        "measurable": [f for f in page.figures if f.manual and f.binding.indicator_id in measurable],
    })


@login_required
@GET_POST
def objective_edit(request: HttpRequest, public_id) -> HttpResponse:
    """Staff: owners, tables working on the objective, notes."""
    objective = permissions.objective_get_for_user(request.user, public_id)
    require(permissions.can_edit_objective, request.user)
    initial = {"owners": list(objective.owners.all()), "tables": list(objective.tables.all()), "notes": objective.notes}
    form = ObjectiveForm(bound_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.objective_update(objective=objective, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Objective %(number)s was saved.") % {"number": objective.number})
        return redirect("strategy:objective_detail", public_id=objective.public_id)
    return render(request, "strategy/objective_edit.html", {"form": form, "objective": objective}, status=form_status(form))


@login_required
@GET_POST
def binding_create(request: HttpRequest, public_id) -> HttpResponse:
    """Staff: bind an indicator to an objective, with its baseline, target and cadence."""
    objective = permissions.objective_get_for_user(request.user, public_id)
    require(permissions.can_manage_plan, request.user)
    form = BindingForm(bound_data(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        key = data.pop("indicator")
        try:
            indicator = services.indicator_for_key(key) if key in registry.registry() else selectors.indicator_get(key)
            if indicator is None:
                raise ValidationError({"indicator": _("Choose an indicator.")})
            services.binding_create(actor=request.user, objective=objective, indicator=indicator, **data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The indicator was bound to objective %(number)s.") % {"number": objective.number})
            return redirect("strategy:objective_detail", public_id=objective.public_id)
    return render(request, "strategy/binding_create.html", {"form": form, "objective": objective,
                                                           "catalogue": selectors.indicator_catalogue(request.user)},
                  status=form_status(form))


@login_required
@GET_POST
def binding_edit(request: HttpRequest, public_id) -> HttpResponse:
    """Staff: change a binding's baseline, target or cadence; or archive it."""
    binding = permissions.binding_get_for_user(request.user, public_id)
    require(permissions.can_manage_plan, request.user)
    if binding.archived_at is not None:
        raise Http404
    initial = {"baseline_value": binding.baseline_value, "baseline_on": binding.baseline_on,
               "target_value": binding.target_value, "target_on": binding.target_on, "cadence": binding.cadence}
    form = TargetFields(bound_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.binding_update(actor=request.user, binding=binding, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The target was saved."))
            return redirect("strategy:objective_detail", public_id=binding.objective.public_id)
    return render(request, "strategy/binding_edit.html", {"form": form, "binding": binding}, status=form_status(form))


@login_required
@require_POST
def binding_archive(request: HttpRequest, public_id) -> HttpResponse:
    binding = permissions.binding_get_for_user(request.user, public_id)
    require(permissions.can_manage_plan, request.user)
    if binding.archived_at is None:
        services.binding_archive(actor=request.user, binding=binding)
        messages.success(request, _("The indicator was removed from the objective; its history is kept."))
    return redirect("strategy:objective_detail", public_id=binding.objective.public_id)


# Plans: import and settings ---------------------------------------------------------------------


@login_required
@require_safe
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = selectors.plan_list(request.user)
    return render(request, "strategy/plan_list.html", {"plans": plans, "can_manage": permissions.can_manage_plan.test(request.user)})


@login_required
@GET_POST
def plan_import(request: HttpRequest) -> HttpResponse:
    """Staff: upload a plan document; the next page shows what it holds and what would change."""
    require(permissions.can_manage_plan, request.user)
    form = PlanUploadForm(bound_data(request), request.FILES or None, initial={"plan": request.GET.get("plan") or None})
    problems = []
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["file"].read()
        try:
            parsed = parse_plan(content)
        except PlanParseError as exc:
            problems = exc.problems
        else:
            if not (parsed.period_start_year or form.cleaned_data["period_start"] or form.cleaned_data["plan"]):
                # Found now rather than when the preview is applied, while the options are at hand.
                form.add_error("period_start", _("The document names no period (such as 2023–2026): give the first and last day of the plan."))
        if form.is_valid() and not problems:
            options = {k: (v.slug if isinstance(v, Plan) else v.isoformat() if isinstance(v, dt.date) else v)
                       for k, v in form.cleaned_data.items() if k != "file"}
            batch = ImportBatch.objects.create(
                kind=PLAN_IMPORT_KIND, filename=form.cleaned_data["file"].name[:255], content=content,
                sha256=hashlib.sha256(content).hexdigest(), summary={"options": options}, created_by=request.user,
            )
            return redirect("strategy:plan_import_preview", public_id=batch.public_id)
    status = 400 if problems else form_status(form)
    return render(request, "strategy/plan_import.html", {"form": form, "problems": problems}, status=status)


def _batch_for(request: HttpRequest, public_id) -> ImportBatch:
    batch = ImportBatch.objects.filter(public_id=public_id, kind=PLAN_IMPORT_KIND).first()
    if batch is None or (batch.created_by_id != request.user.pk and not viewer_for(request.user).is_staff):
        raise Http404
    return batch


def _batch_options(batch: ImportBatch) -> dict:
    options = dict(batch.summary.get("options", {}))
    plan = Plan.objects.filter(slug=options.get("plan") or "").first() if options.get("plan") else None
    predecessor = Plan.objects.filter(slug=options.get("predecessor") or "").first() if options.get("predecessor") else None
    return {
        "plan": plan, "predecessor": predecessor, "title": options.get("title") or "",
        "period_start": dt.date.fromisoformat(options["period_start"]) if options.get("period_start") else None,
        "period_end": dt.date.fromisoformat(options["period_end"]) if options.get("period_end") else None,
        "visibility": options.get("visibility") or "members", "make_default": bool(options.get("make_default")),
    }


@login_required
@GET_POST
def plan_import_preview(request: HttpRequest, public_id) -> HttpResponse:
    """Staff: what the document holds and, for a revision, what changes; then apply it all or nothing."""
    require(permissions.can_manage_plan, request.user)
    batch = _batch_for(request, public_id)
    options = _batch_options(batch)
    content = bytes(batch.content)
    try:
        parsed = parse_plan(content)
    except PlanParseError as exc:
        return render(request, "strategy/plan_import.html", {"form": PlanUploadForm(), "problems": exc.problems}, status=400)
    if request.method == "POST" and batch.status == ImportBatch.Status.PREVIEWED:
        try:
            plan, changes = services.plan_import(data=content, actor=request.user, source_name=batch.filename, **options)
        except PlanParseError as exc:
            return render(request, "strategy/plan_import.html", {"form": PlanUploadForm(), "problems": exc.problems}, status=400)
        batch.status, batch.applied_at = ImportBatch.Status.APPLIED, timezone.now()
        batch.summary = {**batch.summary, "plan": plan.slug, "changes": changes.as_dict()}
        batch.save(update_fields=["status", "applied_at", "summary"])
        messages.success(request, _("The plan “%(title)s” was imported.") % {"title": plan.title} if changes.created
                         else _("The plan “%(title)s” was revised.") % {"title": plan.title})
        return redirect("strategy:plan_dashboard", slug=plan.slug)
    changes = services.plan_import_preview(parsed=parsed, plan=options["plan"])
    return render(request, "strategy/plan_import_preview.html", {
        "batch": batch, "parsed": parsed, "changes": changes, "options": options,
        "applied": batch.status == ImportBatch.Status.APPLIED, "applied_plan": batch.summary.get("plan"),
    })


@login_required
@GET_POST
def plan_edit(request: HttpRequest, slug: str) -> HttpResponse:
    plan = permissions.plan_get_for_user(request.user, slug)
    require(permissions.can_manage_plan, request.user)
    initial = {"title": plan.title, "visibility": plan.visibility, "predecessor": plan.predecessor, "is_default": plan.is_default}
    form = PlanForm(bound_data(request), initial=initial, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(plan=plan, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The plan was saved."))
            return redirect("strategy:plan_dashboard", slug=plan.slug)
    return render(request, "strategy/plan_edit.html", {"form": form, "plan": plan}, status=form_status(form))


# Indicators and measurements ----------------------------------------------------------------------


@login_required
@require_safe
def indicator_list(request: HttpRequest) -> HttpResponse:
    """Every indicator the plan can bind: what it counts, and how many objectives use it."""
    require(permissions.is_member, request.user)
    return render(request, "strategy/indicator_list.html", {
        "catalogue": selectors.indicator_catalogue(request.user),
        "can_manage": permissions.can_manage_plan.test(request.user),
    })


@login_required
@GET_POST
def indicator_create(request: HttpRequest) -> HttpResponse:
    """Staff: a manual indicator for what no record can tell."""
    require(permissions.can_manage_plan, request.user)
    form = ManualIndicatorForm(bound_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.manual_indicator_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The indicator “%(label)s” was added.") % {"label": indicator.label})
            return redirect("strategy:indicator_list")
    return render(request, "strategy/indicator_create.html", {"form": form}, status=form_status(form))


@require_safe
def indicator_detail(request: HttpRequest, key: str) -> HttpResponse:
    """A manual indicator's measurements (who, when, evidence), or a computed one's definition."""
    indicator = permissions.indicator_get_for_user(request.user, key)
    page, query = paginate(request, selectors.measurement_list(indicator, user=request.user))
    definition = registry.registry().get(indicator.key)
    return render(request, "strategy/indicator_detail.html", {
        "indicator": indicator, "definition": definition, "page": page, "query": query,
        "can_measure": indicator.is_manual and permissions.can_add_measurement.test(request.user, indicator),
        "objectives": selectors.indicator_objectives(indicator, request.user),
    })


@login_required
@GET_POST
def measurement_create(request: HttpRequest, key: str) -> HttpResponse:
    """Staff and owners of an objective measured by it: record a hand-measured figure."""
    indicator = permissions.indicator_get_for_user(request.user, key)
    require(permissions.can_add_measurement, request.user, indicator)
    form = MeasurementForm(bound_data(request), initial={"measured_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.measurement_add(actor=request.user, indicator=indicator, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The measurement was recorded."))
            back = request.GET.get("next", "")
            if back.startswith("/") and not back.startswith("//"):
                return redirect(back)
            return redirect("strategy:indicator_detail", key=indicator.key)
    return render(request, "strategy/measurement_create.html", {"form": form, "indicator": indicator}, status=form_status(form))


# Board reports -------------------------------------------------------------------------------------


@login_required
@require_safe
def board_report_list(request: HttpRequest) -> HttpResponse:
    require(permissions.is_member, request.user)
    page, query = paginate(request, selectors.board_report_list(request.user))
    return render(request, "strategy/board_report_list.html", {
        "page": page, "query": query, "can_create": permissions.can_create_board_report.test(request.user),
    })


@login_required
@GET_POST
def board_report_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff: freeze the plan's status for a period into a report."""
    plan = permissions.plan_get_for_user(request.user, slug)
    require(permissions.can_create_board_report, request.user)
    today = timezone.localdate()
    form = BoardReportForm(bound_data(request), initial={"period_start": max(plan.period_start, today - dt.timedelta(days=91)), "period_end": today})
    if request.method == "POST" and form.is_valid():
        try:
            report = services.board_report_create(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The board report was made."))
            return redirect("strategy:board_report_detail", public_id=report.public_id)
    return render(request, "strategy/board_report_create.html", {"form": form, "plan": plan}, status=form_status(form))


def _report_context(report) -> dict:
    return {"report": report, "data": selectors.board_report_view(report), "status_labels": dict(Status.choices)}


@login_required
@require_safe
def board_report_detail(request: HttpRequest, public_id) -> HttpResponse:
    """The report as a page (printable: the print stylesheet lays it out like the PDF)."""
    report = permissions.board_report_get_for_user(request.user, public_id)
    return render(request, "strategy/board_report_detail.html", _report_context(report))


@login_required
@require_safe
def board_report_pdf(request: HttpRequest, public_id) -> HttpResponse:
    """The same report as a PDF, in the reader's language."""
    from commontable.core.pdf import pdf_response, render_pdf

    report = permissions.board_report_get_for_user(request.user, public_id)
    pdf = render_pdf("strategy/board_report_pdf.html", _report_context(report), request=request)
    return pdf_response(pdf, f"{report.plan.slug}-{report.period_end.isoformat()}.pdf")


# Action items --------------------------------------------------------------------------------------


@login_required
@require_safe
def action_item_list(request: HttpRequest) -> HttpResponse:
    require(permissions.is_member, request.user)
    objective = None
    if request.GET.get("objective"):
        try:
            objective = permissions.objective_get_for_user(request.user, request.GET["objective"])
        except (Http404, ValidationError, ValueError):
            objective = None
    status = request.GET.get("status", "")
    status = status if status in ActionItemStatus.values else ""
    mine = request.GET.get("mine") == "1"
    items = selectors.action_item_list(request.user, objective=objective, status=status, owner=request.user if mine else None)
    page, query = paginate(request, items)
    return render(request, "strategy/action_item_list.html", {
        "page": page, "query": query, "objective": objective, "status": status, "mine": mine,
        "statuses": ActionItemStatus.choices, "can_create": permissions.can_create_action_item.test(request.user),
    })


def _objective_choices(user):
    return Objective.objects.visible_to(user).current().select_related("plan").order_by("plan", "strategy__number", "position")


@login_required
@GET_POST
def action_item_create(request: HttpRequest) -> HttpResponse:
    require(permissions.can_create_action_item, request.user)
    initial = {}
    if request.GET.get("objective"):
        initial["objectives"] = list(_objective_choices(request.user).filter(public_id__in=[request.GET["objective"]]) if _is_uuid(request.GET["objective"]) else [])
    form = ActionItemForm(bound_data(request), initial=initial, objectives=_objective_choices(request.user))
    del form.fields["status"], form.fields["done_on"]
    if request.method == "POST" and form.is_valid():
        try:
            item = services.action_item_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The action item was added."))
            objectives = list(item.objectives.all()[:1])
            if objectives:
                return redirect("strategy:objective_detail", public_id=objectives[0].public_id)
            return redirect("strategy:action_item_list")
    return render(request, "strategy/action_item_form.html", {"form": form, "item": None}, status=form_status(form))


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@login_required
@GET_POST
def action_item_edit(request: HttpRequest, public_id) -> HttpResponse:
    item = permissions.action_item_get_for_user(request.user, public_id)
    require(permissions.can_edit_action_item, request.user, item)
    # Objectives of plans the user may not see are neither shown nor dropped when they save.
    seen = item.objectives.visible_to(request.user)
    hidden = list(item.objectives.exclude(pk__in=seen.values("pk")))
    initial = {"title": item.title, "detail": item.detail, "owner": item.owner, "due_on": item.due_on, "status": item.status,
               "done_on": item.done_on, "objectives": list(seen), "visibility": item.visibility}
    form = ActionItemForm(bound_data(request), initial=initial, objectives=_objective_choices(request.user) | seen)
    del form.fields["visibility"]
    if request.method == "POST" and form.is_valid():
        try:
            data = {**form.cleaned_data, "objectives": [*form.cleaned_data["objectives"], *hidden]}
            services.action_item_update(actor=request.user, item=item, **data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The action item was saved."))
            return redirect("strategy:action_item_list")
    return render(request, "strategy/action_item_form.html", {"form": form, "item": item}, status=form_status(form))


def home_panel(request: HttpRequest) -> str:
    """The home page's plan panel: the objectives the user owns and their status."""
    from django.template.loader import render_to_string

    objectives = selectors.home_objectives(request.user)
    if not objectives:
        return ""
    return render_to_string("strategy/home_panel.html", {"objectives": objectives}, request=request)
