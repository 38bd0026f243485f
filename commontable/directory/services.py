"""Writes for the directory. Every service is keyword-only, atomic, and leaves an audit entry."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from commontable.core.audit import changed_fields, log_action
from commontable.core.text import fold_name, normalize_email, normalize_phone
from commontable.directory.choices import MEMBERSHIP_TRANSITIONS, ConsentPurpose, MembershipStatus
from commontable.directory.models import (
    AccessNeeds,
    Affiliation,
    ConsentRecord,
    ConsentUsage,
    MembershipStatusChange,
    Organization,
    Person,
    Table,
    TableParticipation,
)

ORGANIZATION_FIELDS = (
    "name", "kind", "description", "bipoc_led", "budget_band", "languages_served", "website", "email", "phone",
    "values_affirmed_on", "values_version", "renewal_due_on", "shares_contacts", "visibility", "visibility_table",
)
PERSON_FIELDS = (
    "full_name", "name_for_greeting", "sort_name", "aliases", "pronouns", "preferred_language", "email", "phone",
    "mobile", "visibility", "visibility_table",
)


# Path segments the directory's pages use after /organizations/ and /tables/ ("new"): a record
# with such a slug could never be reached.
RESERVED_SLUGS = frozenset({"new"})


def unique_slug(model, text: str, *, exclude_pk=None) -> str:
    base = slugify(text, allow_unicode=False)[:70] or "org"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or model.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _snapshot(obj, fields) -> dict:
    out = {}
    for field in fields:
        value = getattr(obj, field if field != "visibility_table" else "visibility_table_id")
        out[field] = value.isoformat() if isinstance(value, dt.date) else value
    return out


def _m2m_set(obj, name: str, values) -> None:
    if values is not None:
        getattr(obj, name).set(values)


@transaction.atomic
def organization_create(*, actor, name: str, issues=None, places_served=None, **fields) -> Organization:
    """Create an organisation (as an applicant unless a status is given) and start its history."""
    status = fields.pop("membership_status", MembershipStatus.APPLICANT)
    slug = fields.pop("slug", None) or unique_slug(Organization, name)
    org = Organization(name=name, slug=slug, name_folded=fold_name(name), membership_status=status, **fields)
    org.full_clean()
    org.save()
    _m2m_set(org, "issues", issues)
    _m2m_set(org, "places_served", places_served)
    MembershipStatusChange.objects.create(
        organization=org, status=status, effective_on=timezone.localdate(), recorded_by=_user(actor), note=_("Created")
    )
    if status == MembershipStatus.MEMBER:
        org.member_since = timezone.localdate()
        org.save(update_fields=["member_since"])
    log_action(org, "directory.organization.created", actor=actor, data={"name": name, "status": status})
    return org


@transaction.atomic
def organization_update(*, organization: Organization, actor, issues=None, places_served=None, **fields) -> Organization:
    """Change an organisation's profile. Status changes go through organization_status_change."""
    unknown = set(fields) - set(ORGANIZATION_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    before = _snapshot(organization, ORGANIZATION_FIELDS)
    for key, value in fields.items():
        setattr(organization, key, value)
    organization.name_folded = fold_name(organization.name)
    organization.full_clean()
    organization.save()
    _m2m_set(organization, "issues", issues)
    _m2m_set(organization, "places_served", places_served)
    changes = changed_fields(before, _snapshot(organization, ORGANIZATION_FIELDS))
    if issues is not None:
        changes["issues"] = sorted(str(i) for i in issues)
    if places_served is not None:
        changes["places_served"] = sorted(str(p) for p in places_served)
    if changes:
        log_action(organization, "directory.organization.updated", actor=actor, data=changes)
    return organization


@transaction.atomic
def organization_status_change(
    *, organization: Organization, actor, status: str, effective_on: dt.date | None = None, note: str = ""
) -> MembershipStatusChange:
    """Move an organisation along applicant → member → lapsed / withdrawn, with a dated record."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    current = organization.membership_status
    if status not in MEMBERSHIP_TRANSITIONS.get(current, set()):
        raise ValidationError(
            _("An organization cannot go from “%(old)s” to “%(new)s”.")
            % {"old": MembershipStatus(current).label, "new": MembershipStatus(status).label},
            code="invalid_transition",
        )
    effective_on = effective_on or timezone.localdate()
    change = MembershipStatusChange.objects.create(
        organization=organization, status=status, effective_on=effective_on, note=note, recorded_by=_user(actor)
    )
    organization.membership_status = status
    if status == MembershipStatus.MEMBER and organization.member_since is None:
        organization.member_since = effective_on
    organization.save(update_fields=["membership_status", "member_since", "updated_at"])
    log_action(
        organization, "directory.organization.status-changed", actor=actor,
        data={"status": [current, status], "effective_on": effective_on.isoformat(), "note": note},
    )
    return change


@transaction.atomic
def organization_values_affirm(*, organization: Organization, actor, version: str, on: dt.date | None = None,
                               renewal_years: int = 1) -> Organization:
    """Record that an organisation affirmed the coalition's values (which version, when) and when
    renewal falls due."""
    on = on or timezone.localdate()
    organization.values_affirmed_on = on
    organization.values_version = version
    try:
        organization.renewal_due_on = on.replace(year=on.year + renewal_years)
    except ValueError:  # 29 February
        organization.renewal_due_on = on.replace(year=on.year + renewal_years, day=28)
    organization.save(update_fields=["values_affirmed_on", "values_version", "renewal_due_on", "updated_at"])
    log_action(organization, "directory.organization.values-affirmed", actor=actor, data={"version": version, "on": on.isoformat()})
    return organization


def _person_normalize(person: Person) -> None:
    person.email = normalize_email(person.email) if person.email else ""
    person.email_normalized = person.email
    person.phone_normalized = normalize_phone(person.mobile or person.phone) if (person.mobile or person.phone) else ""
    person.name_folded = fold_name(person.sort_name or person.full_name)[:200]


@transaction.atomic
def person_create(*, actor, full_name: str, organization: Organization | None = None, role: str = "",
                  is_representative: bool = False, **fields) -> Person:
    """Add a person, optionally with their first affiliation."""
    person = Person(full_name=full_name, **fields)
    _person_normalize(person)
    person.full_clean()
    person.save()
    log_action(person, "directory.person.created", actor=actor, data={"full_name": full_name})
    if organization is not None:
        affiliation_add(actor=actor, person=person, organization=organization, role=role, is_representative=is_representative)
    return person


@transaction.atomic
def person_update(*, person: Person, actor, **fields) -> Person:
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    before = _snapshot(person, PERSON_FIELDS)
    for key, value in fields.items():
        setattr(person, key, value)
    _person_normalize(person)
    person.full_clean()
    person.save()
    changes = changed_fields(before, _snapshot(person, PERSON_FIELDS))
    if changes:
        log_action(person, "directory.person.updated", actor=actor, data=changes)
    return person


@transaction.atomic
def affiliation_add(*, actor, person: Person, organization: Organization, role: str = "",
                    is_representative: bool = False, start_on: dt.date | None = None) -> Affiliation:
    if Affiliation.objects.filter(person=person, organization=organization, end_on__isnull=True).exists():
        raise ValidationError(_("%(person)s already belongs to %(org)s.") % {"person": person, "org": organization}, code="duplicate")
    affiliation = Affiliation.objects.create(
        person=person, organization=organization, role=role, is_representative=is_representative,
        start_on=start_on or timezone.localdate(),
    )
    log_action(person, "directory.affiliation.added", actor=actor,
               data={"organization": organization.name, "role": role, "representative": is_representative})
    _forget_person_viewer(person)
    return affiliation


@transaction.atomic
def affiliation_end(*, actor, affiliation: Affiliation, end_on: dt.date | None = None) -> Affiliation:
    end_on = end_on or timezone.localdate()
    if affiliation.start_on and end_on < affiliation.start_on:
        raise ValidationError(_("The end date is before the start date."), code="dates")
    affiliation.end_on = end_on
    affiliation.save(update_fields=["end_on"])
    log_action(affiliation.person, "directory.affiliation.ended", actor=actor,
               data={"organization": affiliation.organization.name, "end_on": end_on.isoformat()})
    _forget_person_viewer(affiliation.person)
    return affiliation


def _forget_person_viewer(person: Person) -> None:
    from commontable.core.visibility import forget_viewer

    if person.user_id:
        forget_viewer(person.user)


@transaction.atomic
def table_create(*, actor, name: str, convenor: Organization | None = None, issues=None, places=None, **fields) -> Table:
    table = Table(name=name, slug=fields.pop("slug", None) or unique_slug(Table, name), convenor=convenor, **fields)
    table.full_clean()
    table.save()
    _m2m_set(table, "issues", issues)
    _m2m_set(table, "places", places)
    log_action(table, "directory.table.created", actor=actor, data={"name": name})
    return table


@transaction.atomic
def table_update(*, table: Table, actor, issues=None, places=None, **fields) -> Table:
    allowed = {"name", "description", "convenor", "is_active", "visibility"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    before = {k: str(getattr(table, k)) for k in allowed}
    for key, value in fields.items():
        setattr(table, key, value)
    table.full_clean()
    table.save()
    _m2m_set(table, "issues", issues)
    _m2m_set(table, "places", places)
    changes = changed_fields(before, {k: str(getattr(table, k)) for k in allowed})
    if changes:
        log_action(table, "directory.table.updated", actor=actor, data=changes)
    return table


@transaction.atomic
def table_participation_add(*, actor, table: Table, organization: Organization, role: str,
                            joined_on: dt.date | None = None) -> TableParticipation:
    if TableParticipation.objects.filter(table=table, organization=organization, left_on__isnull=True).exists():
        raise ValidationError(_("%(org)s already takes part in %(table)s.") % {"org": organization, "table": table}, code="duplicate")
    participation = TableParticipation.objects.create(
        table=table, organization=organization, role=role, joined_on=joined_on or timezone.localdate()
    )
    log_action(table, "directory.table.participant-added", actor=actor, data={"organization": organization.name, "role": role})
    return participation


@transaction.atomic
def table_participation_end(*, actor, participation: TableParticipation, left_on: dt.date | None = None) -> TableParticipation:
    participation.left_on = left_on or timezone.localdate()
    participation.full_clean()
    participation.save(update_fields=["left_on"])
    log_action(participation.table, "directory.table.participant-left", actor=actor,
               data={"organization": participation.organization.name})
    return participation


@transaction.atomic
def consent_give(*, actor, person: Person, purpose: str, text_version: str, source: str = "web",
                 expires_at: dt.datetime | None = None) -> ConsentRecord:
    """Record consent for a purpose, with the version of the text the person agreed to."""
    ConsentPurpose(purpose)
    record = ConsentRecord.objects.create(
        person=person, purpose=purpose, text_version=text_version, source=source, expires_at=expires_at,
        recorded_by=_user(actor),
    )
    log_action(person, "directory.consent.given", actor=actor, data={"purpose": purpose, "version": text_version, "source": source})
    return record


@transaction.atomic
def consent_withdraw(*, actor, person: Person, purpose: str) -> int:
    """Withdraw every active consent for a purpose; new use stops at once."""
    now = timezone.now()
    count = 0
    for record in ConsentRecord.objects.select_for_update().filter(person=person, purpose=purpose, withdrawn_at__isnull=True):
        record.withdrawn_at = now
        record.save(update_fields=["withdrawn_at"])
        count += 1
    if count:
        log_action(person, "directory.consent.withdrawn", actor=actor, data={"purpose": purpose})
    return count


def consent_use(*, actor, person: Person, purpose: str, detail: str) -> ConsentUsage | None:
    """Check that consent is in force for a purpose and log the use; None (and nothing logged) when
    there is none. Callers must not proceed on None."""
    now = timezone.now()
    for record in ConsentRecord.objects.filter(person=person, purpose=purpose).order_by("-given_at", "-id"):
        if record.is_active(now):
            return ConsentUsage.objects.create(consent=record, used_by=_user(actor), detail=detail[:300])
    return None


@transaction.atomic
def access_needs_set(*, actor, person: Person, interpretation_language: str = "", accommodations: str = "") -> AccessNeeds:
    needs, _created = AccessNeeds.objects.get_or_create(person=person)
    needs.interpretation_language = interpretation_language
    needs.accommodations = accommodations
    needs.full_clean()
    needs.save()
    log_action(person, "directory.access-needs.updated", actor=actor, data={"interpretation_language": interpretation_language})
    return needs


@transaction.atomic
def person_merge(*, actor, keep: Person, duplicate: Person) -> Person:
    """Merge `duplicate` into `keep`: affiliations, consents, access needs, the sign-in account and
    empty contact fields move over; the duplicate stays as a tombstone pointing at `keep`, so its
    audit trail and history remain readable."""
    if keep.pk == duplicate.pk:
        raise ValidationError(_("A person cannot be merged with themselves."), code="self")
    keep = Person.objects.select_for_update().get(pk=keep.pk)
    duplicate = Person.objects.select_for_update().get(pk=duplicate.pk)
    if keep.merged_into_id or duplicate.merged_into_id:
        raise ValidationError(_("One of these people was already merged."), code="merged")
    if keep.user_id and duplicate.user_id:
        raise ValidationError(_("Both people have their own sign-in account; deactivate one account first."), code="two_users")
    moved = {"affiliations": 0, "consents": 0}
    for affiliation in duplicate.affiliations.all():
        clash = keep.affiliations.filter(organization=affiliation.organization, end_on__isnull=True).first()
        if clash and affiliation.end_on is None:
            clash.is_representative = clash.is_representative or affiliation.is_representative
            clash.role = clash.role or affiliation.role
            if affiliation.start_on and (clash.start_on is None or affiliation.start_on < clash.start_on):
                clash.start_on = affiliation.start_on
            clash.save()
            affiliation.delete()
        else:
            affiliation.person = keep
            affiliation.save()
        moved["affiliations"] += 1
    moved["consents"] = ConsentRecord.objects.filter(person=duplicate).update(person=keep)
    if hasattr(duplicate, "access_needs") and not AccessNeeds.objects.filter(person=keep).exists():
        needs = duplicate.access_needs
        needs.person = keep
        needs.save()
    filled = []
    for field in ("email", "phone", "mobile", "pronouns", "preferred_language", "name_for_greeting"):
        if not getattr(keep, field) and getattr(duplicate, field):
            setattr(keep, field, getattr(duplicate, field))
            filled.append(field)
    aliases = [a for a in (keep.aliases, duplicate.full_name if duplicate.full_name != keep.full_name else "", duplicate.aliases) if a]
    keep.aliases = "; ".join(dict.fromkeys(aliases))[:500]
    if duplicate.user_id:
        user = duplicate.user
        duplicate.user = None
        duplicate.save(update_fields=["user"])
        keep.user = user
    _person_normalize(keep)
    keep.save()
    duplicate.merged_into = keep
    duplicate.save(update_fields=["merged_into", "updated_at"])
    log_action(keep, "directory.person.merged", actor=actor,
               data={"merged": str(duplicate.public_id), "name": duplicate.full_name, "filled": filled, **moved})
    log_action(duplicate, "directory.person.merged-into", actor=actor, data={"into": str(keep.public_id), "name": keep.full_name})
    _forget_person_viewer(keep)
    return keep


def _user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None
