"""The investment watch's pages: investments (list with exports, page, register and edit, stage,
funding), community-benefit commitments (list by computed status, page, reports with evidence,
escalation), campaign asks (actions, outcome), and the public accountability page with its PDF.

Each view parses, authorises (sign-in for member pages; 404 for what the user cannot see, 403 for
what they may see but not do), calls a selector or a service, and renders. Views never write to the
database themselves."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from commontable.core import hooks
from commontable.core.audit import activity_for
from commontable.core.exports import export_response
from commontable.core.http import (
    add_service_error,
    bound_data,
    export_format,
    form_status,
    login_and,
    paginate,
    require,
)
from commontable.core.page_cache import Fragment, render_fragment
from commontable.core.visibility import Visibility, viewer_for
from commontable.directory.selectors import record_history
from commontable.investments import permissions, selectors, services
from commontable.investments.choices import Compliance
from commontable.investments.filters import CommitmentFilter, InvestmentFilter
from commontable.investments.forms import (
    AskActionForm,
    AskForm,
    AskOutcomeForm,
    CommitmentForm,
    EscalationForm,
    FundingForm,
    InvestmentCreateForm,
    InvestmentForm,
    ReportForm,
    StageChangeForm,
)
from commontable.investments.models import Investment
from commontable.investments.pages import PAGES

GET_POST = require_http_methods(["GET", "POST"])
ACTIVITY_LIMIT = 20


# Sign-in required (302 to the login page); signed-in users who are not members get 403.
member_required = login_and(permissions.can_view_investments)


def _staff_activity(user, obj) -> dict:
    """For staff: the record's audit entries and earlier versions (they name who acted)."""
    if not viewer_for(user).is_staff:
        return {}
    return {"activity": list(activity_for(obj)[:ACTIVITY_LIMIT]), "history": record_history(obj)}


def _paginate_ids_first(request: HttpRequest, items):
    """`paginate`, with the page's ids chosen first on the bare columns in the list's final order,
    then only those rows loaded with their annotations (funding totals, statuses), as
    `api_shapes.page_of` does: the per-row subqueries run for 50 rows, not for every row sorted."""
    page, query = paginate(request, items.prefetch_related(None).values_list("pk", flat=True))
    ids = list(page.object_list)
    rows = {row.pk: row for row in items.filter(pk__in=ids)} if ids else {}
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page, query


def _dollars(cents: int | None) -> float | None:
    return None if cents is None else round(cents / 100, 2)


# Investments -------------------------------------------------------------------------------------


def _investment_export_header() -> list[str]:
    return [
        _("Name"),
        _("Kind"),
        _("Stage"),
        _("In this stage since"),
        _("Sponsoring agency"),
        _("Jurisdiction"),
        _("Total cost (dollars)"),
        _("Funding recorded (dollars)"),
        _("Visibility"),
    ]


def _investment_rows(investments: Iterable[Investment]) -> Iterable[list]:
    for item in investments:
        yield [
            item.name,
            item.get_kind_display(),
            item.get_stage_display(),
            item.stage_since,
            item.sponsor.name if item.sponsor else "",
            item.jurisdiction.name if item.jurisdiction else "",
            _dollars(item.total_cost_cents),
            _dollars(item.funding_cents),
            item.get_visibility_display(),
        ]


@member_required
@require_safe
def investment_list(request: HttpRequest) -> HttpResponse:
    """Members: the investments they may see, filtered, 50 a page, with their funding recorded;
    `?format=csv|xlsx` downloads exactly the filtered rows. The body is cached per data version
    and visibility class (`pages.py`)."""

    def filtered() -> tuple[InvestmentFilter, bool]:
        filterset = InvestmentFilter(
            request.GET or None, queryset=selectors.investment_list(request.user), request=request
        )
        return filterset, (filterset.is_valid() if filterset.is_bound else True)

    if export_format(request):
        filterset, valid = filtered()
        if valid:
            rows = list(_investment_rows(filterset.qs.iterator(chunk_size=500)))
            return export_response(export_format(request), "investments", _investment_export_header(), rows)

    def build() -> Fragment:
        filterset, valid = filtered()
        page, query = _paginate_ids_first(request, filterset.qs)
        context = {
            "filter": filterset,
            "page_obj": page,
            "investments": page.object_list,
            "querystring_without_page": query,
            "can_create": permissions.can_edit_investment.test(request.user),
        }
        return render_fragment(request, template, context, status=200 if valid else 400)

    template = "investments/investment_list.html"
    return PAGES.cached_page(request, template, "investment_list", build)


