"""The investment watch's JSON API: investments (with funding, stages, location, and the map's
GeoJSON), community-benefit commitments (reports, escalation) and campaign asks (actions, outcome).

Each endpoint is the page's twin: the same `*_get_for_user` (what the caller may not see answers
404), the same `can_*` predicate (seen but not allowed answers 403), the same selectors (the
investment page is one `selectors.investment_detail` call, the commitment list one
`selectors.commitment_list` with its status computed in SQL) and the same audited services, whose
field errors become 422s with one entry per field.

Reads accept a token, a session or nothing: without credentials a list shows only what an
anonymous visitor may see (public records on public investments), never a 401. Writes need a token
or a signed-in session (with its CSRF token).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import uuid

from django.core.cache import cache
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.urls import NoReverseMatch, reverse
from django.utils.http import parse_etags
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, UploadedFile
from ninja import Status as Respond
from ninja.errors import ValidationError as NinjaValidationError

from commontable.accounts.api import api_auth_signed_in
from commontable.core.visibility import viewer_for
from commontable.directory.api import (
    _filter,
    _forbidden,
    _reject_unknown_query,
    _visible_organization_ids,
)
from commontable.directory.schemas import InSchema
from commontable.investments import api_shapes as shapes
from commontable.investments import permissions, selectors, services
from commontable.investments.choices import Stage
from commontable.investments.filters import CommitmentFilter, InvestmentFilter
from commontable.investments.schemas import (
    FEATURE_COLLECTION_SCHEMA,
    AskActionIn,
    AskActionOut,
    AskFilters,
    AskIn,
    AskOut,
    AskOutcomeIn,
    AskPage,
    CommitmentDetailOut,
    CommitmentFilters,
    CommitmentIn,
    CommitmentPage,
    Error,
    EscalationIn,
    EscalationStepOut,
    FundingIn,
    FundingOut,
    InvestmentDetailOut,
    InvestmentFilters,
    InvestmentIn,
    InvestmentPage,
    InvestmentPatch,
    ReportIn,
    ReportOut,
    Slug,
    StageChangeOut,
    StageIn,
    ValidationErrorOut,
)

router = Router(tags=["investments"])

PUBLIC_ONLY = (
    "Without credentials this list answers 200 with what an anonymous visitor may see (public "
    "records on public investments), never 401; a token that is unknown, revoked or expired answers 401."
)
READ = {404: Error, 422: ValidationErrorOut}
WRITE = {401: Error, 403: Error, 404: Error, 422: ValidationErrorOut}
CREATE = {401: Error, 403: Error, 422: ValidationErrorOut}
STAFF_ONLY = "Staff. "
# The model's names of the fields an investment's body names otherwise.
INVESTMENT_RENAMES = {"total_cost_cents": "total_cost", "geometry": "location"}


# ---------------------------------------------------------------------------------------------
# Investments


@router.get(
    "/investments",
    response={200: InvestmentPage, 422: ValidationErrorOut},
    operation_id="investment_list",
    summary="List investments",
    description="Investments you may see, by name, filtered as on the investments page, with their "
    "funding total in dollars. " + PUBLIC_ONLY,
)
def investment_list(request: HttpRequest, filters: Query[InvestmentFilters]):
    _reject_unknown_query(request, InvestmentFilters)
    user = request.user
    items = _filter(InvestmentFilter, filters, selectors.investment_list(user), request)
    # Ties on the name would make pages overlap; the id breaks them.
    count, page = shapes.page_of(items.order_by("name", "pk"), filters)
    visible_orgs = _visible_organization_ids(user) if any(i.sponsor_id for i in page) else set()
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [shapes.investment_out(i, visible_orgs, i.funding_cents) for i in page],
    }


def _page_url_template() -> tuple[str, str] | None:
    """The investment page's address around its slug, or None where the pages are not served."""
    marker = "slug-placeholder"
    try:
        url = reverse("investments:investment_detail", kwargs={"slug": marker})
    except NoReverseMatch:
        return None
    head, _marker, tail = url.partition(marker)
    return head, tail


