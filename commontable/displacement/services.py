"""Writes of the displacement watch: loading census files (checked first, then written all or
nothing) and computing a region's typology, risk index and sensitivity flags.

The readers in `sources/` check a file and return plain data or every problem found; the method in
`method/` computes over arrays. This module is the only place that turns either into rows.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from commontable.core.audit import log_action
from commontable.core.indicators import data_changed
from commontable.core.models import ImportBatch
from commontable.displacement.choices import RunStatus, SourceKind
from commontable.displacement.models import (
    Region,
    Run,
    SourceLoad,
    SurveyValues,
    Tract,
    TractRelationship,
    TractResult,
)
from commontable.displacement.selectors import RESULTS_LABEL, TRACTS_LABEL

BATCH_PREFIX = "displacement."
BRACKETED_TABLES = {"B19001", "B25063", "B25094", "B25075", "B07010"}
WRITE_BATCH = 2000


class CensusRefused(Exception):  # noqa: N818 (a refusal the user reads, not a programming error)
    """A file or a computation refused, with every problem in plain words; nothing was written."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Checked:
    """What a census file holds, once read and checked: shown before anything is written."""

    kind: str
    file_name: str
    year: int | None = None
    geography_year: int | None = None
    rows: int = 0
    variables: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    data: object = None

    def summary(self) -> dict:
        return {
            "kind": self.kind, "kind_label": str(SourceKind(self.kind).label), "file_name": self.file_name,
            "year": self.year, "geography_year": self.geography_year, "rows": self.rows,
            "variables": self.variables[:200], "notes": [str(note) for note in self.notes],
            "labels": self.labels,
        }


def _problems(error) -> list[str]:
    return [str(problem) for problem in getattr(error, "problems", [error])]


def census_file_read(*, kind: str, data: bytes, file_name: str, year: int | None = None) -> Checked:
    """Read and check a census file; raises CensusRefused with every problem found."""
    from commontable.displacement.sources import acs, relationship, tiger
    from commontable.displacement.sources.errors import SourceError

    try:
        if kind == SourceKind.ACS:
            table = acs.read_acs_file(data, year=year, name=file_name)
            checked = Checked(kind, file_name, table.year, table.geography_year, len(table.geoids),
                              sorted(table.estimates), data=table)
            # Bracket bounds come from the labels (they change between vintages): keep those of the
            # bracketed tables for the computation.
            checked.labels = {var: label for var, label in (table.labels or {}).items()
                              if var.split("_")[0] in BRACKETED_TABLES}
            annotated = sum(len(cells) for cells in table.annotations.values())
            if annotated:
                checked.notes.append(_("%(count)s cells carry a census annotation (too few cases, not applicable, "
                                       "top-coded …): they are kept as missing, never as zero.") % {"count": annotated})
            return checked
        if kind == SourceKind.TRACTS:
            shapes = tiger.read_tracts(data, name=file_name)
            checked = Checked(kind, file_name, shapes.geography_year, shapes.geography_year, len(shapes.geoids), data=shapes)
            if shapes.water_only_excluded:
                checked.notes.append(_("%(count)s water-only tracts were left out.") % {"count": len(shapes.water_only_excluded)})
            if shapes.repaired:
                checked.notes.append(_("%(count)s invalid boundaries were repaired: %(geoids)s.")
                                     % {"count": len(shapes.repaired), "geoids": ", ".join(shapes.repaired[:20])})
            return checked
        if kind == SourceKind.RELATIONSHIP:
            crosswalk = relationship.read_crosswalk(data, name=file_name)
            checked = Checked(kind, file_name, 2020, 2020, len(crosswalk.source_geoids),
                              sorted(crosswalk.weights), data=crosswalk)
            checked.notes.extend(crosswalk.notes)
            return checked
    except SourceError as error:
        raise CensusRefused(_problems(error)) from None
    raise CensusRefused([_("Unknown kind of census file.")])


def census_file_check(*, kind: str, upload, year: int | None, actor) -> tuple[ImportBatch | None, dict]:
    """Read an uploaded census file and keep it for the preview; nothing else is written. Returns
    (None, {"problems": […]}) when the file is refused."""
    from commontable.core.uploads import check_upload_size

    try:
        check_upload_size(upload)
    except Exception as error:  # a ValidationError with the size message
        return None, {"problems": [str(message) for message in getattr(error, "messages", [str(error)])]}
    data = upload.read()
    try:
        checked = census_file_read(kind=kind, data=data, file_name=upload.name, year=year)
    except CensusRefused as refused:
        return None, {"problems": refused.problems}
    summary = checked.summary() | {"requested_year": year}
    batch = ImportBatch.objects.create(
        kind=BATCH_PREFIX + kind, filename=upload.name[:255], content=data,
        sha256=hashlib.sha256(data).hexdigest(), summary=summary, created_by=actor,
    )
    return batch, summary


