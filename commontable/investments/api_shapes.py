"""The investment watch API's glue: input references resolved to records the caller may see
(every unknown slug a field-level error), the services' errors as 422 entries, money in dollars,
and the shapes of what goes out (organisations and tables named only where the caller may see
them). The endpoints are in `api.py`."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja.errors import ValidationError as NinjaValidationError

from commontable.core.models import Place
from commontable.directory import permissions as directory_permissions
from commontable.directory.api import _org_ref, _visible_organization_ids
from commontable.investments import permissions, selectors
from commontable.investments.choices import (
    ESCALATION_NEXT,
    AskActionKind,
    AskOutcome,
    CommitmentCategory,
    Compliance,
    Escalation,
    FundingProgram,
    InvestmentKind,
    Stage,
)
from commontable.investments.models import AskAction, CampaignAsk, Commitment, CommitmentReport, Investment

# ---------------------------------------------------------------------------------------------
# Input


def validation_error(
    exc: DjangoValidationError, body_fields, rename: dict[str, str] | None = None, where=("body", "payload")
):
    """A service's field errors as 422 details, one entry per message: a field of the body points
    at that field (`rename` maps model fields to the body's names), anything else at the body.
    `where` is ("form",) for a multipart form."""
    rename = rename or {}
    errors = []
    items = exc.error_dict.items() if hasattr(exc, "error_dict") else [("__all__", exc.error_list)]
    for field, field_errors in items:
        name = rename.get(field, field)
        loc = [*where, name] if name in body_fields else list(where)
        errors.extend(
            {"type": error.code or "invalid", "loc": loc, "msg": " ".join(error)} for error in field_errors
        )
    return NinjaValidationError(errors)


def error_entry(loc: list, message: str, kind: str = "invalid") -> dict:
    return {"type": kind, "loc": loc, "msg": message}


def query_error(field: str, message: str, kind: str = "unknown_slug") -> NinjaValidationError:
    return NinjaValidationError([error_entry(["query", field], message, kind)])


def dollars(cents: int | None) -> float | None:
    return cents / 100 if cents is not None else None


def dollars_text(cents: int | None) -> str | None:
    """Cents as the dollars `services.parse_money` reads back exactly."""
    return f"{cents // 100}.{cents % 100:02d}" if cents is not None else None


class References:
    """Slugs of a body resolved to records the caller may see; every unknown one becomes a
    field-level error, all reported together."""

    def __init__(self, user):
        self.user = user
        self.errors: list[dict] = []

    def _one(self, queryset, slug: str | None, field: str, message: str):
        if slug is None:
            return None
        found = queryset.filter(slug=slug).first()
        if found is None:
            self.errors.append(error_entry(["body", "payload", field], message, "unknown_slug"))
        return found

    def _many(self, queryset, slugs: list[str] | None, field: str):
        if slugs is None:
            return None
        wanted = list(dict.fromkeys(slugs))
        found = {obj.slug: obj for obj in queryset.filter(slug__in=wanted)}
        missing = [slug for slug in wanted if slug not in found]
        if missing:
            message = _("Unknown: %(slugs)s.") % {"slugs": ", ".join(missing)}
            self.errors.append(error_entry(["body", "payload", field], message, "unknown_slug"))
        return [found[slug] for slug in wanted if slug in found]

    def organization(self, slug, field):
        organizations = directory_permissions.visible_organizations(self.user)
        return self._one(organizations, slug, field, _("Unknown organization."))

    def organizations(self, slugs, field):
        return self._many(directory_permissions.visible_organizations(self.user), slugs, field)

    def table(self, slug, field):
        return self._one(directory_permissions.visible_tables(self.user), slug, field, _("Unknown table."))

    def tables(self, slugs, field):
        return self._many(directory_permissions.visible_tables(self.user), slugs, field)

    def place(self, slug, field):
        return self._one(Place.objects.all(), slug, field, _("Unknown place."))

    def check(self) -> None:
        if self.errors:
            raise NinjaValidationError(self.errors)


def resolve(
    user, data: dict, *, organizations=(), organization_lists=(), tables=(), table_lists=(), places=()
):
    """Replace the slugs of `data` (in place) by the records they name."""
    refs = References(user)
    for field in organizations:
        if field in data:
            data[field] = refs.organization(data[field], field)
    for field in organization_lists:
        if field in data:
            data[field] = refs.organizations(data[field], field)
    for field in tables:
        if field in data:
            data[field] = refs.table(data[field], field)
    for field in table_lists:
        if field in data:
            data[field] = refs.tables(data[field], field)
    for field in places:
        if field in data:
            data[field] = refs.place(data[field], field)
    refs.check()
    return data


def visible_investment(user, slug: str | None, field: str) -> Investment | None:
    if slug is None:
        return None
    investment = permissions.visible_investments(user).filter(slug=slug).first()
    if investment is None:
        raise query_error(field, _("Unknown investment."))
    return investment


def page_of(queryset, filters, *, one_pass: bool = False) -> tuple[int, list]:
    """A page of a list and how many rows match in all. The page's ids are chosen first on the
    bare columns, so that the annotations' subqueries (funding totals, latest reports, statuses)
    run for the page's rows only, not for every row the sort passes through. Queries: COUNT, the
    page's ids, the page's rows (and the queryset's prefetches). With `one_pass` (a filter on a
    computed column, as dear to count as to list) the ids of every match are read once instead."""
    window = slice(filters.offset, filters.offset + filters.limit)
    ids_only = queryset.prefetch_related(None).values_list("pk", flat=True)
    if one_pass:
        ids = list(ids_only)
        count, ids = len(ids), ids[window]
    else:
        count = queryset.count()
        ids = list(ids_only[window]) if count > filters.offset else []
    rows = {row.pk: row for row in queryset.filter(pk__in=ids)} if ids else {}
    return count, [rows[pk] for pk in ids if pk in rows]


# ---------------------------------------------------------------------------------------------
# Shapes out


def investment_ref(investment: Investment) -> dict:
    return {"slug": investment.slug, "name": investment.name}


def investment_out(investment: Investment, visible_orgs: set[int] | None, funding_cents: int | None) -> dict:
    place = investment.jurisdiction
    return {
        "public_id": investment.public_id,
        "slug": investment.slug,
        "name": investment.name,
        "kind": investment.kind,
        "kind_label": str(InvestmentKind(investment.kind).label),
        "stage": investment.stage,
        "stage_label": str(Stage(investment.stage).label),
        "stage_since": investment.stage_since,
        "sponsor": _org_ref(investment.sponsor, visible_orgs) if investment.sponsor_id else None,
        "jurisdiction": {"slug": place.slug, "name": place.name, "kind": place.kind} if place else None,
        "total_cost": dollars(investment.total_cost_cents),
        "funding_total": dollars(funding_cents or 0),
        "has_location": investment.geometry is not None,
        "visibility": investment.visibility,
    }


def commitment_out(
    commitment: Commitment, status: str, visible_orgs: set[int] | None, investment=None
) -> dict:
    latest_value = getattr(commitment, "latest_value", None)
    return {
        "public_id": commitment.public_id,
        "investment": investment_ref(investment or commitment.investment),
        "source": commitment.source,
        "source_reference": commitment.source_reference,
        "obligor": _org_ref(commitment.obligor, visible_orgs),
        "text": commitment.text,
        "category": commitment.category,
        "category_label": str(CommitmentCategory(commitment.category).label),
        "ami_percent": commitment.ami_percent,
        "unit": commitment.unit,
        "direction": commitment.direction,
        "target": float(commitment.target),
        "starts_on": commitment.starts_on,
        "deadline": commitment.deadline,
        "status": status,
        "status_label": str(Compliance(status).label),
        "latest_value": float(latest_value) if latest_value is not None else None,
        "latest_on": getattr(commitment, "latest_on", None),
        "escalation": commitment.escalation,
        "visibility": commitment.visibility,
    }


def funding_out(source) -> dict:
    return {
        "program": source.program,
        "program_label": str(FundingProgram(source.program).label),
        "fiscal_year": source.fiscal_year,
        "amount": dollars(source.amount_cents),
        "award_id": source.award_id,
        "note": source.note,
    }


def stage_out(change) -> dict:
    return {
        "stage": change.stage,
        "stage_label": str(Stage(change.stage).label),
        "effective_on": change.effective_on,
        "note": change.note,
        "recorded_at": change.recorded_at,
    }


def action_out(action: AskAction, visible_orgs: set[int] | None) -> dict:
    return {
        "kind": action.kind,
        "kind_label": str(AskActionKind(action.kind).label),
        "on": action.on,
        "note": action.note,
        "organizations": [ref for org in action.organizations.all() if (ref := _org_ref(org, visible_orgs))],
    }


def ask_out(ask: CampaignAsk, visible_orgs: set[int] | None, investment=None) -> dict:
    """An ask; its actions (with their organizations) are prefetched."""
    return {
        "public_id": ask.public_id,
        "investment": investment_ref(investment or ask.investment),
        "asked_of": ask.asked_of,
        "asked_of_organization": _org_ref(ask.asked_of_organization, visible_orgs)
        if ask.asked_of_organization_id
        else None,
        "ask": ask.ask,
        "outcome": ask.outcome,
        "outcome_label": str(AskOutcome(ask.outcome).label),
        "outcome_on": ask.outcome_on,
        "outcome_evidence": ask.outcome_evidence,
        "actions": [action_out(action, visible_orgs) for action in ask.actions.all()],
        "visibility": ask.visibility,
    }


def report_out(report: CommitmentReport) -> dict:
    stored, reporter = report.evidence_file, report.reported_by
    return {
        "value": float(report.value),
        "as_of": report.as_of,
        "evidence_url": report.evidence_url,
        "evidence_file": {
            "name": stored.original_name,
            "kind": stored.kind,
            "size": stored.size,
            "url": reverse("core:file_download", args=[stored.public_id]),
        }
        if stored is not None
        else None,
        "note": report.note,
        "reported_by": (reporter.full_name or None) if reporter is not None else None,
        "reported_at": report.reported_at,
    }


def step_out(step) -> dict:
    return {
        "step": step.step,
        "step_label": str(Escalation(step.step).label),
        "on": step.on,
        "note": step.note,
        "created_at": step.created_at,
    }


def investment_detail(investment: Investment, user) -> dict:
    """Everything the investment's page shows, from the page's selectors."""
    page = selectors.investment_detail(investment, user=user)
    tables, organizations = selectors.investment_engaged(investment, user)
    visible_orgs = _visible_organization_ids(user)
    out = investment_out(investment, visible_orgs, page.funding_total_cents)
    geometry = investment.geometry
    out.update(
        description=investment.description,
        geometry=geometry,
        bbox=[investment.min_lon, investment.min_lat, investment.max_lon, investment.max_lat]
        if geometry is not None and investment.min_lon is not None
        else None,
        tables=[{"slug": t.slug, "name": t.name} for t in tables],
        organizations=[{"slug": o.slug, "name": o.name} for o in organizations],
        visibility_table=investment.visibility_table.slug if investment.visibility_table_id else None,
        funding=[funding_out(f) for f in page.funding],
        stages=[stage_out(s) for s in page.stages],
        commitments=[
            commitment_out(row.commitment, row.status, visible_orgs, investment) for row in page.commitments
        ],
        asks=[ask_out(ask, visible_orgs, investment) for ask in page.asks],
        permissions={
            "can_edit": permissions.can_edit_investment.test(user),
            "can_report": permissions.can_report_commitment.test(user, investment),
            "can_record_ask_action": permissions.can_record_ask_action.test(user, investment),
        },
    )
    return out


def commitment_detail(commitment: Commitment, user) -> dict:
    """A commitment with its status, reports and escalation steps: the page's selector call
    (`selectors.commitment_page`: the status by the stated rules from the newest report)."""
    page = selectors.commitment_page(commitment)
    investment = commitment.investment
    out = commitment_out(page.commitment, page.status, _visible_organization_ids(user), investment)
    out.update(
        visibility_table=commitment.visibility_table.slug if commitment.visibility_table_id else None,
        next_steps=sorted(ESCALATION_NEXT.get(commitment.escalation, ())),
        reports=[report_out(r) for r in page.reports],
        escalation_steps=[step_out(s) for s in page.steps],
        permissions={
            "can_report": permissions.can_report_commitment.test(user, investment),
            "can_escalate": permissions.can_escalate_commitment.test(user),
        },
    )
    return out