@member_required
@require_safe
def investment_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """An investment: its funding by program and fiscal year, stage history, location, the tables
    and organisations engaged, its commitments with their status, and the coalition's asks."""
    investment = permissions.investment_get_for_user(request.user, slug)
    user = request.user
    template = "investments/investment_detail.html"

    def build() -> Fragment:
        page = selectors.investment_detail(investment, user=user)
        tables, organizations = selectors.investment_engaged(investment, user)
        context = {
            "investment": investment,
            "page": page,
            "funding": selectors.funding_table(page.funding),
            "tables": tables,
            "organizations": organizations,
            "can_edit": permissions.can_edit_investment.test(user),
            "can_escalate": permissions.can_escalate_commitment.test(user),
            "can_record_ask_action": permissions.can_record_ask_action.test(user, investment),
            "is_public": investment.visibility == Visibility.PUBLIC,
            # What other apps hold about it (contracting opportunities, workforce hours), without
            # this app importing them.
            "related": hooks.collect("investments.related", investment=investment, user=user),
            **_staff_activity(user, investment),
        }
        return render_fragment(request, template, context)

    # Per user: the page says whether the viewer watches the investment's decisions.
    return PAGES.cached_page(
        request, template, "investment_detail", build, per_user=True, context={"investment": investment}
    )