def census_batch_get_for_user(user, public_id) -> ImportBatch:
    """An uploaded census file, for staff who may load census data (404 for anyone else)."""
    from django.http import Http404

    from commontable.displacement.permissions import can_load_census_data

    if not can_load_census_data(user):
        raise Http404
    return get_object_or_404(ImportBatch, public_id=public_id, kind__startswith=BATCH_PREFIX)


def census_batch_apply(*, batch: ImportBatch, actor) -> SourceLoad:
    """Load a checked file: read and checked again, then written all or nothing."""
    if batch.status != ImportBatch.Status.PREVIEWED:
        raise CensusRefused([_("This file has already been loaded or refused; upload it again.")])
    kind = batch.kind.removeprefix(BATCH_PREFIX)
    with transaction.atomic():
        load = census_load(kind=kind, data=bytes(batch.content), file_name=batch.filename,
                           year=batch.summary.get("requested_year"), actor=actor)
        batch.status = ImportBatch.Status.APPLIED
        batch.applied_at = timezone.now()
        batch.summary = batch.summary | {"source_load": str(load.public_id)}
        batch.save(update_fields=["status", "applied_at", "summary"])
    return load


def census_load(*, kind: str, data: bytes, file_name: str, year: int | None = None, actor=None,
                synthetic: bool = False) -> SourceLoad:
    """Read, check and write a census file in one transaction (the upload's last step and the
    `displacement_import` command)."""
    checked = census_file_read(kind=kind, data=data, file_name=file_name, year=year)
    return _store(checked, sha256=hashlib.sha256(data).hexdigest(), actor=actor, synthetic=synthetic)


def _store(checked: Checked, *, sha256: str, actor=None, synthetic: bool = False) -> SourceLoad:
    kind = checked.kind
    with transaction.atomic():
        load = SourceLoad.objects.create(
            kind=kind, file_name=checked.file_name[:255], sha256=sha256, year=checked.year or 0,
            geography_year=checked.geography_year or 0, variables=checked.variables[:500], rows=checked.rows,
            synthetic=synthetic, loaded_by=actor if getattr(actor, "is_authenticated", False) else None,
            summary=checked.summary(),
        )
        if kind == SourceKind.ACS:
            _write_survey_values(checked.data, synthetic=synthetic)
        elif kind == SourceKind.TRACTS:
            _write_tracts(checked.data, load=load, synthetic=synthetic)
        else:
            _write_relationship(checked.data)
        log_action(load, "displacement.census_file.loaded", actor=actor, data={"kind": kind, "rows": checked.rows})
    data_changed(TRACTS_LABEL)
    return load


def census_fetch(*, year: int, states: list[str], cache_dir, counties: dict[str, list[str]] | None = None,
                 key: str | None = None, variables: list[str] | None = None, transport=None,
                 min_interval: float = 1.0, progress=None, actor=None) -> SourceLoad:
    """Fetch survey values from the Census Data API (paced; each answer kept in `cache_dir`, so an
    interrupted fetch resumes where it stopped), then check and store them all or nothing."""
    from commontable.displacement.computing import VARIABLES_NEEDED
    from commontable.displacement.sources import census_api
    from commontable.displacement.sources.errors import SourceError

    wanted = variables or VARIABLES_NEEDED
    try:
        report = census_api.fetch_acs_tracts(
            year=year, variables=wanted, states=states, counties=counties, cache_dir=cache_dir, key=key,
            transport=transport, min_interval=min_interval, progress=progress,
        )
        groups = sorted({var.split("_")[0] for var in wanted if var.split("_")[0] in BRACKETED_TABLES})
        labels = census_api.fetch_labels(year=year, groups=groups, cache_dir=cache_dir, transport=transport, key=key)
        table = census_api.read_fetched(report.files, year=year, labels=labels)
    except SourceError as error:
        raise CensusRefused(_problems(error)) from None
    name = f"census-api-acs5-{year}-" + "-".join(sorted(states))
    checked = Checked(SourceKind.ACS, name, table.year, table.geography_year, len(table.geoids), sorted(table.estimates),
                      labels={var: label for var, label in table.labels.items() if var.split("_")[0] in BRACKETED_TABLES},
                      data=table)
    checked.notes.append(_("Fetched %(calls)s answers from the Census Data API, reused %(reused)s kept from before.")
                         % {"calls": len(report.fetched), "reused": len(report.reused)})
    digest = hashlib.sha256("".join(sorted(str(path) for path in report.files)).encode()).hexdigest()
    return _store(checked, sha256=digest, actor=actor)