def _feature_collection(rows, url: tuple[str, str] | None) -> bytes:
    """The map's GeoJSON, written once: each geometry is spliced in as the text the database
    holds (it was checked and rounded to six decimals when written, so it is neither parsed nor
    re-encoded here), the properties of every feature by one reusable encoder."""
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode
    stage_labels = {value: str(label) for value, label in Stage.choices}
    parts = []
    for slug, name, kind, stage, funding_cents, geometry in rows:
        properties = encode(
            {
                "slug": slug,
                "name": name,
                "kind": kind,
                "stage": stage,
                "stage_label": stage_labels.get(stage, stage),
                "funding": (funding_cents or 0) / 100,
                "url": f"{url[0]}{slug}{url[1]}" if url else None,
            }
        )
        parts.append(f'{{"type":"Feature","geometry":{geometry},"properties":{properties}}}')
    return ('{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}").encode()


class NoQuery(InSchema):
    pass


# The map is cached per viewer class and version; the version catches every change made through
# the services, the time limit any made around them (a bulk update that keeps `updated_at`).
MAP_CACHE_SECONDS = 60
# At 5,000 investments level 4 makes 484 KB in 30 ms where level 6 makes 453 KB in 70 ms: the
# first load after a change stays within the 200 ms, the answer well within its 1 MB.
MAP_GZIP_LEVEL = 4
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


@router.get(
    "/investments.geojson",
    response={200: None, 422: ValidationErrorOut},
    operation_id="investment_map",
    summary="The investments on a map (GeoJSON)",
    description="A GeoJSON FeatureCollection (`application/geo+json`) of every investment you may see "
    "that has a location: its geometry (longitude/latitude, six decimals) and as properties its slug, "
    "name, kind, stage (with its label in your language), funding total in dollars and the address "
    "of its page. Compressed with gzip "
    "when the request accepts it. The ETag changes when anything on your map changes, so "
    "`If-None-Match` answers 304 while nothing has. " + PUBLIC_ONLY,
    openapi_extra={
        "responses": {
            200: {
                "description": "A GeoJSON FeatureCollection.",
                "content": {"application/geo+json": {"schema": FEATURE_COLLECTION_SCHEMA}},
            },
            304: {"description": "Not modified: the ETag sent in If-None-Match still holds."},
        }
    },
)
def investment_map(request: HttpRequest):
    _reject_unknown_query(request, NoQuery)
    user = request.user
    url = _page_url_template()
    # Queries: the map's version (two small aggregates); on a cache miss, the features in one
    # query of the needed columns (no model instances).
    version = selectors.investment_map_version(user)
    # Stage labels are in the caller's language: one cached map per language too.
    key = (_viewer_class(user), version, url, get_language())
    digest = hashlib.sha256(repr(key).encode()).hexdigest()[:40]
    # Weak: the gzipped and the plain answer are the same GeoJSON.
    etag = f'W/"{digest}"'
    # The content depends on who asks: private to the caller, revalidated every time.
    headers = {
        "ETag": etag,
        "Cache-Control": "private, no-cache",
        "Vary": "Accept-Encoding, Cookie, Authorization",
    }
    wanted = {tag.removeprefix("W/") for tag in parse_etags(request.headers.get("If-None-Match", ""))}
    if etag.removeprefix("W/") in wanted or "*" in wanted:
        return HttpResponseNotModified(headers=headers)
    key = f"investments:map:{digest}"
    body = None
    compressed = cache.get(key)
    if compressed is None:
        body = _feature_collection(selectors.investment_map_rows(user), url)
        # Compressed once per version (the site has no GZipMiddleware; whitenoise compresses only
        # static files).
        compressed = gzip.compress(body, compresslevel=MAP_GZIP_LEVEL, mtime=0)
        cache.set(key, compressed, MAP_CACHE_SECONDS)
    if ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        headers["Content-Encoding"] = "gzip"
        return HttpResponse(compressed, content_type="application/geo+json", headers=headers)
    return HttpResponse(
        body or gzip.decompress(compressed), content_type="application/geo+json", headers=headers
    )


def _viewer_class(user) -> tuple:
    """Everything the visibility of investments depends on: viewers of one class see the same
    investments, so they share the cached map (staff see them all)."""
    viewer = viewer_for(user)
    if viewer.is_staff:
        return ("staff",)
    return (viewer.is_member, sorted(viewer.table_ids), sorted(viewer.organization_ids))


@router.get(
    "/investments/{slug}",
    response={200: InvestmentDetailOut, **READ},
    operation_id="investment_get",
    summary="An investment",
    description="Description, sponsor, place, cost, location, tables and organizations engaged, funding "
    "sources, stage history, and its commitments (with their status today) and asks that you may see.",
)
def investment_get(request: HttpRequest, slug: Slug):
    user = request.user
    return shapes.investment_detail(permissions.investment_get_for_user(user, slug), user)


@router.post(
    "/investments",
    auth=api_auth_signed_in,
    response={201: InvestmentDetailOut, **CREATE},
    operation_id="investment_create",
    summary="Register an investment",
    description=STAFF_ONLY + "The slug is made from the name. Amounts are in dollars; the location is "
    "checked (valid GeoJSON, inside the coalition's region) and stored with six decimals. The stage "
    "starts its dated history.",
)
def investment_create(request: HttpRequest, payload: InvestmentIn):
    user = request.user
    if not permissions.can_edit_investment.test(user):
        raise _forbidden()
    data = shapes.resolve(
        user,
        payload.model_dump(),
        organizations=["sponsor"],
        organization_lists=["organizations"],
        tables=["visibility_table"],
        table_lists=["tables"],
        places=["jurisdiction"],
    )
    try:
        investment = services.investment_create(actor=user, **data)
    except DjangoValidationError as exc:
        raise shapes.validation_error(exc, InvestmentIn.model_fields, INVESTMENT_RENAMES) from exc
    return Respond(201, shapes.investment_detail(investment, user))


@router.patch(
    "/investments/{slug}",
    auth=api_auth_signed_in,
    response={200: InvestmentDetailOut, **WRITE},
    operation_id="investment_update",
    summary="Change an investment",
    description=STAFF_ONLY + "Only the fields sent are changed; `null` clears sponsor, jurisdiction, "
    "total cost, location or visibility table. Every change is audited.",
)
def investment_update(request: HttpRequest, slug: Slug, payload: InvestmentPatch):
    user = request.user
    investment = permissions.investment_get_for_user(user, slug)
    if not permissions.can_edit_investment.test(user):
        raise _forbidden()
    data = shapes.resolve(
        user,
        payload.model_dump(exclude_unset=True),
        organizations=["sponsor"],
        organization_lists=["organizations"],
        tables=["visibility_table"],
        table_lists=["tables"],
        places=["jurisdiction"],
    )
    # The service sets the cost and the location every time: what is not sent stays as it is.
    total_cost = (
        data.pop("total_cost") if "total_cost" in data else shapes.dollars_text(investment.total_cost_cents)
    )
    location = data.pop("location") if "location" in data else investment.geometry
    try:
        investment = services.investment_update(
            actor=user,
            investment=investment,
            total_cost=total_cost,
            location=location,
            tables=data.pop("tables", None),
            organizations=data.pop("organizations", None),
            **data,
        )
    except DjangoValidationError as exc:
        raise shapes.validation_error(exc, InvestmentPatch.model_fields, INVESTMENT_RENAMES) from exc
    return shapes.investment_detail(permissions.investment_get_for_user(user, investment.slug), user)


@router.post(
    "/investments/{slug}/stage",
    auth=api_auth_signed_in,
    response={201: StageChangeOut, **WRITE},
    operation_id="investment_stage_change",
    summary="Move an investment to another stage",
    description=STAFF_ONLY + "Proposed → planning → funded → design → construction → complete: stages "
    "move forward (steps may be skipped); an unfinished investment may be cancelled and a cancelled "
    "one revived as proposed or planning. The date cannot be in the future or before the current "
    "stage began.",
)
def investment_stage_change(request: HttpRequest, slug: Slug, payload: StageIn):
    user = request.user
    investment = permissions.investment_get_for_user(user, slug)
    if not permissions.can_edit_investment.test(user):
        raise _forbidden()
    try:
        change = services.investment_stage_change(actor=user, investment=investment, **payload.model_dump())
    except DjangoValidationError as exc:
        raise shapes.validation_error(exc, StageIn.model_fields) from exc
    return Respond(201, shapes.stage_out(change))


@router.post(
    "/investments/{slug}/funding",
    auth=api_auth_signed_in,
    response={201: FundingOut, **WRITE},
    operation_id="funding_source_create",
    summary="Add a funding source",
    description=STAFF_ONLY + "Money from one program for one fiscal year (1990 to 2100), in dollars.",
)
def funding_source_create(request: HttpRequest, slug: Slug, payload: FundingIn):
    user = request.user
    investment = permissions.investment_get_for_user(user, slug)
    if not permissions.can_edit_investment.test(user):
        raise _forbidden()
    try:
        source = services.funding_source_add(actor=user, investment=investment, **payload.model_dump())
    except DjangoValidationError as exc:
        raise shapes.validation_error(exc, FundingIn.model_fields) from exc
    return Respond(201, shapes.funding_out(source))


# ---------------------------------------------------------------------------------------------
# Commitments


@router.get(
    "/commitments",
    response={200: CommitmentPage, 422: ValidationErrorOut},
    operation_id="commitment_list",
    summary="List commitments",
    description="Community-benefit commitments you may see, on investments you may see, soonest "
    "deadline first, each with its status today by the stated rules (met, on track, at risk, missed, "
    "no data) — the status filter is the commitment page's. " + PUBLIC_ONLY,
)
def commitment_list(request: HttpRequest, filters: Query[CommitmentFilters]):
    _reject_unknown_query(request, CommitmentFilters)
    user = request.user
    items = _filter(CommitmentFilter, filters, selectors.commitment_list(user), request)
    # A status filter runs the rules in SQL over every commitment: read the matching ids once.
    count, page = shapes.page_of(items, filters, one_pass=bool(filters.status))
    visible_orgs = _visible_organization_ids(user) if page else set()
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [shapes.commitment_out(c, c.status, visible_orgs) for c in page],
    }


