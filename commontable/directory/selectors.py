"""Reads for the directory: the viewer behind a user, lists and details with their related
records in a fixed number of queries, and duplicate candidates."""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from commontable.core.visibility import Role, Viewer
from commontable.directory.models import (
    Affiliation,
    ConsentRecord,
    MembershipStatusChange,
    Organization,
    Person,
    Table,
    TableParticipation,
)
from commontable.directory.permissions import visible_organizations, visible_people, visible_tables


def viewer_build(user) -> Viewer:
    """Role, person, organisations (and those represented) and tables of a signed-in user."""
    person = Person.objects.filter(user=user, merged_into__isnull=True).only("pk").first()
    org_ids: set[int] = set()
    rep_ids: set[int] = set()
    table_ids: set[int] = set()
    if person is not None:
        for org_id, is_rep in Affiliation.objects.current().filter(person=person).values_list(
            "organization_id", "is_representative"
        ):
            org_ids.add(org_id)
            if is_rep:
                rep_ids.add(org_id)
        if org_ids:
            table_ids = set(
                TableParticipation.objects.filter(organization_id__in=org_ids, left_on__isnull=True).values_list(
                    "table_id", flat=True
                )
            )
    role = user.role
    if role == Role.PUBLIC and org_ids:
        role = Role.MEMBER
    return Viewer(
        role=role,
        user_id=user.pk,
        person_id=person.pk if person else None,
        organization_ids=frozenset(org_ids),
        represented_organization_ids=frozenset(rep_ids),
        table_ids=frozenset(table_ids),
    )


def organization_list(user, filters: dict | None = None):
    """Organisations the user may see, with their issue names, ready for a list page."""
    qs = visible_organizations(user).prefetch_related("issues").annotate(
        people_count=Count("affiliations", filter=Q(affiliations__end_on__isnull=True), distinct=True)
    )
    return qs.order_by("name")


def organization_get(organization: Organization) -> Organization:
    """An organisation with everything its page shows."""
    return (
        Organization.objects.filter(pk=organization.pk)
        .prefetch_related(
            "issues",
            "places_served",
            Prefetch("status_changes", queryset=MembershipStatusChange.objects.select_related("recorded_by")),
            Prefetch(
                "table_participations",
                queryset=TableParticipation.objects.filter(left_on__isnull=True).select_related("table"),
                to_attr="current_participations",
            ),
        )
        .get()
    )


def organization_people(organization: Organization, user):
    """Current affiliations of an organisation whose people the user may see."""
    people = visible_people(user)
    return (
        Affiliation.objects.current()
        .filter(organization=organization, person__in=people)
        .select_related("person")
        .order_by("-is_representative", "person__name_folded")
    )


def person_list(user):
    """People the user may see, with their current affiliations' organisations."""
    return visible_people(user).prefetch_related(
        Prefetch(
            "affiliations",
            queryset=Affiliation.objects.current().select_related("organization").order_by("organization__name"),
            to_attr="current_affiliations",
        )
    )


def person_get(person: Person) -> Person:
    return (
        Person.objects.filter(pk=person.pk)
        .select_related("user")
        .prefetch_related(
            Prefetch("affiliations", queryset=Affiliation.objects.select_related("organization").order_by("-start_on")),
            Prefetch("consents", queryset=ConsentRecord.objects.select_related("recorded_by")),
        )
        .get()
    )


def person_consent_status(person: Person) -> dict[str, ConsentRecord | None]:
    """The consent in force per purpose (the newest active record), or None."""
    current: dict[str, ConsentRecord | None] = {}
    for record in person.consents.all():
        if record.purpose not in current and record.is_active():
            current[record.purpose] = record
    return current


def table_list(user):
    return (
        visible_tables(user)
        .select_related("convenor")
        .annotate(organizations_count=Count("participations", filter=Q(participations__left_on__isnull=True)))
    )


def table_get(table: Table, user) -> tuple[Table, list[TableParticipation]]:
    orgs = visible_organizations(user)
    participations = list(
        TableParticipation.objects.filter(table=table, left_on__isnull=True, organization__in=orgs)
        .select_related("organization")
        .order_by("role", "organization__name")
    )
    return table, participations


@dataclass
class DuplicateGroup:
    reason: str
    people: list[Person]


def person_duplicate_candidates(limit: int = 200) -> list[DuplicateGroup]:
    """People who are probably the same person: same normalised email or phone, or names that
    fold to nearly the same letters. Only a suggestion: a person confirms every merge."""
    active = Person.objects.active()
    groups: list[DuplicateGroup] = []
    seen: set[frozenset[int]] = set()

    def add(reason: str, ids: list[int]) -> None:
        key = frozenset(ids)
        if len(key) > 1 and key not in seen:
            seen.add(key)
            groups.append(DuplicateGroup(reason, []))
            groups[-1].people = ids  # type: ignore[assignment]

    for field, reason in (("email_normalized", "email"), ("phone_normalized", "phone")):
        dupes = (
            active.exclude(**{field: ""}).values(field).annotate(n=Count("id")).filter(n__gt=1).values_list(field, flat=True)[:limit]
        )
        by_value: dict[str, list[int]] = defaultdict(list)
        for pk, value in active.filter(**{f"{field}__in": list(dupes)}).values_list("pk", field):
            by_value[value].append(pk)
        for ids in by_value.values():
            add(reason, sorted(ids))
    # Similar names: compare within blocks that share the first three folded letters.
    blocks: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for pk, folded in active.exclude(name_folded="").values_list("pk", "name_folded").iterator(chunk_size=5000):
        blocks[folded[:3]].append((pk, folded))
    for members in blocks.values():
        if len(members) < 2 or len(members) > 400:
            continue
        for i, (pk_a, name_a) in enumerate(members):
            for pk_b, name_b in members[i + 1 :]:
                if name_a == name_b or difflib.SequenceMatcher(None, name_a, name_b).ratio() >= 0.92:
                    add("name", sorted([pk_a, pk_b]))
        if len(groups) >= limit:
            break
    people = Person.objects.in_bulk({pk for group in groups for pk in group.people})  # type: ignore[misc]
    for group in groups:
        group.people = [people[pk] for pk in group.people if pk in people]  # type: ignore[index]
    return groups[:limit]
