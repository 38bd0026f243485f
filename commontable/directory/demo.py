"""The demo coalition: the Riverbend Regional Equity Alliance, entirely fictional.

Two scales share one plan (`demo_plan.py`):

* **small** (`make run`): about 60 organisations, 8 tables and 1,500 people with affiliations,
  consent, access needs and membership history over 2023 to 2026, written through the directory's
  services so every record has its audit entries and history rows;
* **large** (`bench/`): 2,000 organisations and 100,000 people, written with `bulk_create` in
  batches, setting the same normalised fields the services set.

Demo records carry public ids in their own UUID range (`DEMO_ID_RANGE`), which is how `demo_reset`
finds them without touching anything else; the demo logins use the `riverbend.example.org` domain.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.test.utils import override_settings
from django.utils import timezone

from commontable.accounts.models import User
from commontable.core.indicators import data_changed
from commontable.core.models import ActivityLog, IssueTopic, Place
from commontable.core.text import fold_name
from commontable.core.visibility import Role, Visibility
from commontable.directory import demo_data as data
from commontable.directory import services
from commontable.directory.choices import MembershipStatus
from commontable.directory.demo_plan import (
    DEMO_ID_PREFIX,
    DEMO_ID_RANGE,
    HISTORY_START,
    MEMBER_LOGIN_ORG,
    SEED,
    Contacts,
    OrgPlan,
    PersonPlan,
    TablePlan,
    iter_people,
    plan_organizations,
    plan_tables,
)
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

__all__ = [
    "DEMO_ID_RANGE",
    "DEMO_PASSWORD",
    "LOGIN_DOMAIN",
    "build_large",
    "build_small",
    "demo_loaded",
    "demo_reset",
]

DEMO_PASSWORD = "riverbend-demo-2026"  # noqa: S105 (published on purpose: demo machines only)
LOGIN_DOMAIN = "riverbend.example.org"
BATCH = 2000
SMALL_PEOPLE = 1_500
LARGE_PEOPLE = 100_000
LARGE_ORGANIZATIONS = 2_000
LARGE_TABLES = 40

# (key, role, email local part, full name, organisation index, affiliation role, representative)
LOGINS = [
    ("admin", Role.ADMIN, "admin", "Rosa Delgado-Whitfield", 0, "Operations director", False),
    ("staff", Role.STAFF, "staff", "Mai Yer Thao", 0, "Network organizer", False),
    ("board", Role.BOARD, "board", "Marcus Freeman", 0, "Board member", False),
    ("member", Role.MEMBER, "member", "Kao Vang", MEMBER_LOGIN_ORG, "Executive Director", True),
    ("public", Role.PUBLIC, "public", "Jordan Lindgren", None, "", False),
]


@dataclass
class DemoSummary:
    scale: str
    organizations: int = 0
    tables: int = 0
    people: int = 0
    affiliations: int = 0
    consents: int = 0
    seconds: float = 0.0
    logins: list[tuple[str, str]] = field(default_factory=list)


def vocabulary_ensure() -> tuple[dict[str, Place], dict[str, IssueTopic]]:
    """The places (seven metro counties, the two cities, a few suburbs, neighbourhoods and
    corridors) and issue topics the demo uses; existing entries with the same slug are kept."""
    places: dict[str, Place] = {}
    for slug, name, kind, parent, code in data.PLACES:
        places[slug], _created = Place.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "parent": places.get(parent), "code": code}
        )
    issues = {}
    for slug, name in data.ISSUES:
        issues[slug], _created = IssueTopic.objects.get_or_create(slug=slug, defaults={"name": name})
    return places, issues


def demo_loaded() -> bool:
    return (
        Organization.objects.filter(public_id__range=DEMO_ID_RANGE).exists()
        or User.objects.filter(email__iendswith="@" + LOGIN_DOMAIN).exists()
    )


def demo_reset() -> None:
    """Delete every demo record (found by its public id range) and the demo logins, with their
    audit entries and history rows. Other records are not touched."""
    data_changed()
    with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
        deleted = {}
        for model in (Person, Table, Organization):
            deleted[model] = list(
                model.objects.filter(public_id__range=DEMO_ID_RANGE).values_list("pk", flat=True)
            )
        person_ids = deleted[Person]
        for chunk in _chunks(person_ids, 5000):
            Person.objects.filter(pk__in=chunk).update(user=None, merged_into=None)
            Affiliation.history.model.objects.filter(person_id__in=chunk).delete()
            AccessNeeds.history.model.objects.filter(person_id__in=chunk).delete()
        for model, ids in deleted.items():
            content_type = ContentType.objects.get_for_model(model)
            for chunk in _chunks(ids, 5000):
                ActivityLog.objects.filter(
                    content_type=content_type, object_id__in=[str(i) for i in chunk]
                ).delete()
                model.history.model.objects.filter(id__in=chunk).delete()
        for chunk in _chunks(person_ids, 5000):
            Person.objects.filter(pk__in=chunk).delete()
        Table.objects.filter(pk__in=deleted[Table]).delete()
        for chunk in _chunks(deleted[Organization], 5000):
            Organization.objects.filter(pk__in=chunk).delete()
        User.objects.filter(email__iendswith="@" + LOGIN_DOMAIN).delete()


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def build_small(
    *,
    people: int = SMALL_PEOPLE,
    seed: int = SEED,
    password: str = DEMO_PASSWORD,
    progress: Callable[[str], None] | None = None,
) -> DemoSummary:
    """The demo for `make run`, written through the services (audit entries, history rows)."""
    started = time.monotonic()
    say = progress or (lambda _msg: None)
    rng = random.Random(seed)
    contacts = Contacts(rng)
    summary = DemoSummary(scale="small")
    with transaction.atomic():
        places, issues = vocabulary_ensure()
        org_plans = plan_organizations(rng, contacts, len(data.ORGANIZATIONS))
        orgs = [_org_write(plan, places, issues) for plan in org_plans]
        say(f"{len(orgs)} organizations")
        table_plans = plan_tables(rng, org_plans, len(data.TABLES))
        for plan in table_plans:
            _table_write(plan, orgs, places, issues)
        say(f"{len(table_plans)} tables")
        for plan in iter_people(rng, contacts, org_plans, people):
            summary.affiliations += len(plan.affiliations)
            summary.consents += len(plan.consents)
            _person_write(plan, orgs)
        say(f"{people} people")
        summary.logins = logins_ensure(password=password, organizations=orgs)
    summary.organizations, summary.tables, summary.people = len(orgs), len(table_plans), people
    summary.seconds = time.monotonic() - started
    return summary


def _org_write(plan: OrgPlan, places, issues) -> Organization:
    org = services.organization_create(
        actor=None,
        name=plan.name,
        public_id=plan.public_id,
        kind=plan.kind,
        description=plan.description,
        bipoc_led=plan.bipoc_led,
        budget_band=plan.budget_band,
        languages_served=plan.languages,
        website=plan.website,
        email=plan.email,
        phone=plan.phone,
        visibility=plan.visibility,
        shares_contacts=plan.shares_contacts,
        issues=[issues[s] for s in plan.issues],
        places_served=[places[s] for s in plan.places],
        membership_status=MembershipStatus.APPLICANT,
    )
    # The service dates the application today; the demo's history starts earlier.
    MembershipStatusChange.objects.filter(organization=org).update(
        effective_on=plan.applied_on, note="Application received"
    )
    for status, on in plan.story[1:]:
        services.organization_status_change(organization=org, actor=None, status=status, effective_on=on)
    for on, version in plan.affirmations:
        services.organization_values_affirm(organization=org, actor=None, version=version, on=on)
    org.refresh_from_db()
    return org


def _table_write(plan: TablePlan, orgs: list[Organization], places, issues) -> Table:
    table = services.table_create(
        actor=None,
        name=plan.name,
        public_id=plan.public_id,
        convenor=orgs[plan.convenor],
        description=plan.description,
        issues=[issues[s] for s in plan.issues],
        places=[places[s] for s in plan.places],
        visibility=Visibility.MEMBERS if plan.visibility == Visibility.TABLE else plan.visibility,
    )
    if plan.visibility == Visibility.TABLE:
        Table.objects.filter(pk=table.pk).update(visibility=Visibility.TABLE, visibility_table=table)
    for org_i, role, joined, left in plan.participants:
        participation = services.table_participation_add(
            actor=None, table=table, organization=orgs[org_i], role=role, joined_on=joined
        )
        if left is not None:
            services.table_participation_end(actor=None, participation=participation, left_on=left)
    return table


def _person_write(plan: PersonPlan, orgs: list[Organization]) -> Person:
    person = services.person_create(
        actor=None,
        full_name=plan.full_name,
        public_id=plan.public_id,
        name_for_greeting=plan.name_for_greeting,
        aliases=plan.aliases,
        pronouns=plan.pronouns,
        preferred_language=plan.preferred_language,
        email=plan.email,
        phone=plan.phone,
        mobile=plan.mobile,
        visibility=plan.visibility,
    )
    for aff in plan.affiliations:
        affiliation = services.affiliation_add(
            actor=None,
            person=person,
            organization=orgs[aff.org],
            role=aff.role,
            is_representative=aff.is_representative,
            start_on=aff.start_on,
        )
        if aff.end_on is not None:
            services.affiliation_end(actor=None, affiliation=affiliation, end_on=aff.end_on)
    if plan.access is not None:
        services.access_needs_set(
            actor=None, person=person, interpretation_language=plan.access[0], accommodations=plan.access[1]
        )
    for consent in plan.consents:
        record = services.consent_give(
            actor=None,
            person=person,
            purpose=consent.purpose,
            text_version=consent.version,
            source=consent.source,
            expires_at=consent.expires_at,
        )
        ConsentRecord.objects.filter(pk=record.pk).update(
            given_at=consent.given_at, withdrawn_at=consent.withdrawn_at
        )
    return person


def build_large(
    *,
    people: int = LARGE_PEOPLE,
    organizations: int = LARGE_ORGANIZATIONS,
    tables: int = LARGE_TABLES,
    seed: int = SEED,
    password: str = DEMO_PASSWORD,
    progress: Callable[[str], None] | None = None,
) -> DemoSummary:
    """The benchmark-scale demo, written with bulk inserts in batches (no audit entries or history
    rows; the normalised fields are set exactly as the services set them)."""
    data_changed()
    started = time.monotonic()
    say = progress or (lambda _msg: None)
    rng = random.Random(seed)
    contacts = Contacts(rng)
    summary = DemoSummary(scale="large")
    with transaction.atomic():
        places, issues = vocabulary_ensure()
        org_plans = plan_organizations(rng, contacts, organizations)
        orgs = _orgs_bulk(org_plans, places, issues)
        say(f"{len(orgs)} organizations")
        table_plans = plan_tables(rng, org_plans, tables)
        _tables_bulk(table_plans, orgs, places, issues)
        say(f"{len(table_plans)} tables")
        batch: list[PersonPlan] = []
        for plan in iter_people(rng, contacts, org_plans, people):
            batch.append(plan)
            if len(batch) >= 10_000:
                _people_bulk(batch, orgs, summary)
                batch = []
                say(f"{summary.people} people so far")
        if batch:
            _people_bulk(batch, orgs, summary)
        summary.logins = logins_ensure(password=password, organizations=orgs)
    summary.organizations, summary.tables = len(orgs), len(table_plans)
    summary.seconds = time.monotonic() - started
    return summary


def _orgs_bulk(plans: list[OrgPlan], places, issues) -> list[Organization]:
    orgs = []
    for plan in plans:
        last_affirmed = plan.affirmations[-1] if plan.affirmations else None
        renewal = None
        if last_affirmed:
            on = last_affirmed[0]
            renewal = on.replace(year=on.year + 1, day=28 if (on.month, on.day) == (2, 29) else on.day)
        orgs.append(
            Organization(
                public_id=plan.public_id,
                name=plan.name,
                slug=plan.slug,
                name_folded=fold_name(plan.name),
                kind=plan.kind,
                description=plan.description,
                bipoc_led=plan.bipoc_led,
                budget_band=plan.budget_band,
                languages_served=plan.languages,
                website=plan.website,
                email=plan.email,
                phone=plan.phone,
                visibility=plan.visibility,
                shares_contacts=plan.shares_contacts,
                membership_status=plan.status,
                member_since=plan.member_since,
                values_affirmed_on=last_affirmed[0] if last_affirmed else None,
                values_version=last_affirmed[1] if last_affirmed else "",
                renewal_due_on=renewal,
            )
        )
    Organization.objects.bulk_create(orgs, batch_size=BATCH)
    changes, org_issues, org_places = [], [], []
    issue_through, place_through = Organization.issues.through, Organization.places_served.through
    for org, plan in zip(orgs, plans, strict=True):
        for status, on in plan.story:
            changes.append(MembershipStatusChange(organization=org, status=status, effective_on=on))
        org_issues += [issue_through(organization_id=org.pk, issuetopic_id=issues[s].pk) for s in plan.issues]
        org_places += [place_through(organization_id=org.pk, place_id=places[s].pk) for s in plan.places]
    MembershipStatusChange.objects.bulk_create(changes, batch_size=BATCH)
    issue_through.objects.bulk_create(org_issues, batch_size=BATCH)
    place_through.objects.bulk_create(org_places, batch_size=BATCH)
    return orgs


def _tables_bulk(plans: list[TablePlan], orgs: list[Organization], places, issues) -> None:
    tables = [
        Table(
            public_id=p.public_id,
            name=p.name,
            slug=p.slug,
            convenor=orgs[p.convenor],
            description=p.description,
            visibility=p.visibility,
        )
        for p in plans
    ]
    Table.objects.bulk_create(tables, batch_size=BATCH)
    for table in tables:
        if table.visibility == Visibility.TABLE:
            table.visibility_table = table
    Table.objects.bulk_update([t for t in tables if t.visibility_table_id], ["visibility_table"])
    rows, table_issues, table_places = [], [], []
    for table, plan in zip(tables, plans, strict=True):
        rows += [
            TableParticipation(table=table, organization=orgs[i], role=role, joined_on=joined, left_on=left)
            for i, role, joined, left in plan.participants
        ]
        table_issues += [
            Table.issues.through(table_id=table.pk, issuetopic_id=issues[s].pk) for s in plan.issues
        ]
        table_places += [Table.places.through(table_id=table.pk, place_id=places[s].pk) for s in plan.places]
    TableParticipation.objects.bulk_create(rows, batch_size=BATCH)
    Table.issues.through.objects.bulk_create(table_issues, batch_size=BATCH)
    Table.places.through.objects.bulk_create(table_places, batch_size=BATCH)


def _people_bulk(plans: list[PersonPlan], orgs: list[Organization], summary: DemoSummary) -> None:
    """People and what hangs off them, inserted with plain `executemany`: at 100,000 rows the ORM's
    per-value SQL compilation costs far more than SQLite's own work."""
    next_id = (Person.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    people, affiliations, consents, needs = [], [], [], []
    for person_id, plan in enumerate(plans, start=next_id):
        person = SimpleNamespace(
            id=person_id,
            public_id=plan.public_id,
            full_name=plan.full_name,
            sort_name="",
            name_for_greeting=plan.name_for_greeting,
            aliases=plan.aliases,
            pronouns=plan.pronouns,
            preferred_language=plan.preferred_language,
            email=plan.email,
            phone=plan.phone,
            mobile=plan.mobile,
            visibility=plan.visibility,
        )
        services._person_normalize(person)  # the same normalised fields person_create sets
        people.append(vars(person))
        affiliations += [
            {
                "person_id": person_id,
                "organization_id": orgs[a.org].pk,
                "role": a.role,
                "is_representative": a.is_representative,
                "start_on": a.start_on,
                "end_on": a.end_on,
            }
            for a in plan.affiliations
        ]
        consents += [
            {
                "person_id": person_id,
                "purpose": c.purpose,
                "text_version": c.version,
                "source": c.source,
                "given_at": c.given_at,
                "expires_at": c.expires_at,
                "withdrawn_at": c.withdrawn_at,
            }
            for c in plan.consents
        ]
        if plan.access is not None:
            needs.append(
                {
                    "person_id": person_id,
                    "interpretation_language": plan.access[0],
                    "accommodations": plan.access[1],
                }
            )
    _insert_rows(Person, people)
    _insert_rows(Affiliation, affiliations)
    _insert_rows(ConsentRecord, consents)
    _insert_rows(AccessNeeds, needs)
    summary.people += len(people)
    summary.affiliations += len(affiliations)
    summary.consents += len(consents)


# Fields whose Python values the database drivers take as they are.
_PLAIN_FIELDS = (
    models.CharField,
    models.TextField,
    models.BooleanField,
    models.IntegerField,
    models.ForeignKey,
)


def _adapter(f):
    """How a field's Python value goes to the driver: as is where the driver takes it, by the
    field's own get_db_prep_save otherwise, with shortcuts for SQLite's most frequent types."""
    if isinstance(f, models.JSONField) or not isinstance(f, _PLAIN_FIELDS):
        if connection.vendor == "sqlite" and isinstance(f, models.UUIDField):
            return lambda v: None if v is None else v.hex
        if connection.vendor == "sqlite" and isinstance(f, models.DateTimeField):
            # What Django's SQLite backend stores: naive UTC, str()-formatted.
            return lambda v: None if v is None else str(v.astimezone(dt.UTC).replace(tzinfo=None))
        if connection.vendor == "sqlite" and isinstance(f, models.DateField):
            return lambda v: None if v is None else v.isoformat()
        if connection.vendor == "postgresql" and isinstance(f, (models.UUIDField, models.DateField)):
            return None  # psycopg adapts these (and aware datetimes) itself
        return partial(f.get_db_prep_save, connection=connection)
    return None


def _insert_rows(model, rows: list[dict]) -> None:
    """INSERT `rows` (dicts by attribute name) into `model`'s table. Every other concrete field gets
    its default (timestamps: now), so a field added to the model later keeps this working. An `id`
    given in the rows is inserted as is, and PostgreSQL's sequence is moved past it afterwards."""
    if not rows:
        return
    now = timezone.now()
    with_id = "id" in rows[0]
    fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
    defaults, adapters = [], []
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults.append(now)
        elif f.primary_key:
            defaults.append(None)
        else:
            defaults.append(f.get_default())
        adapters.append(_adapter(f))
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    # Table and column names come from the model; the values go as parameters.
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({placeholders})"  # noqa: S608
    columns = list(zip([f.attname for f in fields], defaults, adapters, strict=True))
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, 5000):
            values = [
                tuple(
                    row.get(name, default) if adapt is None else adapt(row.get(name, default))
                    for name, default, adapt in columns
                )
                for row in chunk
            ]
            cursor.executemany(sql, values)
        if with_id:
            for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
                cursor.execute(statement)


