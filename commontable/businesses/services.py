"""Writes for the business directory and contracting opportunities. Every service is keyword-only,
atomic, checks everything before writing anything, and leaves an audit entry
(`businesses.<entity>.<verb-ed>`). Money comes in as dollars (text or number) and is kept in cents,
read by the investment watch's `parse_money` (no negatives, at most two decimals)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from commontable.businesses import naics, notifications, selectors
from commontable.businesses.choices import CertificationProgram, OpportunityStatus
from commontable.businesses.models import (
    Business,
    BusinessTrade,
    Certification,
    ContractingOpportunity,
    OpportunityTrade,
)
from commontable.core.audit import log_action
from commontable.core.visibility import Visibility
from commontable.investments.services import parse_money

# Words the business pages use in their addresses (/businesses/opportunities/…), never a slug.
RESERVED_SLUGS = frozenset({"new", "opportunities", "certifications"})
# The version of the consent text a business agrees to when it asks to hear about opportunities.
NOTICES_CONSENT_VERSION = "opportunity-notices-2026-11"
MAX_LINKS = 10

BUSINESS_FIELDS = (
    "name", "organization", "description", "bipoc_owned", "woman_owned", "veteran_owned", "email", "phone", "website",
    "shares_contacts", "languages", "preferred_language", "employees", "visibility", "visibility_table",
)
OPPORTUNITY_FIELDS = ("title", "description", "certifications_wanted", "bid_due_on", "visibility", "visibility_table")


def _unique_slug(name: str, exclude_pk: int | None = None) -> str:
    base = (slugify(name) or "business")[:70]
    if base in RESERVED_SLUGS:
        base = f"{base}-business"
    slug, n = base, 2
    while Business.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_visibility(visibility: str, visibility_table) -> None:
    if visibility == Visibility.TABLE and visibility_table is None:
        raise ValidationError({"visibility_table": _("Choose the table that may see it.")})


def _check_programs(programs) -> list[str]:
    programs = list(dict.fromkeys(programs or []))
    unknown = [p for p in programs if p not in CertificationProgram.values]
    if unknown:
        raise ValidationError({"certifications_wanted": _("Unknown program: %(programs)s.") % {"programs": ", ".join(map(str, unknown))}})
    return programs


def _check_links(links) -> list[str]:
    links = [link.strip() for link in (links or []) if isinstance(link, str) and link.strip()]
    if len(links) > MAX_LINKS:
        raise ValidationError({"links": _("At most %(n)s links.") % {"n": MAX_LINKS}})
    validate = URLValidator(schemes=["http", "https"])
    for link in links:
        try:
            if len(link) > 500:
                raise ValidationError("too long")
            validate(link)
        except ValidationError:
            raise ValidationError({"links": _("“%(link)s” is not a web address (https://…).") % {"link": link[:80]}}) from None
    return list(dict.fromkeys(links))


def _set_trades(record, model, field: str, codes: list[str]) -> None:
    model.objects.filter(**{field: record}).exclude(code__in=codes).delete()
    existing = set(model.objects.filter(**{field: record}).values_list("code", flat=True))
    model.objects.bulk_create([model(**{field: record, "code": code}) for code in codes if code not in existing])


# Businesses ---------------------------------------------------------------------------------------


@transaction.atomic
def business_create(*, actor, name: str, naics_codes=(), places_served=(), bonding_limit=None, **fields) -> Business:
    """Add a business to the directory with its trades (NAICS, 2 to 6 digits) and places served."""
    unknown = set(fields) - set(BUSINESS_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    errors: dict[str, list] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Give the business a name.")]
    codes = []
    for check in (lambda: naics.parse_codes(naics_codes),):
        try:
            codes = check()
        except ValidationError as exc:
            errors.update(exc.message_dict)
    try:
        cents = parse_money(bonding_limit, "bonding_limit", required=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        cents = None
    if errors:
        raise ValidationError(errors)
    _check_visibility(fields.get("visibility", Visibility.MEMBERS), fields.get("visibility_table"))
    business = Business(name=name[:200], slug=_unique_slug(name), bonding_limit_cents=cents, **fields)
    business.full_clean(exclude=["slug"])
    business.save()
    business.places_served.set(places_served)
    _set_trades(business, BusinessTrade, "business", codes)
    log_action(business, "businesses.business.created", actor=actor, data={"name": business.name, "naics": codes})
    return business


@transaction.atomic
def business_update(*, actor, business: Business, naics_codes=None, places_served=None, bonding_limit=None, **fields) -> Business:
    """Change a business's profile; trades and places are replaced when given. The bonding limit
    is set every time (empty clears it)."""
    unknown = set(fields) - set(BUSINESS_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    business = Business.objects.select_for_update().get(pk=business.pk)
    before = {name: getattr(business, name) for name in BUSINESS_FIELDS}
    before_cents = business.bonding_limit_cents
    errors: dict[str, list] = {}
    codes = None
    if naics_codes is not None:
        try:
            codes = naics.parse_codes(naics_codes)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    try:
        business.bonding_limit_cents = parse_money(bonding_limit, "bonding_limit", required=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    for name, value in fields.items():
        setattr(business, name, value.strip() if name == "name" else value)
    if not business.name:
        errors["name"] = [_("Give the business a name.")]
    if errors:
        raise ValidationError(errors)
    _check_visibility(business.visibility, business.visibility_table)
    business.full_clean(exclude=["slug"])
    business.save()
    if places_served is not None:
        business.places_served.set(places_served)
    if codes is not None:
        _set_trades(business, BusinessTrade, "business", codes)
    changed = [name for name in BUSINESS_FIELDS if before[name] != getattr(business, name)]
    if before_cents != business.bonding_limit_cents:
        changed.append("bonding_limit_cents")
    log_action(business, "businesses.business.updated", actor=actor,
               data={"changed": changed, **({"naics": codes} if codes is not None else {})})
    return business


@transaction.atomic
def business_notices_consent_set(*, actor, business: Business, consent: bool) -> Business:
    """Record that the business agrees to hear about matching opportunities (with the version of
    the text it agreed to), or withdraws: withdrawal stops the next notice at once."""
    business = Business.objects.select_for_update().get(pk=business.pk)
    now = timezone.now()
    if consent and not business.consents_to_notices:
        business.notices_consent_at, business.notices_consent_version, business.notices_withdrawn_at = now, NOTICES_CONSENT_VERSION, None
        business.save(update_fields=["notices_consent_at", "notices_consent_version", "notices_withdrawn_at", "updated_at"])
        log_action(business, "businesses.notices-consent.given", actor=actor, data={"version": NOTICES_CONSENT_VERSION})
    elif not consent and business.consents_to_notices:
        business.notices_withdrawn_at = now
        business.save(update_fields=["notices_withdrawn_at", "updated_at"])
        log_action(business, "businesses.notices-consent.withdrawn", actor=actor)
    return business


# Certifications -----------------------------------------------------------------------------------


@transaction.atomic
def certification_add(*, actor, business: Business, program: str, valid_from: dt.date, valid_until: dt.date | None = None,
                      number: str = "", program_other: str = "") -> Certification:
    """Record a certification the business holds, with its dates (until cannot be before from)."""
    errors = {}
    if program not in CertificationProgram.values:
        errors["program"] = _("Choose a certification program.")
    elif program == CertificationProgram.OTHER and not program_other.strip():
        errors["program_other"] = _("Name the program.")
    if valid_from is None:
        errors["valid_from"] = _("Enter the date the certification begins.")
    elif valid_until is not None and valid_until < valid_from:
        errors["valid_until"] = _("A certification cannot end before it begins.")
    if errors:
        raise ValidationError(errors)
    certification = Certification(business=business, program=program, program_other=program_other.strip()[:100],
                                  number=number.strip()[:60], valid_from=valid_from, valid_until=valid_until)
    certification.full_clean()
    certification.save()
    log_action(business, "businesses.certification.added", actor=actor,
               data={"program": program, "number": certification.number, "valid_from": valid_from, "valid_until": valid_until})
    return certification


@transaction.atomic
def certification_remove(*, actor, certification: Certification) -> None:
    """Remove a certification recorded by mistake (an expired one stays: it is shown as expired)."""
    business = certification.business
    data = {"program": certification.program, "number": certification.number, "valid_from": certification.valid_from}
    certification.delete()
    log_action(business, "businesses.certification.removed", actor=actor, data=data)


# Opportunities ------------------------------------------------------------------------------------


def _opportunity_errors(*, title, naics_codes, certifications_wanted, estimated_value, links):
    errors: dict[str, list] = {}
    out = {}
    if not (title or "").strip():
        errors["title"] = [_("Give the opportunity a title.")]
    for key, check in (
        ("naics", lambda: naics.parse_codes(naics_codes)),
        ("programs", lambda: _check_programs(certifications_wanted)),
        ("cents", lambda: parse_money(estimated_value, "estimated_value", required=False)),
        ("links", lambda: _check_links(links)),
    ):
        try:
            out[key] = check()
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if not errors and not out["naics"]:
        errors["naics_codes"] = [_("Name at least one trade (NAICS code) the work needs.")]
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def opportunity_create(*, actor, investment, title: str, naics_codes, description: str = "", certifications_wanted=(),
                       places=(), estimated_value=None, bid_due_on: dt.date | None = None, links=(),
                       visibility: str = Visibility.MEMBERS, visibility_table=None) -> ContractingOpportunity:
    """Post a contracting opportunity on an investment, open for bids."""
    checked = _opportunity_errors(title=title, naics_codes=naics_codes, certifications_wanted=certifications_wanted,
                                  estimated_value=estimated_value, links=links)
    _check_visibility(visibility, visibility_table)
    opportunity = ContractingOpportunity(
        investment=investment, title=title.strip()[:200], description=description, certifications_wanted=checked["programs"],
        estimated_value_cents=checked["cents"], bid_due_on=bid_due_on, links=checked["links"], visibility=visibility,
        visibility_table=visibility_table,
    )
    opportunity.full_clean()
    opportunity.save()
    opportunity.places.set(places)
    _set_trades(opportunity, OpportunityTrade, "opportunity", checked["naics"])
    log_action(opportunity, "businesses.opportunity.created", actor=actor,
               data={"investment": investment.slug, "naics": checked["naics"], "certifications": checked["programs"]})
    return opportunity


@transaction.atomic
def opportunity_update(*, actor, opportunity: ContractingOpportunity, naics_codes, places=None, estimated_value=None,
                       links=(), **fields) -> ContractingOpportunity:
    """Change an opportunity's description, trades, certifications wanted, places, value, due date,
    links or visibility."""
    unknown = set(fields) - set(OPPORTUNITY_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    opportunity = ContractingOpportunity.objects.select_for_update().get(pk=opportunity.pk)
    checked = _opportunity_errors(title=fields.get("title", opportunity.title), naics_codes=naics_codes,
                                  certifications_wanted=fields.get("certifications_wanted", opportunity.certifications_wanted),
                                  estimated_value=estimated_value, links=links)
    before = {name: getattr(opportunity, name) for name in OPPORTUNITY_FIELDS}
    for name, value in fields.items():
        setattr(opportunity, name, value.strip() if name == "title" else value)
    opportunity.certifications_wanted = checked["programs"]
    opportunity.estimated_value_cents = checked["cents"]
    opportunity.links = checked["links"]
    _check_visibility(opportunity.visibility, opportunity.visibility_table)
    opportunity.full_clean()
    opportunity.save()
    if places is not None:
        opportunity.places.set(places)
    _set_trades(opportunity, OpportunityTrade, "opportunity", checked["naics"])
    changed = [name for name in OPPORTUNITY_FIELDS if before[name] != getattr(opportunity, name)]
    log_action(opportunity, "businesses.opportunity.updated", actor=actor, data={"changed": changed, "naics": checked["naics"]})
    return opportunity


@transaction.atomic
def opportunity_close(*, actor, opportunity: ContractingOpportunity, note: str = "") -> ContractingOpportunity:
    """Close an open opportunity without an award (bids closed, cancelled, or awarded elsewhere)."""
    opportunity = ContractingOpportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.status != OpportunityStatus.OPEN:
        raise ValidationError({"status": _("Only an open opportunity can be closed.")})
    opportunity.status = OpportunityStatus.CLOSED
    opportunity.save(update_fields=["status", "updated_at"])
    log_action(opportunity, "businesses.opportunity.closed", actor=actor, data={"note": note[:500]})
    return opportunity


@transaction.atomic
def opportunity_award(*, actor, opportunity: ContractingOpportunity, business: Business | None, amount=None,
                      awarded_on: dt.date | None = None) -> ContractingOpportunity:
    """Record who won an open or closed opportunity, for how much and when."""
    opportunity = ContractingOpportunity.objects.select_for_update().get(pk=opportunity.pk)
    errors: dict[str, list] = {}
    if opportunity.status == OpportunityStatus.AWARDED:
        errors["status"] = [_("This opportunity was already awarded.")]
    if business is None or not Business.objects.filter(pk=business.pk).exists():
        errors["business"] = [_("Choose a business in the directory.")]
    awarded_on = awarded_on or timezone.localdate()
    if awarded_on > timezone.localdate():
        errors["awarded_on"] = [_("The date cannot be in the future.")]
    try:
        cents = parse_money(amount, "amount", required=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    opportunity.status = OpportunityStatus.AWARDED
    opportunity.awarded_to = business
    opportunity.awarded_amount_cents = cents
    opportunity.awarded_on = awarded_on
    opportunity.save(update_fields=["status", "awarded_to", "awarded_amount_cents", "awarded_on", "updated_at"])
    log_action(opportunity, "businesses.opportunity.awarded", actor=actor,
               data={"business": business.slug, "amount_cents": cents, "awarded_on": awarded_on})
    return opportunity


def opportunity_notify(*, actor, opportunity: ContractingOpportunity):
    """Email every business matching the open opportunity, that consents to notices and has an
    address, once, in its language (core's notifications: clicking twice sends nothing twice).
    Not atomic on purpose: each message is recorded as it is sent, so a failure part-way keeps
    what went out and a second click sends only the rest."""
    if opportunity.status != OpportunityStatus.OPEN:
        raise ValidationError({"status": _("Only an open opportunity can be sent to businesses.")})
    counts = notifications.send_opportunity_notices(opportunity, selectors.matching_businesses(opportunity, everyone=True))
    log_action(opportunity, "businesses.opportunity.notified", actor=actor,
               data={"sent": counts.sent, "already_sent": counts.already_sent, "skipped": counts.skipped})
    return counts
