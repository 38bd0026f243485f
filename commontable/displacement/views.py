"""Pages of the displacement watch: the map with its data table, a tract's page, where the methods
disagree, the alert list, the CSV download, and (staff) the census data and computations.

Everything here is public except the data pages, which are staff's. Without JavaScript the map
is replaced by its table, which is the whole page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from commontable.core.exports import csv_response
from commontable.core.http import paginate
from commontable.core.page_cache import Fragment, render_fragment
from commontable.displacement import permissions, selectors, services
from commontable.displacement.forms import RunForm, SourceUploadForm
from commontable.displacement.models import Run
from commontable.displacement.notifications import INVESTMENT_TOPIC, PLACE_TOPIC
from commontable.displacement.pages import PAGES

LAYERS = ("typology", "risk", "alerts", "reports")


def _run_from(request: HttpRequest) -> Run | None:
    """The computation a page shows: `?run=<id>` (any finished one; 404 otherwise) or the current one."""
    run = selectors.run_for(request.GET.get("run"))
    if run is None and request.GET.get("run"):
        raise Http404(_("No such computation."))
    return run


@require_safe
def displacement_map(request: HttpRequest) -> HttpResponse:
    """The map of a computation's tracts (typology, risk index, alert tiers or community reports),
    with a legend, the data table beside it, a text summary and a CSV link."""
    run = _run_from(request)
    layer = request.GET.get("layer", "typology")
    if layer not in LAYERS:
        layer = "typology"
    template = "displacement/displacement_map.html"

    def build() -> Fragment:
        context = {"run": run, "layer": layer, "layers": selectors.layer_choices()}
        if run is not None:
            rows = selectors.layer_rows(run, layer=layer, user=request.user)
            page, query = paginate(request, rows)
            legends = selectors.layer_legends(run, user=request.user)
            context.update(
                page=page, query=query, legend=legends[layer]["items"], legend_json=legends,
                layer_column=dict(selectors.layer_choices())[layer],
                summary=selectors.run_summary(run, user=request.user),
            )
        return render_fragment(request, template, context)

    return PAGES.cached_page(request, template, "displacement_map", build, context={"run": run})


@require_safe
def tract_layer(request: HttpRequest) -> HttpResponse:
    """The map's tract layer as GeoJSON: simplified shapes with each tract's classes."""
    run = _run_from(request)
    if run is None:
        raise Http404(_("Nothing has been computed yet."))
    body, etag = selectors.tract_layer_geojson(run, user=request.user)
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="application/geo+json")
    response["ETag"] = etag
    response["Cache-Control"] = "private, max-age=0, must-revalidate"
    response["Vary"] = "Cookie, Accept-Language"
    return response


@require_safe
def investment_layer(request: HttpRequest) -> HttpResponse:
    """The investments the viewer may see, with their buffers, as GeoJSON for the overlay."""
    body = selectors.investment_overlay_geojson(request.user)
    response = HttpResponse(body, content_type="application/geo+json")
    response["Cache-Control"] = "private, max-age=0, must-revalidate"
    return response


@require_safe
def tract_detail(request: HttpRequest, geoid: str) -> HttpResponse:
    """One tract: its type and why, its inputs with margins and reliability, the risk index, the
    sensitivity flags, where the methods disagree, nearby investments and community reports."""
    run = _run_from(request)
    tract = selectors.tract_get(geoid)
    if tract is None:
        raise Http404(_("No such tract."))
    template = "displacement/tract_detail.html"

    def build() -> Fragment:
        page = selectors.tract_page(tract, run=run, user=request.user)
        return render_fragment(request, template, {
            "tract": tract, "run": run, "page": page, "watch": selectors.watch_choices(tract, page, user=request.user),
        })

    # Per user: the page says which places and investments the viewer watches.
    return PAGES.cached_page(request, template, "tract_detail", build, per_user=True,
                             context={"tract": tract, "run": run})


@login_required
@require_POST
def watch_place(request: HttpRequest, slug: str) -> HttpResponse:
    """Start or stop the weekly digest of alerts in a place (a county, a tract …)."""
    from commontable.core.models import Place

    place = get_object_or_404(Place, slug=slug)
    watching = services.watch_set(user=request.user, topic=PLACE_TOPIC, object_id=place.pk,
                                  watch=request.POST.get("watch") == "1")
    messages.success(request, (_("You will get a weekly digest of alerts in %(name)s.") if watching
                               else _("You will no longer get alerts in %(name)s.")) % {"name": place.name})
    return redirect(_safe_next(request))


@login_required
@require_POST
def watch_investment(request: HttpRequest, slug: str) -> HttpResponse:
    """Start or stop the weekly digest of alerts near an investment the user may see."""
    from commontable.investments.permissions import investment_get_for_user

    investment = investment_get_for_user(request.user, slug)
    watching = services.watch_set(user=request.user, topic=INVESTMENT_TOPIC, object_id=investment.pk,
                                  watch=request.POST.get("watch") == "1")
    messages.success(request, (_("You will get a weekly digest of alerts near %(name)s.") if watching
                               else _("You will no longer get alerts near %(name)s.")) % {"name": investment.name})
    return redirect(_safe_next(request))


def _safe_next(request: HttpRequest) -> str:
    from django.urls import reverse
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse("displacement:alert_list")


@require_safe
def disagreement_list(request: HttpRequest) -> HttpResponse:
    """Tracts whose classes differ across the typology, the risk index and the sensitivity flags,
    and tracts whose type is fragile within the survey's margins."""
    run = _run_from(request)
    rows = selectors.disagreements(run) if run else []
    only_fragile = request.GET.get("fragile") == "1"
    if only_fragile:
        rows = [row for row in rows if row.fragile]
    page, query = paginate(request, rows)
    return render(request, "displacement/disagreement_list.html", {
        "run": run, "page": page, "query": query, "only_fragile": only_fragile,
    })