def logins_ensure(*, password: str, organizations: list[Organization]) -> list[tuple[str, str]]:
    """One sign-in per role; staff, admin and board are people at the coalition, the member login
    represents one member organisation (which takes part in a table)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password

    hashed = make_password(password)  # once: hashing is deliberately slow
    out = []
    for key, role, local, full_name, org_index, org_role, is_rep in LOGINS:
        email = f"{local}@{LOGIN_DOMAIN}"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email, None, role=role, full_name=full_name, is_superuser=role == Role.ADMIN
            )
            user.password = hashed
            user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if (
            org_index is not None
            and org_index < len(organizations)
            and not Person.objects.filter(user=user).exists()
        ):
            person = services.person_create(
                actor=None,
                full_name=full_name,
                email=email,
                user=user,
                visibility=Visibility.MEMBERS,
                public_id=uuid.UUID(int=(DEMO_ID_PREFIX << 96) | (len(out) + 1), version=4),
            )
            services.affiliation_add(
                actor=None,
                person=person,
                organization=organizations[org_index],
                role=org_role,
                is_representative=is_rep,
                start_on=HISTORY_START,
            )
        out.append((key, email))
    return out


def login_password_is_default() -> bool:
    user = User.objects.filter(email=f"admin@{LOGIN_DOMAIN}").first()
    return user is not None and user.check_password(DEMO_PASSWORD)


def login_emails() -> list[tuple[str, str]]:
    """(role, email) of each demo login."""
    return [(key, f"{local}@{LOGIN_DOMAIN}") for key, _role, local, *_rest in LOGINS]
