"""The displacement watch's JSON API: computations, tract results (with each viewer's alert tier)
and the alert list. The pages' twins: the same selectors, public like the pages; the overlay counts
only the investments the caller may see."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja import Status as Respond

from commontable.directory.api import _reject_unknown_query
from commontable.displacement import selectors
from commontable.displacement.models import Run, TractResult
from commontable.displacement.schemas import (
    AlertFilters,
    AlertPage,
    Error,
    ResultDetailOut,
    ResultFilters,
    ResultPage,
    RunOut,
)

router = Router(tags=["displacement"])


def _run_out(run: Run) -> dict:
    return {
        "id": str(run.public_id), "region": run.region.slug, "profile": run.profile, "t0": run.t0, "t1": run.t1,
        "synthetic": run.synthetic, "tract_count": run.tract_count,
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
    }


def _result_out(result: TractResult, names: dict, found) -> dict:
    return {
        "geoid": result.geoid, "name": names.get(result.geoid) or result.geoid, "typology": result.typology,
        "typology_label": str(selectors.typology_label(result.typology)), "reason": result.reason,
        "stability": result.stability, "fragile": result.stability is not None and result.stability < selectors.FRAGILE_BELOW,
        "risk_score": result.risk_score, "risk_class": result.risk_class, "bipoc_share": result.bipoc_share,
        "sensitivity": result.sensitivity, "alert_tier": found.tier_of(result.geoid, result.typology),
    }


@router.get("/displacement/runs", response=list[RunOut], operation_id="displacement_run_list",
            summary="List finished computations")
def run_list(request: HttpRequest):
    return [_run_out(run) for run in selectors.run_list().filter(status="done")[:100]]


@router.get("/displacement/results", response={200: ResultPage, 404: Error}, operation_id="displacement_result_list",
            summary="List tract results of a computation",
            description="Every tract of a computation (the current one by default) with its type, risk index, "
                        "sensitivity flags, stability and your alert tier. Public.")
def result_list(request: HttpRequest, filters: Query[ResultFilters]):
    _reject_unknown_query(request, ResultFilters)
    run = selectors.run_for(filters.run)
    if run is None:
        return Respond(404, {"detail": _("No such computation.")})
    results = selectors.result_list(run, typology=filters.typology or "", risk=filters.risk or "")
    count = results.count()
    page = list(results[filters.offset : filters.offset + filters.limit])
    names = selectors.tract_names()
    found = selectors.exposure(request.user)
    return {"run": _run_out(run), "count": count, "limit": filters.limit, "offset": filters.offset,
            "items": [_result_out(result, names, found) for result in page]}


@router.get("/displacement/results/{geoid}", response={200: ResultDetailOut, 404: Error},
            operation_id="displacement_result_get", summary="One tract's result",
            description="A tract's result with its building blocks, the survey values used, where the methods "
                        "disagree, and the planned investments you may see within reach.")
def result_get(request: HttpRequest, geoid: str, run: str | None = None):
    chosen = selectors.run_for(run)
    result = selectors.result_get(chosen, geoid) if chosen else None
    if result is None:
        return Respond(404, {"detail": _("No such tract in this computation.")})
    found = selectors.exposure(request.user)
    out = _result_out(result, selectors.tract_names(), found)
    out.update(
        blocks=result.blocks, inputs=result.inputs, disagreement=selectors.disagreement_text(result),
        investments=[{"slug": item.slug, "name": item.name, "stage": item.stage}
                     for item in found.investments.get(result.geoid, [])],
    )
    return out


@router.get("/displacement/alerts", response={200: AlertPage, 404: Error}, operation_id="displacement_alert_list",
            summary="Tracts at an alert tier",
            description="Tracts exposed to planned investment you may see, at tier 1 (default), 2 or 3, with the "
                        "investments behind each.")
def alert_list(request: HttpRequest, filters: Query[AlertFilters]):
    _reject_unknown_query(request, AlertFilters)
    run = selectors.run_for(filters.run)
    if run is None:
        return Respond(404, {"detail": _("No such computation.")})
    rows = selectors.alert_rows(run, user=request.user, tier=filters.tier)
    found = selectors.exposure(request.user)
    page = rows[filters.offset : filters.offset + filters.limit]
    return {"run": _run_out(run), "count": len(rows), "limit": filters.limit, "offset": filters.offset, "items": [
        {"geoid": row.geoid, "name": row.name, "typology": row.typology_label,
         "exposed_land_share": found.land_share.get(row.geoid), "bipoc_high": row.bipoc_high,
         "investments": [{"slug": item.slug, "name": item.name, "stage": item.stage} for item in row.investments]}
        for row in page
    ]}