@router.get(
    "/commitments/{public_id}",
    response={200: CommitmentDetailOut, **READ},
    operation_id="commitment_get",
    summary="A commitment",
    description="A commitment with its status today, its reports (newest first, with links to their "
    "evidence files, served only to those who may see the commitment) and its escalation steps.",
)
def commitment_get(request: HttpRequest, public_id: uuid.UUID):
    user = request.user
    return shapes.commitment_detail(permissions.commitment_get_for_user(user, public_id), user)


@router.post(
    "/investments/{slug}/commitments",
    auth=api_auth_signed_in,
    response={201: CommitmentDetailOut, **WRITE},
    operation_id="commitment_create",
    summary="Record a commitment",
    description=STAFF_ONLY + "A community benefit promised by an obligor (the slug of an organization), "
    "with its target, unit and deadline (after its start).",
)
def commitment_create(request: HttpRequest, slug: Slug, payload: CommitmentIn):
    user = request.user
    investment = permissions.investment_get_for_user(user, slug)
    if not permissions.can_edit_investment.test(user):
        raise _forbidden()
    data = shapes.resolve(user, payload.model_dump(), organizations=["obligor"], tables=["visibility_table"])
    try:
        commitment = services.commitment_create(actor=user, investment=investment, **data)
    except DjangoValidationError as exc:
        raise shapes.validation_error(exc, CommitmentIn.model_fields) from exc
    return Respond(
        201, shapes.commitment_detail(permissions.commitment_get_for_user(user, commitment.public_id), user)
    )


