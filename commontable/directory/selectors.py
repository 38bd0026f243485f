"""Reads for the directory: the viewer behind a user, lists and details with their related
records in a fixed number of queries, and duplicate candidates."""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from commontable.core.models import ActivityLog
from commontable.core.visibility import Role, Viewer, Visibility, viewer_for
from commontable.directory.models import (
    AccessNeeds,
    Affiliation,
    ConsentRecord,
    MembershipStatusChange,
    Organization,
    Person,
    Table,
    TableParticipation,
)
from commontable.directory.page_cache import PAGES
from commontable.directory.permissions import visible_organizations, visible_people, visible_tables

VIEWER_KEEP_SECONDS = 24 * 3600


def viewer_build(user) -> Viewer:
    """Role, person, organisations (and those represented) and tables of a signed-in user.

    The directory part is kept in the cache with the directory's data version and the local
    date it was worked out for (affiliations start and end by date), so a signed-in request
    reads it with the version in one cache query instead of three of the directory; any write
    to the directory replaces the version, so the next request works it out again. The role is
    always the user row's, read by the request anyway."""
    key = f"ct:viewer:{user.pk}"
    version, kept = PAGES.version_and_get(key)
    today = timezone.localdate().isoformat()
    if kept is not None and kept[0] == version and kept[1] == today:
        person_id, org_ids, rep_ids, table_ids = kept[2]
    else:
        person_id, org_ids, rep_ids, table_ids = _viewer_directory_part(user)
        cache.set(key, (version, today, (person_id, org_ids, rep_ids, table_ids)), VIEWER_KEEP_SECONDS)
    role = user.role
    if role == Role.PUBLIC and org_ids:
        role = Role.MEMBER
    return Viewer(
        role=role,
        user_id=user.pk,
        person_id=person_id,
        organization_ids=frozenset(org_ids),
        represented_organization_ids=frozenset(rep_ids),
        table_ids=frozenset(table_ids),
    )


def _viewer_directory_part(user) -> tuple[int | None, list[int], list[int], list[int]]:
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
    return person.pk if person else None, sorted(org_ids), sorted(rep_ids), sorted(table_ids)


