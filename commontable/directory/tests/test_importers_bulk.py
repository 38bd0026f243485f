# ruff: noqa: E501  (rows of CSV are kept whole)
"""The people importer's bulk paths: PostgreSQL's COPY writes exactly what INSERT writes (records,
history, affiliations, consent, search), a failure after some rows were written leaves nothing,
and the look-ups that replace per-organisation scans still find people on file without email."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import translation

from commontable.core import bulk
from commontable.core.imports import ImportRefused, get_import, import_file_apply
from commontable.core.models import ActivityLog, ImportBatch
from commontable.core.search import search_filter
from commontable.directory.importers import people as people_importer
from commontable.directory.models import PERSON_SEARCH, Affiliation, ConsentRecord, Person
from commontable.directory.services import _person_normalize
from commontable.directory.tests.factories import AffiliationFactory, PersonFactory

pytestmark = pytest.mark.django_db

PEOPLE = """full_name,email,phone,mobile,organization,role,representative,consent_email,consent_sms,preferred_language,pronouns,visibility
Hodan Abdi,HODAN@example.org,(612) 555-0101,,Org A,Director,yes,yes,no,Somali,she/her,staff
Tou Vang,tou@example.org,,+1 651 555 0199,org-b,,,no,yes,hmn,,
Rosa Díaz,,,,Org A,Organizer,no,,,es,,
Nguyễn Thị Lan,lan@example.org,٦١٢-٥٥٥-٠١٠٢,,,,,yes,,vi,,public
Ana O'Brien-Smith,ana@example.org,612.555.0103,,Org A,,,,,en,,
"""


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def apply(data: str, actor=None):
    return import_file_apply(
        spec=get_import("people"), data=data.replace("\n", "\r\n").encode(), filename="p.csv", actor=actor
    )


def snapshot() -> dict:
    """What an import wrote, without what differs between two runs (keys, public ids, times)."""
    person_fields = [
        f.attname
        for f in Person._meta.concrete_fields
        if f.attname not in ("id", "public_id", "created_at", "updated_at")
    ]
    history_fields = [
        f.attname
        for f in Person.history.model._meta.concrete_fields
        if f.attname not in ("id", "public_id", "created_at", "history_id", "history_date", "history_change_reason")
    ]
    return {
        "people": sorted(Person.objects.values_list(*person_fields), key=repr),
        "history": sorted(Person.history.values_list(*history_fields), key=repr),
        "reasons": sorted({(r or "")[:7] for r in Person.history.values_list("history_change_reason", flat=True)}),
        "affiliations": sorted(
            Affiliation.objects.values_list(
                "person__full_name", "organization__slug", "role", "is_representative", "start_on", "end_on"
            )
        ),
        "affiliation_history": sorted(
            Affiliation.history.values_list("person__full_name", "organization__slug", "role", "history_type")
        ),
        "consents": sorted(
            ConsentRecord.objects.values_list(
                "person__full_name", "purpose", "text_version", "source", "withdrawn_at", "recorded_by_id"
            )
        ),
        "search": {
            word: sorted(search_filter(Person.objects.all(), PERSON_SEARCH, word).values_list("full_name", flat=True))
            for word in ("hodan", "nguyen", "diaz", "obrien", "o brien", "smith", "tou@example")
        },
    }


def test_copy_writes_exactly_what_insert_writes(personas, monkeypatch):
    staff = personas.user("staff")
    copied = []
    real_copy_rows = bulk.copy_rows
    monkeypatch.setattr(bulk, "copy_rows", lambda model, rows: copied.append(model) or real_copy_rows(model, rows))
    snapshots = []
    on_file = Person.objects.count()
    for use_copy in (True, False):
        monkeypatch.setattr(bulk, "USE_COPY", use_copy)
        with transaction.atomic():
            _batch, preview = apply(PEOPLE, staff)
            assert preview.counts["create"] == 5
            snapshots.append(snapshot())
            transaction.set_rollback(True)
    if connection.vendor == "postgresql":
        assert copied == [Person, Affiliation, ConsentRecord]  # COPY was used, and only the first time
    assert snapshots[0] == snapshots[1]
    written = snapshots[0]
    assert len(written["people"]) == on_file + 5
    assert written["reasons"].count("import ") == 1 and len(written["affiliation_history"]) >= 4
    assert written["search"]["hodan"] == ["Hodan Abdi"] and written["search"]["nguyen"] == ["Nguyễn Thị Lan"]
    assert written["search"]["smith"] == ["Ana O'Brien-Smith"]


def test_new_people_get_what_the_services_would_set(personas):
    apply(PEOPLE)
    for person in Person.objects.filter(email_normalized__in=["hodan@example.org", "lan@example.org", "tou@example.org", "ana@example.org", ""]):
        expected = Person(full_name=person.full_name, sort_name="", email=person.email, phone=person.phone, mobile=person.mobile)
        _person_normalize(expected)
        assert (person.email_normalized, person.phone_normalized, person.name_folded) == (
            expected.email_normalized,
            expected.phone_normalized,
            expected.name_folded,
        )
    assert Person.objects.get(full_name="Nguyễn Thị Lan").phone_normalized == "6125550102"
    assert Person.objects.get(full_name="Tou Vang").phone_normalized == "6515550199"


def test_keys_taken_for_copied_rows_are_not_handed_out_again(personas):
    apply(PEOPLE)
    later = PersonFactory()
    assert Person.objects.filter(pk=later.pk).count() == 1
    assert later.pk > max(Person.objects.exclude(pk=later.pk).values_list("pk", flat=True))
    apply("full_name,email\nLater Person,later@example.org\n")
    assert Person.objects.filter(email_normalized="later@example.org").count() == 1


def test_keys_of_deleted_people_are_not_handed_out_again(personas):
    apply(PEOPLE)
    last = Person.objects.order_by("-pk").first()
    last_key = last.pk
    last.affiliations.all().delete()
    last.consents.all().delete()
    last.delete()
    apply("full_name,email\nAfter Person,after@example.org\n")
    assert Person.objects.get(email_normalized="after@example.org").pk > last_key


def counts() -> tuple:
    return (
        Person.objects.count(),
        Person.history.count(),
        Affiliation.objects.count(),
        Affiliation.history.count(),
        ConsentRecord.objects.count(),
        ImportBatch.objects.count(),
        ActivityLog.objects.count(),
        search_filter(Person.objects.all(), PERSON_SEARCH, "hodan").count(),
    )


def test_a_failure_after_people_were_written_leaves_nothing(personas, monkeypatch):
    before = counts()
    real_insert_rows = people_importer.insert_rows

    def failing(model, rows, **kwargs):
        if model is ConsentRecord:  # people and affiliations (and their history) are written by now
            raise DatabaseError("the disk is full")
        return real_insert_rows(model, rows, **kwargs)

    monkeypatch.setattr(people_importer, "insert_rows", failing)
    with pytest.raises(ImportRefused, match="nothing was written"):
        apply(PEOPLE, personas.user("staff"))
    assert counts() == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite does not enforce varchar lengths")
def test_a_row_the_database_refuses_during_copy_leaves_nothing(personas, monkeypatch):
    before = counts()
    real_copy_rows = bulk.copy_rows

    def overlong_role(model, rows):
        if model is Affiliation:
            rows = [{**rows[0], "role": "x" * 500}, *rows[1:]]  # longer than the column allows
        return real_copy_rows(model, rows)

    monkeypatch.setattr(bulk, "copy_rows", overlong_role)
    with pytest.raises(ImportRefused, match="nothing was written"):
        apply(PEOPLE, personas.user("staff"))
    assert counts() == before


def test_a_new_email_matches_a_person_without_email_by_full_name_even_with_a_sort_name(personas):
    bao = PersonFactory(full_name="Bao Xiong", email="", email_normalized="", sort_name="Xiong, Bao", name_folded="xiong bao")
    AffiliationFactory(person=bao, organization=personas.org_a)
    elsewhere = PersonFactory(full_name="Mai Lee", email="", email_normalized="")
    AffiliationFactory(person=elsewhere, organization=personas.org_b)
    _batch, preview = apply("full_name,email,organization\nBAO XIONG,bao@example.org,Org A\nMai Lee,mai@example.org,Org A\n")
    assert [row.action for row in preview.rows] == ["update", "create"]  # Mai Lee on file is at Org B
    bao.refresh_from_db()
    assert bao.email == "bao@example.org"


def test_many_rows_look_existing_people_up_in_a_fixed_number_of_queries(personas, monkeypatch, django_assert_max_num_queries):
    monkeypatch.setattr(bulk, "ARRAY_LOOKUP_MIN", 2)  # every list goes as one array parameter
    PersonFactory(full_name="Person 7", email="p7@example.org", email_normalized="p7@example.org")
    rows = "".join(f"Person {n},p{n}@example.org,Org A\n" for n in range(60))
    from commontable.core.imports import validate_file

    with django_assert_max_num_queries(8):
        preview = validate_file(get_import("people"), ("full_name,email,organization\n" + rows).encode(), "p.csv")
    assert preview.counts["create"] == 59 and preview.counts["update"] == 1