def _report(
    request: HttpRequest,
    public_id: uuid.UUID,
    payload: ReportIn,
    evidence_file=None,
    where=("body", "payload"),
):
    user = request.user
    commitment = permissions.commitment_get_for_user(user, public_id)
    if not permissions.can_report_commitment.test(user, commitment.investment):
        raise _forbidden()
    try:
        report = services.commitment_report_add(
            actor=user, commitment=commitment, evidence_file=evidence_file, **payload.model_dump()
        )
    except DjangoValidationError as exc:
        raise shapes.validation_error(exc, {*ReportIn.model_fields, "evidence_file"}, where=where) from exc
    return Respond(201, shapes.report_out(report))


REPORTERS = "Staff, and representatives of an organization engaged in the investment. "


@router.post(
    "/commitments/{public_id}/reports",
    auth=api_auth_signed_in,
    response={201: ReportOut, **WRITE},
    operation_id="commitment_report_create",
    summary="Report on a commitment",
    description=REPORTERS + "The actual value as of a date (not in the future, not before the commitment "
    "starts), with a link to the evidence. Reports are never edited: a correction is a new report.",
)
def commitment_report_create(request: HttpRequest, public_id: uuid.UUID, payload: ReportIn):
    return _report(request, public_id, payload)


@router.post(
    "/commitments/{public_id}/reports/upload",
    auth=api_auth_signed_in,
    response={201: ReportOut, **WRITE},
    operation_id="commitment_report_upload",
    summary="Report on a commitment, with an evidence file",
    description=REPORTERS + "The same report as multipart/form-data with the evidence as the file "
    "`evidence_file` (PDF, image, spreadsheet, document or text; its real type is checked, photos "
    "lose their metadata). Errors on the file point at `evidence_file`.",
)
def commitment_report_upload(
    request: HttpRequest, public_id: uuid.UUID, payload: Form[ReportIn], evidence_file: File[UploadedFile]
):
    # A form's fields are validated one by one, so a misspelt one would be dropped silently.
    unknown = sorted(set(request.POST) - set(ReportIn.model_fields))
    if unknown:
        raise NinjaValidationError(
            [shapes.error_entry(["form", key], _("Unknown field."), "extra_forbidden") for key in unknown]
        )
    return _report(request, public_id, payload, evidence_file, where=("form",))