@login_required
@GET_POST
def investment_create(request: HttpRequest) -> HttpResponse:
    """Staff: register an investment, with its first stage and, where known, its location."""
    require(permissions.can_edit_investment, request.user)
    form = InvestmentCreateForm(bound_data(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            investment = services.investment_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("%(name)s was registered.") % {"name": investment.name})
            return redirect("investments:investment_detail", slug=investment.slug)
    return render(request, "investments/investment_create.html", {"form": form}, status=form_status(form))


@login_required
@GET_POST
def investment_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff: change an investment's description, sponsor, place, cost, location, who is engaged
    and who sees it (its stage changes on its own page, with a date)."""
    investment = permissions.investment_get_for_user(request.user, slug)
    require(permissions.can_edit_investment, request.user)
    form = InvestmentForm(
        bound_data(request), initial=InvestmentForm.initial_for(investment), user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.investment_update(actor=request.user, investment=investment, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": form.cleaned_data["name"]})
            return redirect("investments:investment_detail", slug=investment.slug)
    return render(
        request,
        "investments/investment_edit.html",
        {"form": form, "investment": investment},
        status=form_status(form),
    )


@login_required
@GET_POST
def investment_stage_change(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff: move the investment to a stage the rules allow from where it is, with a date."""
    investment = permissions.investment_get_for_user(request.user, slug)
    require(permissions.can_edit_investment, request.user)
    form = StageChangeForm(
        bound_data(request), initial={"effective_on": timezone.localdate()}, current=investment.stage
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.investment_stage_change(actor=request.user, investment=investment, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc, "stage")
        else:
            messages.success(request, _("The stage of %(name)s was changed.") % {"name": investment.name})
            return redirect("investments:investment_detail", slug=investment.slug)
    return render(
        request,
        "investments/investment_stage_change.html",
        {"form": form, "investment": investment},
        status=form_status(form),
    )


@login_required
@GET_POST
def funding_add(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff: add money from one program for one fiscal year (the investment's page posts here; a
    refused amount or year comes back on this page with the reason on its field)."""
    investment = permissions.investment_get_for_user(request.user, slug)
    require(permissions.can_edit_investment, request.user)
    form = FundingForm(bound_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.funding_source_add(actor=request.user, investment=investment, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The funding was added."))
            return redirect("investments:investment_detail", slug=investment.slug)
    return render(
        request,
        "investments/funding_add.html",
        {"form": form, "investment": investment},
        status=form_status(form),
    )


@login_required
@require_POST
def funding_remove(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff: remove one funding source (named in the form, never in the address)."""
    investment = permissions.investment_get_for_user(request.user, slug)
    require(permissions.can_edit_investment, request.user)
    source_id = request.POST.get("source", "")
    if not source_id.isdigit():
        raise Http404
    source = get_object_or_404(investment.funding_sources, pk=int(source_id))
    services.funding_source_remove(actor=request.user, source=source)
    messages.success(request, _("The funding was removed."))
    return redirect("investments:investment_detail", slug=investment.slug)


# Commitments -------------------------------------------------------------------------------------


def _commitment_export_header() -> list[str]:
    return [
        _("Investment"),
        _("Commitment"),
        _("Who promised"),
        _("Category"),
        _("Target is"),
        _("Target"),
        _("Unit"),
        _("Starts"),
        _("Deadline"),
        _("Latest value"),
        _("As of"),
        _("Status"),
        _("Escalation"),
    ]


def _commitment_rows(commitments) -> Iterable[list]:
    for item in commitments:
        yield [
            item.investment.name,
            item.text,
            item.obligor.name,
            item.get_category_display(),
            item.get_direction_display(),
            item.target,
            item.unit,
            item.starts_on,
            item.deadline,
            item.latest_value,
            item.latest_on,
            Compliance(item.status).label,
            item.get_escalation_display(),
        ]


@member_required
@require_safe
def commitment_list(request: HttpRequest) -> HttpResponse:
    """Members: every commitment they may see, on investments they may see, with its status by
    the stated rules, filtered by status (in the database), category, obligor and investment;
    `?format=csv|xlsx` downloads the filtered rows. The body is cached per data version and
    visibility class (`pages.py`)."""

    def filtered() -> tuple[CommitmentFilter, bool]:
        filterset = CommitmentFilter(
            request.GET or None, queryset=selectors.commitment_list(request.user), request=request
        )
        return filterset, (filterset.is_valid() if filterset.is_bound else True)

    if export_format(request):
        filterset, valid = filtered()
        if valid:
            rows = list(_commitment_rows(filterset.qs.iterator(chunk_size=500)))
            return export_response(export_format(request), "commitments", _commitment_export_header(), rows)

    def build() -> Fragment:
        filterset, valid = filtered()
        page, query = _paginate_ids_first(request, filterset.qs)
        context = {
            "filter": filterset,
            "page_obj": page,
            "commitments": page.object_list,
            "querystring_without_page": query,
        }
        return render_fragment(request, template, context, status=200 if valid else 400)

    template = "investments/commitment_list.html"
    return PAGES.cached_page(request, template, "commitment_list", build)


@login_required
@GET_POST
def commitment_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff: record a commitment on the investment, made by an organisation in the directory."""
    investment = permissions.investment_get_for_user(request.user, slug)
    require(permissions.can_edit_investment, request.user)
    form = CommitmentForm(bound_data(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            commitment = services.commitment_create(
                actor=request.user, investment=investment, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The commitment was recorded."))
            return redirect("investments:commitment_detail", public_id=commitment.public_id)
    return render(
        request,
        "investments/commitment_create.html",
        {"form": form, "investment": investment},
        status=form_status(form),
    )


@member_required
@require_safe
def commitment_detail(request: HttpRequest, public_id) -> HttpResponse:
    """A commitment: its target, status, reports with their evidence, escalation steps and, for
    staff, its audit trail and earlier versions."""
    commitment = permissions.commitment_get_for_user(request.user, public_id)
    user = request.user
    template = "investments/commitment_detail.html"

    def build() -> Fragment:
        context = {
            "commitment": commitment,
            "investment": commitment.investment,
            "page": selectors.commitment_page(commitment),
            "can_report": permissions.can_report_commitment.test(user, commitment.investment),
            "can_escalate": permissions.can_escalate_commitment.test(user),
            "is_staff": viewer_for(user).is_staff,
            **_staff_activity(user, commitment),
        }
        return render_fragment(request, template, context)

    return PAGES.cached_page(request, template, "commitment_detail", build, context={"commitment": commitment})


@login_required
@GET_POST
def commitment_report_add(request: HttpRequest, public_id) -> HttpResponse:
    """Staff and representatives of organisations engaged in the investment: report the actual
    value as of a date, with evidence (a file checked by the upload pipeline, or a link)."""
    commitment = permissions.commitment_get_for_user(request.user, public_id)
    require(permissions.can_report_commitment, request.user, commitment.investment)
    form = ReportForm(bound_data(request), request.FILES or None, initial={"as_of": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_report_add(actor=request.user, commitment=commitment, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The report was recorded."))
            return redirect("investments:commitment_detail", public_id=commitment.public_id)
    return render(
        request,
        "investments/commitment_report_add.html",
        {"form": form, "commitment": commitment},
        status=form_status(form),
    )


@login_required
@GET_POST
def commitment_escalate(request: HttpRequest, public_id) -> HttpResponse:
    """Staff: take the commitment one step along flagged → letter sent → public → resolved; only
    the steps that may come next are offered."""
    commitment = permissions.commitment_get_for_user(request.user, public_id)
    require(permissions.can_escalate_commitment, request.user)
    form = EscalationForm(
        bound_data(request), initial={"on": timezone.localdate()}, current=commitment.escalation
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_escalate(actor=request.user, commitment=commitment, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc, "step")
        else:
            messages.success(request, _("The escalation step was recorded."))
            return redirect("investments:commitment_detail", public_id=commitment.public_id)
    return render(
        request,
        "investments/commitment_escalate.html",
        {"form": form, "commitment": commitment},
        status=form_status(form),
    )


# Campaign asks -----------------------------------------------------------------------------------


@login_required
@GET_POST
def ask_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff: record what the coalition asks of whom about the investment."""
    investment = permissions.investment_get_for_user(request.user, slug)
    require(permissions.can_edit_investment, request.user)
    form = AskForm(bound_data(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.ask_create(actor=request.user, investment=investment, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The ask was recorded."))
            return redirect("investments:investment_detail", slug=investment.slug)
    return render(
        request,
        "investments/ask_create.html",
        {"form": form, "investment": investment},
        status=form_status(form),
    )


@login_required
@GET_POST
def ask_action_add(request: HttpRequest, public_id) -> HttpResponse:
    """Staff and representatives of organisations engaged in the investment: a meeting, letter,
    testimony or sign-on for the ask."""
    ask = permissions.ask_get_for_user(request.user, public_id)
    require(permissions.can_record_ask_action, request.user, ask.investment)
    form = AskActionForm(bound_data(request), initial={"on": timezone.localdate()}, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.ask_action_add(actor=request.user, ask=ask, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The action was recorded."))
            return redirect("investments:investment_detail", slug=ask.investment.slug)
    return render(
        request, "investments/ask_action_add.html", {"form": form, "ask": ask}, status=form_status(form)
    )


@login_required
@GET_POST
def ask_outcome_set(request: HttpRequest, public_id) -> HttpResponse:
    """Staff: record the ask's outcome (won, partly won, lost) with its date and evidence, or
    reopen it."""
    ask = permissions.ask_get_for_user(request.user, public_id)
    require(permissions.can_edit_investment, request.user)
    initial = {"outcome": ask.outcome, "outcome_on": ask.outcome_on, "evidence": ask.outcome_evidence}
    form = AskOutcomeForm(bound_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.ask_outcome_set(actor=request.user, ask=ask, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The outcome was recorded."))
            return redirect("investments:investment_detail", slug=ask.investment.slug)
    return render(
        request, "investments/ask_outcome_set.html", {"form": form, "ask": ask}, status=form_status(form)
    )


# The public accountability page ------------------------------------------------------------------


def _public_investment(request: HttpRequest, slug: str) -> Investment:
    """A public investment, for anyone; any other answers 404, whoever asks."""
    return get_object_or_404(
        Investment.objects.visible_to(request.user)
        .filter(visibility=Visibility.PUBLIC)
        .select_related("jurisdiction", "sponsor"),
        slug=slug,
    )


def _accountability_context(investment: Investment) -> dict:
    rows = selectors.accountability(investment)
    counts = dict.fromkeys(Compliance.values, 0)
    for row in rows:
        counts[row.status] += 1
    return {
        "investment": investment,
        "rows": rows,
        "counts": [(code, counts[code]) for code in Compliance.values if counts[code]],
        "today": timezone.localdate(),
    }


@require_safe
def investment_accountability(request: HttpRequest, slug: str) -> HttpResponse:
    """Anyone, for a public investment: its commitments marked public, with their status, who
    promised, the target and the latest report. No person is named."""
    investment = _public_investment(request, slug)
    return render(request, "investments/investment_accountability.html", _accountability_context(investment))


@require_safe
def investment_accountability_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The same page as a PDF, in the reader's language."""
    from commontable.core.pdf import pdf_response, render_pdf

    investment = _public_investment(request, slug)
    pdf = render_pdf(
        "investments/investment_accountability_pdf.html", _accountability_context(investment), request=request
    )
    return pdf_response(pdf, f"{investment.slug}-accountability-{timezone.localdate().isoformat()}.pdf")


def _map_source() -> str:
    try:
        return reverse("api:investment_map")
    except NoReverseMatch:  # the API not mounted: the map shows the counties and the table stays
        return ""


@member_required
@require_safe
def investment_map(request: HttpRequest) -> HttpResponse:
    """Members: the investments they may see on a map (county outlines, no tile server), with a
    table of the same investments, which is the whole page without JavaScript."""
    located = selectors.investment_list(request.user).filter(geometry__isnull=False)
    page, query = paginate(request, located)
    return render(request, "investments/investment_map.html", {
        "page": page, "query": query, "map_source": _map_source(),
    })
