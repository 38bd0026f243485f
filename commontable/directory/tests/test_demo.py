"""The demo coalition: its size and shape, loading once, the logins, and the benchmark scale."""

import random
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from commontable.core.models import ActivityLog, IssueTopic, Place
from commontable.core.text import fold_name, normalize_email, normalize_phone
from commontable.core.visibility import Role, viewer_for
from commontable.directory import demo, demo_data, demo_plan, services
from commontable.directory.choices import ConsentPurpose, MembershipStatus
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

LOGIN_PEOPLE = 4  # admin, staff, board and member are people at an organisation; public is not
PHONE = re.compile(r"^(\+1 )?\(?(612|651|763|952|507|320|218)\)?[ .-]555[ .-]01\d\d$")


def load(*args: str) -> str:
    out = StringIO()
    call_command("demo_load", "--allow-without-debug", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_small_demo_has_the_promised_size_and_shape_loads_once_and_its_logins_work(client):
    out = load()

    assert Organization.objects.count() == len(demo_data.ORGANIZATIONS) >= 60
    assert Table.objects.count() == 8
    assert Person.objects.count() == demo.SMALL_PEOPLE + LOGIN_PEOPLE
    assert Place.objects.filter(kind=Place.Kind.COUNTY).count() == 7
    assert Place.objects.filter(slug__in=["minneapolis", "saint-paul"]).count() == 2
    assert IssueTopic.objects.filter(slug__in=["housing", "transit", "workforce", "climate"]).count() == 4

    statuses = set(Organization.objects.values_list("membership_status", flat=True))
    # Counterparts (agencies, developers: never members) come with the investment watch's demo.
    assert statuses == set(MembershipStatus.values) - {MembershipStatus.NOT_MEMBER}
    years = {d.year for d in MembershipStatusChange.objects.values_list("effective_on", flat=True)}
    assert {2023, 2024, 2025, 2026} <= years
    assert MembershipStatusChange.objects.filter(status=MembershipStatus.LAPSED).exists()
    kinds = set(Organization.objects.values_list("kind", flat=True))
    assert len(kinds) >= 7
    languages = {
        code for codes in Organization.objects.values_list("languages_served", flat=True) for code in codes
    }
    assert {"en", "es", "so", "hmn", "om", "vi", "kar"} <= languages
    assert set(Organization.objects.values_list("bipoc_led", flat=True)) >= {"yes", "no"}

    for org in Organization.objects.filter(membership_status=MembershipStatus.MEMBER):
        assert org.affiliations.filter(is_representative=True, end_on__isnull=True).exists(), org
    for table in Table.objects.all():
        assert table.convenor is not None
        assert TableParticipation.objects.filter(table=table, left_on__isnull=True).count() >= 4

    multi = sum(1 for p in Person.objects.prefetch_related("affiliations") if len(p.affiliations.all()) > 1)
    assert multi > 100
    assert Affiliation.objects.filter(end_on__isnull=False).exists()
    assert ConsentRecord.objects.filter(purpose=ConsentPurpose.CONTACT_EMAIL).count() > 500
    assert ConsentRecord.objects.filter(withdrawn_at__isnull=False).exists()
    assert AccessNeeds.objects.exclude(interpretation_language="").exists()

    names = list(Person.objects.values_list("full_name", flat=True))
    assert any(ch in "".join(names) for ch in "áéíóúñ")  # Spanish accents kept
    assert any("ễ" in n or "ầ" in n or "Đ" in n for n in names)  # Vietnamese diacritics kept
    assert any(n.startswith(("Saw ", "Naw ")) for n in names)  # Karen honorifics
    emails = [e for e in Person.objects.values_list("email", flat=True) if e]
    assert all(
        e.endswith(("@example.org", "@example.com")) or e.endswith("@" + demo.LOGIN_DOMAIN) for e in emails
    )
    phones = [p for p in Person.objects.values_list("mobile", flat=True) if p]
    assert phones and all(PHONE.match(p) for p in phones)

    # Written through the services: audit entries and history rows exist.
    assert ActivityLog.objects.filter(action="directory.person.created").count() == Person.objects.count()
    assert Person.history.count() >= Person.objects.count()

    assert "Demo logins (password: riverbend-demo-2026)" in out
    for _role, email in demo.login_emails():
        assert email in out

    again = load()
    assert "already loaded" in again and "Demo logins" in again
    assert Person.objects.count() == demo.SMALL_PEOPLE + LOGIN_PEOPLE
    assert Organization.objects.count() == len(demo_data.ORGANIZATIONS)

    for role, email in demo.login_emails():
        assert client.login(email=email, password=demo.DEMO_PASSWORD), role
        client.logout()
    response = client.post(
        reverse("account_login"), {"login": f"member@{demo.LOGIN_DOMAIN}", "password": demo.DEMO_PASSWORD}
    )
    assert response.status_code == 302
    from commontable.accounts.models import User

    member = User.objects.get(email=f"member@{demo.LOGIN_DOMAIN}")
    viewer = viewer_for(member)
    assert viewer.role == Role.MEMBER
    assert viewer.represented_organization_ids and viewer.table_ids
    assert User.objects.get(email=f"admin@{demo.LOGIN_DOMAIN}").is_superuser
    assert User.objects.get(email=f"public@{demo.LOGIN_DOMAIN}").role == Role.PUBLIC


@pytest.mark.django_db
def test_reset_replaces_the_demo_and_leaves_other_records_alone():
    keep = services.organization_create(actor=None, name="Not A Demo Org")
    load("--people", "40")
    assert Person.objects.count() == 40 + LOGIN_PEOPLE
    first = list(Person.objects.order_by("public_id").values_list("full_name", flat=True))

    load("--reset", "--people", "40")

    assert Person.objects.count() == 40 + LOGIN_PEOPLE
    assert list(Person.objects.order_by("public_id").values_list("full_name", flat=True)) == first
    assert Organization.objects.filter(pk=keep.pk).exists()
    assert Organization.objects.count() == len(demo_data.ORGANIZATIONS) + 1


def test_the_plan_is_the_same_for_the_same_seed():
    def names(seed):
        rng = random.Random(seed)
        contacts = demo_plan.Contacts(rng)
        orgs = demo_plan.plan_organizations(rng, contacts, len(demo_data.ORGANIZATIONS))
        return [p.full_name for p in demo_plan.iter_people(rng, contacts, orgs, 200)]

    assert names(7) == names(7)
    assert names(7) != names(8)


@pytest.mark.django_db
def test_refuses_to_load_when_debug_is_off():
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("demo_load", stdout=StringIO())


@pytest.mark.django_db
def test_large_scale_sets_the_normalised_fields_the_services_set():
    summary = demo.build_large(people=600, organizations=90, tables=6)

    assert summary.people == 600
    assert Organization.objects.count() == 90
    assert Table.objects.count() == 6
    assert Person.objects.count() == 600 + LOGIN_PEOPLE
    assert Affiliation.objects.count() >= 600
    for person in Person.objects.all()[:200]:
        assert person.email_normalized == normalize_email(person.email)
        phone = person.mobile or person.phone
        assert person.phone_normalized == (normalize_phone(phone) if phone else "")
        assert person.name_folded == fold_name(person.full_name)
    for org in Organization.objects.all():
        assert org.name_folded == fold_name(org.name)
    # Ids were given explicitly: the database's own sequence still hands out fresh ones.
    later = services.person_create(actor=None, full_name="Added After The Benchmark Load")
    assert later.pk > Person.objects.exclude(pk=later.pk).order_by("-pk").first().pk
    assert demo.demo_loaded()


@pytest.mark.django_db
def test_logins_alone_are_printed_again_once_the_demo_is_loaded():
    with pytest.raises(CommandError, match="not loaded"):
        load("--logins")
    load("--people", "60")
    printed = load("--logins")
    assert "Demo logins (password: " in printed and "staff@" in printed and "Loading" not in printed