def organization_list(user, filters: dict | None = None):
    """Organisations the user may see, with their issue names, ready for a list page."""
    # A correlated count per organisation (answered from the affiliation index) rather than a
    # GROUP BY over every affiliation: the page shows 50 organisations, not all of them.
    current = (
        Affiliation.objects.filter(organization=OuterRef("pk"), end_on__isnull=True)
        .order_by()
        .values("organization")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = visible_organizations(user).prefetch_related("issues").annotate(
        people_count=Coalesce(Subquery(current, output_field=IntegerField()), 0)
    )
    return qs.order_by("name")


def organization_get(organization: Organization, user=None) -> Organization:
    """An organisation with everything its page shows. Given a user, the tables it takes part in
    are only those the user may see (a staff-only table is not revealed by a member's page)."""
    participations = TableParticipation.objects.filter(left_on__isnull=True).select_related("table")
    if user is not None:
        participations = participations.filter(table__in=visible_tables(user))
    return (
        Organization.objects.filter(pk=organization.pk)
        .select_related("visibility_table")
        .prefetch_related(
            "issues",
            "places_served",
            Prefetch("status_changes", queryset=MembershipStatusChange.objects.select_related("recorded_by")),
            Prefetch(
                "table_participations",
                queryset=participations.order_by("table__name"),
                to_attr="current_participations",
            ),
        )
        .get()
    )


def organization_roster(organization: Organization, user):
    """The organisation's current people the user may see, each with all their current
    organisations loaded, so the page can decide whose contact details to show without a query
    per person."""
    return organization_people(organization, user).prefetch_related(
        Prefetch(
            "person__affiliations",
            queryset=Affiliation.objects.current().select_related("organization"),
            to_attr="current_affiliations",
        )
    )


def affiliation_open_get(person: Person, organization_slug: str) -> Affiliation | None:
    """The person's open (not yet ended) affiliation with an organisation, if any."""
    return (
        Affiliation.objects.filter(person=person, organization__slug=organization_slug, end_on__isnull=True)
        .select_related("organization", "person")
        .first()
    )


def table_participation_open_get(table: Table, organization_slug: str) -> TableParticipation | None:
    """An organisation's current participation in a table, if any."""
    return (
        TableParticipation.objects.filter(
            table=table, organization__slug=organization_slug, left_on__isnull=True
        )
        .select_related("organization", "table")
        .first()
    )


def access_needs_get(person: Person) -> AccessNeeds | None:
    """A person's interpretation language and accommodations, if recorded. Callers check
    `can_see_access_needs` first: only staff and the person see them."""
    return AccessNeeds.objects.filter(person=person).first()


LANGUAGE_CACHE_SECONDS = 300


def _languages(queryset) -> set[str]:
    return set(queryset.exclude(preferred_language="").order_by().values_list("preferred_language", flat=True).distinct())


def person_language_list(user) -> list[str]:
    """The preferred languages (codes) recorded on the people the user may see, for filters.

    At 100,000 people a DISTINCT over the visible people costs ~25 ms a page, so: staff read the
    language index alone; others share a short-lived cached list for the public/members records and
    add the few table- and staff-visibility people they may see."""
    viewer = viewer_for(user)
    if viewer.is_staff:
        return sorted(_languages(Person.objects.all()))
    shared_levels = [Visibility.PUBLIC, Visibility.MEMBERS] if viewer.is_member else [Visibility.PUBLIC]
    shared = cache.get_or_set(
        f"directory:person-languages:{'members' if viewer.is_member else 'public'}",
        lambda: sorted(_languages(Person.objects.active().filter(visibility__in=shared_levels))),
        LANGUAGE_CACHE_SECONDS,
    )
    others = _languages(visible_people(user).exclude(visibility__in=shared_levels))
    return sorted(set(shared) | others)


def person_activity(person: Person):
    """Audit entries about a person (and about the records merged into them), and entries for
    what the person did through their sign-in account, newest first."""
    content_type = ContentType.objects.get_for_model(Person)
    merged = Person.objects.filter(merged_into=person).values_list("pk", flat=True)
    ids = [str(person.pk), *(str(pk) for pk in merged)]
    about = Q(content_type=content_type, object_id__in=ids)
    if person.user_id:
        about |= Q(actor_id=person.user_id)
    return ActivityLog.objects.filter(about).select_related("actor")


@dataclass
class HistoryEntry:
    record: object
    changes: list[tuple[str, object, object]]


def _field_label(obj, name: str) -> str:
    """A field's translated name, for people reading the history."""
    try:
        return str(obj._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def record_history(obj, limit: int = 20) -> list[HistoryEntry]:
    """The last versions of a record kept by django-simple-history, each with the fields that
    changed from the version before (compared in memory: two queries whatever the length)."""
    versions = obj.history.select_related("history_user").order_by("-history_date", "-history_id")
    records = list(versions[: limit + 1])
    entries = []
    for newer, older in zip(records, [*records[1:], None][: len(records)], strict=True):
        changes = []
        if older is not None:
            delta = newer.diff_against(older)
            changes = [(_field_label(obj, change.field), change.old, change.new) for change in delta.changes]
        entries.append(HistoryEntry(newer, changes))
    return entries[:limit]


def organization_people(organization: Organization, user):
    """Current affiliations of an organisation whose people the user may see."""
    # EXISTS per affiliation, not `person IN (people the user may see)`: SQLite would list all
    # 100,000 of them first (40 ms) to keep the few hundred of one organisation.
    visible = visible_people(user).filter(pk=OuterRef("person_id"))
    return (
        Affiliation.objects.current()
        .filter(Exists(visible), organization=organization)
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
        .order_by("name")
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


def home_summary(user) -> dict:
    """What the home page shows a signed-in person: their organisations (and which they may
    edit), their tables, and for staff the directory's to-do counts."""

    viewer = viewer_build(user) if user.is_authenticated else None
    summary: dict = {"affiliations": [], "tables": [], "staff": None}
    if viewer is None:
        return summary
    if viewer.person_id:
        summary["affiliations"] = list(
            Affiliation.objects.current()
            .filter(person_id=viewer.person_id)
            .select_related("organization")
            .order_by("organization__name")
        )
    if viewer.table_ids:
        summary["tables"] = list(Table.objects.filter(pk__in=viewer.table_ids).order_by("name"))
    if viewer.is_staff:
        today = timezone.localdate()
        counts = Organization.objects.aggregate(
            members=Count("pk", filter=Q(membership_status="member")),
            applicants=Count("pk", filter=Q(membership_status="applicant")),
            renewals_overdue=Count("pk", filter=Q(membership_status="member", renewal_due_on__lt=today)),
        )
        summary["staff"] = counts
    return summary