def _finite(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _write_survey_values(table, *, synthetic: bool) -> int:
    """Merge a survey table into the stored values: variables in the file replace the same
    variables; others stay."""
    geoids = [str(geoid) for geoid in table.geoids]
    existing = {
        row.geoid: row
        for row in SurveyValues.objects.filter(year=table.year, geography_year=table.geography_year, geoid__in=geoids)
    } if len(geoids) < 5000 else {
        row.geoid: row for row in SurveyValues.objects.filter(year=table.year, geography_year=table.geography_year)
    }
    annotations = getattr(table, "annotations", {}) or {}
    variables = list(table.estimates)
    new, changed = [], []
    for i, geoid in enumerate(geoids):
        values = {}
        for variable in variables:
            estimate = _finite(table.estimates[variable][i])
            moes = table.moes.get(variable)
            margin = _finite(moes[i]) if moes is not None else None
            note = (annotations.get(variable) or {}).get(i, "")
            values[variable] = [estimate, margin, note]
        row = existing.get(geoid)
        if row is None:
            new.append(SurveyValues(year=table.year, geography_year=table.geography_year, geoid=geoid, values=values,
                                    synthetic=synthetic))
        else:
            row.values = row.values | values
            row.synthetic = row.synthetic or synthetic
            changed.append(row)
    SurveyValues.objects.bulk_create(new, batch_size=WRITE_BATCH)
    SurveyValues.objects.bulk_update(changed, ["values", "synthetic"], batch_size=WRITE_BATCH)
    return len(new) + len(changed)


def _write_tracts(shapes, *, load: SourceLoad, synthetic: bool) -> int:
    """Tract boundaries of a census replace those stored for the same GEOIDs."""
    import shapely

    geoids = [str(geoid) for geoid in shapes.geoids]
    centroids = shapely.point_on_surface(shapes.polygons)
    geometries = shapely.to_geojson(shapely.set_precision(shapes.polygons, 0.000001))
    Tract.objects.filter(geography_year=shapes.geography_year, geoid__in=geoids).delete() if len(geoids) < 5000 else \
        Tract.objects.filter(geography_year=shapes.geography_year).delete()
    rows = [
        Tract(
            geoid=geoid, geography_year=shapes.geography_year, name=str(shapes.names[i] or "")[:100],
            county_fips=geoid[:5], aland_m2=int(shapes.aland[i] or 0), awater_m2=int(shapes.awater[i] or 0),
            geometry=str(geometries[i]), centroid_lon=float(shapely.get_x(centroids[i])),
            centroid_lat=float(shapely.get_y(centroids[i])), synthetic=synthetic, source=load,
        )
        for i, geoid in enumerate(geoids)
    ]
    Tract.objects.bulk_create(rows, batch_size=WRITE_BATCH)
    tract_neighbours_refresh(geography_year=shapes.geography_year)
    return len(rows)


def tract_neighbours_refresh(*, geography_year: int) -> int:
    """Work out which stored tracts of a census touch (queen contiguity) and keep it on each tract,
    across every file loaded so far (a state loaded later gains its border neighbours)."""
    import shapely

    from commontable.displacement.method.lag import queen_weights

    rows = list(Tract.objects.filter(geography_year=geography_year).order_by("geoid").values_list("pk", "geoid", "geometry"))
    if not rows:
        return 0
    weights = queen_weights(shapely.from_geojson([row[2] for row in rows]))
    geoids = [row[1] for row in rows]
    updates = []
    for i, (pk, _geoid, _geometry) in enumerate(rows):
        near = [geoids[j] for j in weights.indices[weights.indptr[i]:weights.indptr[i + 1]].tolist()]
        updates.append(Tract(pk=pk, neighbours=near))
    Tract.objects.bulk_update(updates, ["neighbours"], batch_size=WRITE_BATCH)
    return len(updates)


def _write_relationship(crosswalk) -> int:
    """A relationship file replaces the stored parts of the 2010 tracts it covers."""
    sources = [str(g) for g in crosswalk.source_geoids]
    targets = [str(g) for g in crosswalk.target_geoids]
    TractRelationship.objects.filter(source_geoid__in=sorted(set(sources))).delete()
    rows = [
        TractRelationship(
            source_geoid=source, target_geoid=target,
            weights={name: _finite(weights[i]) for name, weights in crosswalk.weights.items()},
        )
        for i, (source, target) in enumerate(zip(sources, targets, strict=True))
    ]
    TractRelationship.objects.bulk_create(rows, batch_size=WRITE_BATCH)
    return len(rows)


def region_default_ensure() -> Region:
    """The default region; the seven-county Twin Cities region (as migration 0002 seeds it) when
    there is none (a database emptied by hand or by a test)."""
    region = Region.objects.order_by("-is_default", "pk").first()
    if region is None:
        region = Region.objects.create(
            slug="twin_cities", name="Twin Cities seven-county region", is_default=True,
            county_fips=["27003", "27019", "27037", "27053", "27123", "27139", "27163"],
        )
    return region


# --- Computing ---------------------------------------------------------------------------------------


def run_compute(*, region: Region, profile: str, t0: int, t1: int, actor=None, stability_draws: int = 100,
                seed: int = 0) -> Run:
    """Compute a region's typology, risk index and sensitivity flags for a window and keep every
    tract's result, now. All or nothing: a refused computation raises CensusRefused and writes nothing."""
    from commontable.displacement import computing

    try:
        prepared = computing.prepare(region=region, profile=profile, t0=t0, t1=t1)
    except computing.NotComputable as refused:
        raise CensusRefused(refused.problems) from None
    run = Run(region=region, profile=profile, t0=t0, t1=t1, status=RunStatus.RUNNING,
              created_by=actor if getattr(actor, "is_authenticated", False) else None,
              parameters={"stability_draws": stability_draws, "seed": seed})
    return _run_finish(run, prepared, actor=actor)


def _run_finish(run: Run, prepared, *, actor=None) -> Run:
    from commontable.displacement import computing

    rows = computing.compute(prepared, stability_draws=run.parameters.get("stability_draws", 100),
                             seed=run.parameters.get("seed", 0))
    with transaction.atomic():
        run.status = RunStatus.DONE
        run.synthetic = prepared.synthetic
        run.tract_count = len(rows)
        run.finished_at = timezone.now()
        run.parameters = run.parameters | {"crosswalked_years": prepared.crosswalked_years,
                                           "risk_extra": sorted(prepared.risk_extra)}
        run.save()
        TractResult.objects.filter(run=run).delete()
        TractResult.objects.bulk_create([TractResult(run=run, **row) for row in rows], batch_size=WRITE_BATCH)
        log_action(run, "displacement.run.computed", actor=actor, data={"tracts": len(rows)})
    data_changed(RESULTS_LABEL)
    return run


def run_compute_later(*, region: Region, profile: str, t0: int, t1: int, actor=None, stability_draws: int = 100) -> Run:
    """Check that a computation can run (what is missing is said at once), record it as running and
    leave the work to the background worker; its page shows when it is done."""
    from commontable.displacement import computing
    from commontable.displacement.tasks import run_compute_task

    try:
        computing.prepare(region=region, profile=profile, t0=t0, t1=t1)
    except computing.NotComputable as refused:
        raise CensusRefused(refused.problems) from None
    run = Run.objects.create(region=region, profile=profile, t0=t0, t1=t1, status=RunStatus.RUNNING,
                             created_by=actor if getattr(actor, "is_authenticated", False) else None,
                             parameters={"stability_draws": stability_draws, "seed": 0})
    log_action(run, "displacement.run.started", actor=actor)
    transaction.on_commit(lambda: run_compute_task.enqueue(run.pk))
    return run


def run_compute_background(run_id: int) -> None:
    """The background step: prepare and compute a recorded run; a failure is kept on the run."""
    from commontable.displacement import computing

    run = Run.objects.select_related("region", "created_by").filter(pk=run_id, status=RunStatus.RUNNING).first()
    if run is None:
        return
    try:
        prepared = computing.prepare(region=run.region, profile=run.profile, t0=run.t0, t1=run.t1)
        _run_finish(run, prepared, actor=run.created_by)
    except computing.NotComputable as refused:
        Run.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, error="; ".join(refused.problems)[:2000],
                                             finished_at=timezone.now())
    except Exception as error:
        Run.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, error=str(error)[:2000], finished_at=timezone.now())
        raise


# --- Watching a place or an investment for the digest ------------------------------------------------


def watch_set(*, user, topic: str, object_id: int, watch: bool) -> bool:
    """Start (or end) the user's weekly displacement digest for a place or an investment. Returns
    whether the user now watches it."""
    from commontable.core import notifications

    if watch:
        notifications.subscribe(user=user, topic=topic, object_id=object_id, resubscribe=True,
                                language=getattr(user, "preferred_language", ""))
        return True
    existing = notifications.subscription_for(user, topic, object_id)
    if existing is not None:
        notifications.unsubscribe(existing)
    return False