@router.post(
    "/commitments/{public_id}/escalations",
    auth=api_auth_signed_in,
    response={201: EscalationStepOut, **WRITE},
    operation_id="commitment_escalate",
    summary="Escalate a commitment",
    description=STAFF_ONLY + "One step along flagged → letter sent → public → resolved; a skipped step "
    "answers 422 naming the steps that may come next.",
)
def commitment_escalate(request: HttpRequest, public_id: uuid.UUID, payload: EscalationIn):
    user = request.user
    commitment = permissions.commitment_get_for_user(user, public_id)
    if not permissions.can_escalate_commitment.test(user):
        raise _forbidden()
    try:
        step = services.commitment_escalate(actor=user, commitment=commitment, **payload.model_dump())
    except DjangoValidationError as exc:
        raise shapes.validation_error(exc, EscalationIn.model_fields) from exc
    return Respond(201, shapes.step_out(step))


# ---------------------------------------------------------------------------------------------
# Campaign asks


@router.get(
    "/asks",
    response={200: AskPage, 422: ValidationErrorOut},
    operation_id="ask_list",
    summary="List campaign asks",
    description="Asks you may see, on investments you may see, newest first, with their actions. "
    + PUBLIC_ONLY,
)
def ask_list(request: HttpRequest, filters: Query[AskFilters]):
    _reject_unknown_query(request, AskFilters)
    user = request.user
    investment = shapes.visible_investment(user, filters.investment, "investment")
    items = selectors.ask_list(user, investment=investment, outcome=filters.outcome or "")
    count, page = shapes.page_of(items, filters)
    visible_orgs = _visible_organization_ids(user) if page else set()
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [shapes.ask_out(ask, visible_orgs) for ask in page],
    }