@require_safe
def alert_list(request: HttpRequest) -> HttpResponse:
    """Tracts exposed to planned investment by alert tier, with the investments behind each."""
    run = _run_from(request)
    try:
        tier = int(request.GET.get("tier", "1"))
    except ValueError:
        tier = 1
    if tier not in (1, 2, 3):
        tier = 1
    rows = selectors.alert_rows(run, user=request.user, tier=tier) if run else []
    page, query = paginate(request, rows)
    return render(request, "displacement/alert_list.html", {
        "run": run, "tier": tier, "tiers": selectors.alert_tiers(), "page": page, "query": query,
    })


@require_safe
def results_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Every tract of a computation as CSV: identity, type and reason, building blocks, index,
    sensitivity flags, stability and alert tier (formula-safe cells)."""
    run = _run_from(request)
    if run is None:
        raise Http404(_("Nothing has been computed yet."))
    header, rows = selectors.results_table(run, user=request.user)
    return csv_response(f"displacement-{run.region.slug}-{run.t0}-{run.t1}", header, rows)


@login_required
@require_safe
def data_overview(request: HttpRequest) -> HttpResponse:
    """Staff: the census files loaded, the computations run, and the forms for both."""
    if not permissions.can_load_census_data(request.user):
        raise PermissionDenied
    return render(request, "displacement/data_overview.html", {
        "sources": selectors.source_list()[:50],
        "runs": selectors.run_list()[:50],
        "upload_form": SourceUploadForm(),
        "run_form": RunForm(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def source_upload(request: HttpRequest) -> HttpResponse:
    """Staff: upload a census file; it is checked and shown before anything is written."""
    if not permissions.can_load_census_data(request.user):
        raise PermissionDenied
    form = SourceUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch, check = services.census_file_check(
            kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"],
            year=form.cleaned_data.get("year"), actor=request.user,
        )
        if batch is None:
            return render(request, "displacement/source_upload.html", {"form": form, "check": check}, status=400)
        return redirect("displacement:source_preview", public_id=batch.public_id)
    return render(request, "displacement/source_upload.html", {"form": form})


@login_required
@require_safe
def source_preview(request: HttpRequest, public_id) -> HttpResponse:
    if not permissions.can_load_census_data(request.user):
        raise PermissionDenied
    batch = services.census_batch_get_for_user(request.user, public_id)
    return render(request, "displacement/source_preview.html", {"batch": batch, "check": batch.summary})


@login_required
@require_POST
def source_apply(request: HttpRequest, public_id) -> HttpResponse:
    if not permissions.can_load_census_data(request.user):
        raise PermissionDenied
    batch = services.census_batch_get_for_user(request.user, public_id)
    try:
        load = services.census_batch_apply(batch=batch, actor=request.user)
    except services.CensusRefused as refused:
        for problem in refused.problems[:20]:
            messages.error(request, problem)
        return redirect("displacement:source_preview", public_id=batch.public_id)
    messages.success(request, _("Loaded %(file)s: %(rows)s rows.") % {"file": load.file_name, "rows": load.rows})
    return redirect("displacement:data_overview")


@login_required
@require_POST
def run_start(request: HttpRequest) -> HttpResponse:
    """Staff: compute the typology, index and flags for a region, profile and window."""
    if not permissions.can_start_computation(request.user):
        raise PermissionDenied
    form = RunForm(request.POST)
    if not form.is_valid():
        return render(request, "displacement/data_overview.html", {
            "sources": selectors.source_list()[:50], "runs": selectors.run_list()[:50],
            "upload_form": SourceUploadForm(), "run_form": form,
        }, status=400)
    try:
        run = services.run_compute_later(actor=request.user, **form.cleaned_data)
    except services.CensusRefused as refused:
        for problem in refused.problems[:20]:
            messages.error(request, problem)
        return redirect("displacement:data_overview")
    run.refresh_from_db()
    if run.status == "done":
        messages.success(request, _("Computed %(count)s tracts.") % {"count": run.tract_count})
        return redirect(_map_url(run))
    messages.success(request, _("The computation has started; this page shows it as finished when it is done."))
    return redirect("displacement:data_overview")


def _map_url(run: Run) -> str:
    from django.urls import reverse

    return f"{reverse('displacement:displacement_map')}?run={run.public_id}"