def _ask_detail(user, public_id) -> dict:
    ask = selectors.ask_list(user).get(pk=permissions.ask_get_for_user(user, public_id).pk)
    return shapes.ask_out(ask, _visible_organization_ids(user))


@router.get(
    "/asks/{public_id}",
    response={200: AskOut, **READ},
    operation_id="ask_get",
    summary="A campaign ask",
)
def ask_get(request: HttpRequest, public_id: uuid.UUID):
    return _ask_detail(request.user, public_id)


@router.post(
    "/investments/{slug}/asks",
    auth=api_auth_signed_in,
    response={201: AskOut, **WRITE},
    operation_id="ask_create",
    summary="Record a campaign ask",
    description=STAFF_ONLY + "What the coalition asks of whom (a body or person, or the slug of an "
    "organization) about the investment.",
)
def ask_create(request: HttpRequest, slug: Slug, payload: AskIn):
    user = request.user
    investment = permissions.investment_get_for_user(user, slug)
    if not permissions.can_edit_investment.test(user):
        raise _forbidden()
    data = shapes.resolve(
        user, payload.model_dump(), organizations=["asked_of_organization"], tables=["visibility_table"]
    )
    try:
        ask = services.ask_create(actor=user, investment=investment, **data)
    except DjangoValidationError as exc:
        raise shapes.validation_error(exc, AskIn.model_fields) from exc
    return Respond(201, _ask_detail(user, ask.public_id))


@router.post(
    "/asks/{public_id}/actions",
    auth=api_auth_signed_in,
    response={201: AskActionOut, **WRITE},
    operation_id="ask_action_create",
    summary="Record an action on an ask",
    description="Staff, and representatives of an organization engaged in the investment. A meeting, "
    "letter, testimony or sign-on (with the slugs of the organizations that signed on), dated.",
)
def ask_action_create(request: HttpRequest, public_id: uuid.UUID, payload: AskActionIn):
    user = request.user
    ask = permissions.ask_get_for_user(user, public_id)
    if not permissions.can_record_ask_action.test(user, ask.investment):
        raise _forbidden()
    data = shapes.resolve(user, payload.model_dump(), organization_lists=["organizations"])
    try:
        action = services.ask_action_add(actor=user, ask=ask, **data)
    except DjangoValidationError as exc:
        raise shapes.validation_error(exc, AskActionIn.model_fields) from exc
    return Respond(201, shapes.action_out(action, _visible_organization_ids(user)))


@router.post(
    "/asks/{public_id}/outcome",
    auth=api_auth_signed_in,
    response={200: AskOut, **WRITE},
    operation_id="ask_outcome_set",
    summary="Record an ask's outcome",
    description=STAFF_ONLY + "Won, partly won or lost, with its date (today if left out) and evidence; "
    "`pending` reopens the ask.",
)
def ask_outcome_set(request: HttpRequest, public_id: uuid.UUID, payload: AskOutcomeIn):
    user = request.user
    ask = permissions.ask_get_for_user(user, public_id)
    if not permissions.can_edit_investment.test(user):
        raise _forbidden()
    try:
        services.ask_outcome_set(actor=user, ask=ask, **payload.model_dump())
    except DjangoValidationError as exc:
        raise shapes.validation_error(exc, AskOutcomeIn.model_fields) from exc
    return _ask_detail(user, public_id)
