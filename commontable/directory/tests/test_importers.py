# ruff: noqa: RUF001 E501  (digits from other scripts are the point; messages are compared whole)
"""The people and organisations importers: natural keys, affiliations, consent, companion sheets,
idempotent re-imports, all-or-nothing apply, and the management command."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from openpyxl import Workbook

from commontable.core.imports import (
    ImportRefused,
    get_import,
    import_batch_apply,
    import_batch_create,
    validate_file,
)
from commontable.core.models import ActivityLog, ImportBatch
from commontable.directory.choices import ConsentPurpose, ConsentSource, MembershipStatus
from commontable.directory.models import (
    Affiliation,
    ConsentRecord,
    MembershipStatusChange,
    Organization,
    Person,
)
from commontable.directory.tests.factories import AffiliationFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """Messages are compared in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


def csv_bytes(text: str) -> bytes:
    return text.strip("\n").replace("\n", "\r\n").encode() + b"\r\n"


def xlsx_bytes(*sheets) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def check(kind: str, data: bytes, filename: str = "file.csv"):
    return validate_file(get_import(kind), data, filename)


def run(kind: str, data: bytes, actor=None, filename: str = "file.csv"):
    batch, preview = import_batch_create(spec=get_import(kind), data=data, filename=filename, actor=actor)
    assert batch is not None, [str(p) for p in preview.problems()]
    assert not preview.has_errors, [str(p) for p in preview.problems()]
    return batch, import_batch_apply(batch=batch, actor=actor)


def problems(preview) -> list[str]:
    return [str(p) for p in preview.problems()]


@pytest.fixture
def staff(personas):
    return personas.user("staff")


ORGS = """
name,slug,kind,bipoc_led,budget_band,languages_served,website,membership_status,values_affirmed_on,renewal_due_on
Lake Street Council,,Nonprofit,yes,100k-500k,English; Somali;English,lakestreet.example.org,member,2024-03-05,2025-03-05
Hmong Elders Circle,hec,faith community,no,,Hmong,,applicant,,
"""


def test_organizations_are_created_with_history_and_one_audit_entry(staff):
    batch, preview = run("organizations", csv_bytes(ORGS), staff)
    assert preview.counts["create"] == 2
    lake = Organization.objects.get(slug="lake-street-council")
    assert lake.bipoc_led == "yes" and lake.budget_band == "100k-500k"
    assert lake.languages_served == ["English", "Somali"]
    assert lake.website == "https://lakestreet.example.org"
    assert lake.membership_status == MembershipStatus.MEMBER and lake.member_since == timezone.localdate()
    assert str(lake.values_affirmed_on) == "2024-03-05" and lake.name_folded == "lake street council"
    assert Organization.objects.get(slug="hec").kind == "faith"
    assert MembershipStatusChange.objects.filter(organization=lake, status="member").count() == 1
    record = lake.history.get()
    assert record.history_user == staff and str(batch.public_id) in record.history_change_reason
    entries = ActivityLog.objects.filter(action="core.import.applied")
    assert entries.count() == 1 and entries.get().object_id == str(batch.pk)
    assert entries.get().data["written"]["organizations"]["created"] == 2
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED and batch.applied_at is not None


def test_reimporting_the_same_organizations_changes_nothing(staff):
    run("organizations", csv_bytes(ORGS), staff)
    history = Organization.history.count()
    _batch, preview = run("organizations", csv_bytes(ORGS), staff)
    assert [row.action for row in preview.rows] == ["unchanged", "unchanged"]
    assert Organization.history.count() == history
    assert MembershipStatusChange.objects.count() == 2


def test_organization_rows_without_slug_match_by_folded_name(personas, staff):
    preview = check("organizations", csv_bytes("name,website\nORG Á,https://a.example.org\n"))
    (row,) = preview.rows
    assert row.action == "update" and row.target == personas.org_a
    assert any("https://a.example.org" in change for change in row.changes)


def test_an_impossible_membership_step_is_a_row_error(personas):
    personas.org_a.membership_status = MembershipStatus.WITHDRAWN
    personas.org_a.save()
    preview = check("organizations", csv_bytes("slug,name,membership_status\norg-a,Org A,member\n"))
    assert problems(preview) == [
        "Row 2, column “membership_status”: An organization cannot go from “Withdrawn” to “Member”."
    ]


def test_organization_cell_problems_are_named_by_row_and_column(db):
    data = csv_bytes(
        "name,slug,kind,values_affirmed_on,website\n"
        "Good,,nonprofit,2024-02-29,\n"
        "Bad date,,nonprofit,2024-02-30,\n"
        "Bad kind,,spaceship,,\n"
        "Bad slug,Not A Slug!,,,\n"
        "Bad site,,,,not a site\n"
    )
    preview = check("organizations", data)
    assert problems(preview) == [
        "Row 3, column “values_affirmed_on”: “2024-02-30” is not a date. Write it as 2024-03-05 (year-month-day) or 3/5/2024.",
        "Row 4, column “kind”: “spaceship” is not one of: nonprofit, coalition, faith, tenant, business, labor, cultural, informal, agency, developer, other.",
        "Row 5, column “slug”: Use only lowercase letters, digits and hyphens.",
        "Row 6, column “website”: “not a site” is not a web address.",
    ]
    assert preview.counts["create"] == 1 and preview.counts["error"] == 4


def test_full_width_and_arabic_indic_digits_are_converted_visibly(db):
    preview = check(
        "organizations", csv_bytes("name,values_affirmed_on,phone\nOrg,２０２４-０３-０５,٦١٢-٥٥٥-٠١٠٠\n")
    )
    (row,) = preview.rows
    assert row.values["values_affirmed_on"].isoformat() == "2024-03-05"
    assert row.cell("values_affirmed_on")["value"] == "2024-03-05"
    assert row.cell("values_affirmed_on")["warnings"] == [
        "Read as “2024-03-05”: the original “２０２４-０３-０５” was written with other digits."
    ]
    assert row.values["phone"] == "612-555-0100"
    assert "٦١٢-٥٥٥-٠١٠٠" in row.cell("phone")["warnings"][0]
    assert not preview.has_errors


PEOPLE = """
full_name,email,phone,organization,role,representative,consent_email,consent_sms,preferred_language
Hodan Abdi,HODAN@example.org,(612) 555-0101,Org A,Director,yes,yes,no,Somali
Tou Vang,tou@example.org,,org-b,,,no,,hmn
Rosa Díaz,,,Org A,Organizer,no,,,es
"""


def test_people_are_created_with_affiliations_and_consent(personas, staff):
    batch, preview = run("people", csv_bytes(PEOPLE), staff)
    assert preview.counts["create"] == 3
    hodan = Person.objects.get(email_normalized="hodan@example.org")
    assert hodan.email == "hodan@example.org" and hodan.preferred_language == "so"
    assert hodan.phone_normalized == "6125550101"
    affiliation = hodan.affiliations.get()
    assert (
        affiliation.organization == personas.org_a
        and affiliation.role == "Director"
        and affiliation.is_representative
    )
    consent = hodan.consents.get()
    assert consent.purpose == ConsentPurpose.CONTACT_EMAIL and consent.source == ConsentSource.IMPORT
    assert consent.text_version == "import-unspecified" and consent.recorded_by == staff
    rosa = Person.objects.get(full_name="Rosa Díaz")
    assert rosa.email == "" and rosa.affiliations.get().organization == personas.org_a
    assert not ConsentRecord.objects.filter(person__full_name="Tou Vang").exists()
    record = hodan.history.get()
    assert (
        record.history_change_reason.startswith(f"import {batch.public_id}") and record.history_user == staff
    )
    assert (
        record.history_type == "+"
        and record.full_name == "Hodan Abdi"
        and record.public_id == hodan.public_id
    )
    assert Affiliation.history.filter(person=hodan).count() == 1
    assert ActivityLog.objects.filter(action="core.import.applied").count() == 1


def test_reimporting_the_same_people_reports_every_row_unchanged(personas, staff):
    run("people", csv_bytes(PEOPLE), staff)
    counts = (
        Person.objects.count(),
        Affiliation.objects.count(),
        ConsentRecord.objects.count(),
        Person.history.count(),
    )
    _batch, preview = run("people", csv_bytes(PEOPLE), staff)
    assert [row.action for row in preview.rows] == ["unchanged"] * 3
    assert (
        Person.objects.count(),
        Affiliation.objects.count(),
        ConsentRecord.objects.count(),
        Person.history.count(),
    ) == counts


def test_people_updates_change_only_what_the_file_says(personas, staff):
    run("people", csv_bytes(PEOPLE), staff)
    data = csv_bytes(
        "full_name,email,phone,organization,role,consent_email\n"
        "Hodan Abdi,hodan@example.org,,Org A,Executive Director,no\n"
    )
    _batch, preview = run("people", data, staff)
    (row,) = preview.rows
    assert row.action == "update"
    assert any("Executive Director" in change for change in row.changes)
    hodan = Person.objects.get(email_normalized="hodan@example.org")
    assert hodan.phone == "(612) 555-0101"  # a blank cell keeps what is stored
    assert hodan.affiliations.get().role == "Executive Director"
    assert hodan.consents.get().withdrawn_at is not None
    assert row.cell("consent_email")["warnings"]


def test_a_person_on_file_without_email_gains_it_when_matched_by_name_and_organization(personas, staff):
    rosa = PersonFactory(full_name="Rosa Díaz", email="", email_normalized="")
    AffiliationFactory(person=rosa, organization=personas.org_a)
    _batch, preview = run(
        "people", csv_bytes("full_name,email,organization\nrosa diaz,rosa@example.org,Org A\n"), staff
    )
    assert preview.rows[0].action == "update"
    rosa.refresh_from_db()
    assert rosa.email == "rosa@example.org" and rosa.full_name == "rosa diaz"
    assert Person.objects.filter(email_normalized="rosa@example.org").count() == 1


def test_duplicate_people_in_one_file_are_errors_on_every_copy(personas):
    data = csv_bytes("full_name,email\nAna,ana@example.org\nBao,bao@example.org\nAna L.,ANA@example.org\n")
    preview = check("people", data)
    assert problems(preview) == [
        "Row 2: The same record appears again in row 4; keep one row and delete the others.",
        "Row 4: This row is about the same record as row 2 (email “ana@example.org”); a record may appear only once.",
    ]


def test_unknown_and_ambiguous_organizations_are_row_errors(personas):
    OrganizationFactory(name="Org B", slug="org-b-2")
    preview = check(
        "people", csv_bytes("full_name,organization\nAna,Nowhere Collective\nBao,Org B\nCy,org-b\n")
    )
    assert problems(preview) == [
        "Row 2, column “organization”: There is no organization “Nowhere Collective”. Import it first, or add it on an "
        "“Organizations” sheet in the same workbook.",
        "Row 3, column “organization”: Several organizations are called “Org B” (org-b, org-b-2); write the short name instead.",
    ]
    assert preview.rows[2].action == "create"


def test_a_workbook_can_carry_its_organizations_on_a_companion_sheet(personas, staff):
    data = xlsx_bytes(
        (
            "People",
            [
                ["full_name", "email", "organization", "representative"],
                ["Ana", "ana@example.org", "Northside Tenants", "yes"],
                ["Bao", "bao@example.org", "Org A", None],
            ],
        ),
        ("Organizations", [["name", "kind"], ["Northside Tenants", "tenant"]]),
        ("Notes", [["anything"]]),
    )
    preview = check("people", data, "directory.xlsx")
    assert not preview.has_errors, problems(preview)
    assert preview.companions["organizations"].counts["create"] == 1
    assert preview.notices[0] == "Sheets read: “People” (People), “Organizations” (Organizations)."
    assert preview.notices[1] == "Sheets ignored: “Notes”."
    batch, _preview = run("people", data, staff, "directory.xlsx")
    ana = Person.objects.get(email_normalized="ana@example.org")
    affiliation = ana.affiliations.get()
    assert affiliation.organization.slug == "northside-tenants" and affiliation.is_representative
    batch.refresh_from_db()
    assert batch.summary["written"]["organizations"]["created"] == 1


def test_errors_on_the_companion_sheet_block_the_whole_workbook(personas, staff):
    data = xlsx_bytes(
        ("People", [["full_name", "organization"], ["Ana", "Northside Tenants"]]),
        ("Organizations", [["name", "kind"], ["Northside Tenants", "spaceship"]]),
    )
    batch, preview = import_batch_create(spec=get_import("people"), data=data, filename="d.xlsx", actor=staff)
    assert preview.has_errors
    assert problems(preview)[0].startswith("Sheet “Organizations”, row 2, column “kind”:")
    with pytest.raises(ImportRefused):
        import_batch_apply(batch=batch, actor=staff)
    assert not Organization.objects.filter(name="Northside Tenants").exists()
    assert not Person.objects.filter(full_name="Ana").exists()


def test_apply_checks_again_and_refuses_when_the_database_changed(personas, staff):
    org = OrganizationFactory(name="Short Lived", slug="short-lived")
    batch, preview = import_batch_create(
        spec=get_import("people"),
        data=csv_bytes("full_name,organization\nAna,short-lived\n"),
        filename="p.csv",
        actor=staff,
    )
    assert not preview.has_errors
    org.delete()
    with pytest.raises(ImportRefused) as refused:
        import_batch_apply(batch=batch, actor=staff)
    assert "There is no organization" in problems(refused.value.preview)[0]
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert not Person.objects.filter(full_name="Ana").exists()
    assert not ActivityLog.objects.filter(action="core.import.applied").exists()


def test_nothing_is_written_when_one_row_of_many_has_an_error(personas, staff):
    rows = "\n".join(f"Person {n},p{n}@example.org" for n in range(50))
    data = csv_bytes("full_name,email\n" + rows + "\nBroken,not-an-email\n")
    batch, preview = import_batch_create(spec=get_import("people"), data=data, filename="p.csv", actor=staff)
    assert preview.counts == {
        "create": 50,
        "update": 0,
        "unchanged": 0,
        "error": 1,
        "warning": 0,
        "total": 51,
    }
    people = Person.objects.count()
    with pytest.raises(ImportRefused):
        import_batch_apply(batch=batch, actor=staff)
    assert Person.objects.count() == people


def test_the_same_batch_cannot_be_applied_twice(personas, staff):
    batch, _preview = run("organizations", csv_bytes(ORGS), staff)
    with pytest.raises(ImportRefused, match="already applied"):
        import_batch_apply(batch=batch, actor=staff)


def test_uploading_a_file_already_applied_says_so(personas, staff):
    run("organizations", csv_bytes(ORGS), staff)
    _batch, preview = import_batch_create(
        spec=get_import("organizations"), data=csv_bytes(ORGS), filename="o.csv", actor=staff
    )
    assert preview.notices[0].startswith("This same file was already applied on ")


# -- hostile files: each refused with a row-numbered message, nothing kept or written -------------

HOSTILE = [
    (
        "bom.csv",
        "\ufefffull_name,email\nAna,not-an-email\n".encode(),
        ["Row 2, column “email”: “not-an-email” is not an email address."],
    ),
    (
        "missing.csv",
        b"email\nana@example.org\n",
        ["Row 1: The required column \u201cfull_name\u201d is missing."],
    ),
    (
        "dupe-header.csv",
        b"full_name,email,Email\nAna,a@x.org,a@x.org\n",
        ["Row 1: the column \u201cEmail\u201d appears twice."],
    ),
    (
        "alias-clash.csv",
        b"full_name,email,e-mail address\nAna,a@x.org,a@x.org\n",
        [
            "Row 1: The columns \u201cemail\u201d and \u201ce-mail address\u201d both mean \u201cemail\u201d; keep only one."
        ],
    ),
    (
        "nul.csv",
        b"full_name,email\n" + b"Someone,s@example.org\n" * 30 + b"Ana\x00,a@x.org\n",
        ["Row 32 contains a NUL byte: this does not look like a text file."],
    ),
    (
        "long.csv",
        b"full_name,email\nAna," + b"a" * 20_000 + b"\n",
        ["Row 2, column \u201cemail\u201d: the cell is longer than 10000 characters."],
    ),
    (
        "long-name.csv",
        b"full_name,email\n" + b"A" * 201 + b",\n",
        ["Row 2, column \u201cfull_name\u201d: This is 201 characters long; at most 200 are allowed."],
    ),
    (
        "image.csv",
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        ["\u201cimage.csv\u201d is a PNG image file, not a CSV or XLSX spreadsheet."],
    ),
    ("empty.csv", b"", ["The file is empty."]),
    (
        "damaged.xlsx",
        b"PK\x03\x04" + b"\x00garbage" * 50,
        ["\u201cdamaged.xlsx\u201d could not be opened: it looks like a damaged .xlsx (or ZIP) file."],
    ),
]


@pytest.mark.parametrize(("filename", "data", "expected"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_files_are_refused_with_row_numbered_messages_and_nothing_written(
    personas, staff, filename, data, expected
):
    people, batches = Person.objects.count(), ImportBatch.objects.count()
    batch, preview = import_batch_create(spec=get_import("people"), data=data, filename=filename, actor=staff)
    assert problems(preview) == expected
    if batch is not None:
        with pytest.raises(ImportRefused):
            import_batch_apply(batch=batch, actor=staff)
    assert Person.objects.count() == people
    assert ImportBatch.objects.count() == batches + (1 if batch is not None else 0)


def test_windows_1252_semicolon_file_is_read_with_notices(personas, staff):
    data = "full_name;email;organization\nJosé Peña;jose@example.org;Org A\n".encode("cp1252")
    _batch, preview = run("people", data, staff)
    assert any("Windows-1252" in notice for notice in preview.notices)
    assert any("“;”" in notice for notice in preview.notices)
    assert Person.objects.filter(full_name="José Peña").exists()


def test_row_messages_are_in_the_readers_language(personas, monkeypatch):
    from commontable.core import cells

    monkeypatch.setattr(cells, "_", lambda text: "[es] " + text)
    preview = check("people", csv_bytes("full_name,email\nAna,nope\n"))
    assert preview.rows[0].errors[0].message == "[es] “nope” is not an email address."


# -- management command ---------------------------------------------------------------------------


def test_command_dry_run_prints_row_errors_and_exits_1_writing_nothing(personas, tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes("full_name,email\nAna,nope\nBao,bao@example.org\n"))
    with pytest.raises(CommandError) as exited:
        call_command("directory_import", "people", str(path), "--dry-run")
    assert exited.value.returncode == 1
    err = capsys.readouterr().err
    assert "Row 2, column “email”: “nope” is not an email address." in err
    assert not Person.objects.filter(full_name="Bao").exists()
    assert not ImportBatch.objects.exists()


def test_command_applies_a_clean_file_and_is_idempotent(personas, tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes(PEOPLE))
    call_command("directory_import", "people", str(path), "--dry-run")
    assert not Person.objects.filter(full_name="Tou Vang").exists()
    assert "3 new" in capsys.readouterr().out
    call_command("directory_import", "people", str(path))
    assert Person.objects.filter(full_name="Tou Vang").exists()
    assert ImportBatch.objects.get().status == ImportBatch.Status.APPLIED
    call_command("directory_import", "people", str(path))
    assert "3 unchanged" in capsys.readouterr().out
    assert Person.objects.filter(full_name="Tou Vang").count() == 1


def test_command_refuses_unknown_kinds_and_missing_files(tmp_path, capsys, db):
    with pytest.raises(CommandError) as exited:
        call_command("directory_import", "spaceships", str(tmp_path / "x.csv"))
    assert exited.value.returncode == 2
    with pytest.raises(CommandError) as exited:
        call_command("directory_import", "people", str(tmp_path / "missing.csv"))
    assert exited.value.returncode == 2


# -- more rules ---------------------------------------------------------------------------------


def test_consent_without_a_version_column_is_recorded_with_the_default_and_one_notice(personas, staff):
    _batch, preview = run(
        "people",
        csv_bytes("full_name,email,consent_email\nAna,ana@example.org,yes\nBao,bao@example.org,yes\n"),
        staff,
    )
    assert preview.notices == [
        "Rows without a consent_text_version record consent as version “import-unspecified”."
    ]
    assert not any(row.warnings for row in preview.rows)


def test_a_new_consent_version_is_recorded_beside_the_old_one(personas, staff):
    run(
        "people",
        csv_bytes("full_name,email,consent_sms,consent_text_version\nAna,ana@example.org,yes,2024-01\n"),
        staff,
    )
    _batch, preview = run(
        "people",
        csv_bytes("full_name,email,consent_sms,consent_text_version\nAna,ana@example.org,yes,2025-06\n"),
        staff,
    )
    assert preview.rows[0].action == "update"
    versions = set(
        ConsentRecord.objects.filter(person__email_normalized="ana@example.org").values_list(
            "text_version", flat=True
        )
    )
    assert versions == {"2024-01", "2025-06"}
    _batch, preview = run(
        "people",
        csv_bytes("full_name,email,consent_sms,consent_text_version\nAna,ana@example.org,yes,2025-06\n"),
        staff,
    )
    assert preview.rows[0].action == "unchanged"


def test_no_for_someone_without_consent_records_nothing(personas, staff):
    run(
        "people", csv_bytes("full_name,email,consent_email,consent_phone\nAna,ana@example.org,no,no\n"), staff
    )
    assert not ConsentRecord.objects.exists()


def test_representative_and_role_changes_update_the_open_affiliation(personas, staff):
    _batch, preview = run(
        "people",
        csv_bytes("full_name,email,organization,role,representative\nAyaan Cabdi,,Org A,Chair,no\n"),
        staff,
    )
    (row,) = preview.rows
    assert row.action == "update" and row.target.pk == personas.person_a.pk
    affiliation = personas.person_a.affiliations.get()
    assert affiliation.role == "Chair" and affiliation.is_representative is False
    assert affiliation.history.first().history_change_reason.startswith("import ")


def test_role_without_an_organization_is_an_error(personas):
    preview = check("people", csv_bytes("full_name,role\nAna,Chair\n"))
    assert problems(preview) == [
        "Row 2, column “organization”: A role or representative flag needs an organization in the same row."
    ]


def test_preferred_language_by_name_is_converted_visibly_and_nonsense_refused(db):
    preview = check("people", csv_bytes("full_name,preferred_language\nAna,Español\nBao,HMN\nCy,Klingon!\n"))
    assert preview.rows[0].values["preferred_language"] == "es"
    assert preview.rows[0].cell("preferred_language")["warnings"] == [
        "“Español” was read as the language code “es”."
    ]
    assert preview.rows[1].values["preferred_language"] == "hmn" and not preview.rows[1].warnings
    assert problems(preview) == [
        "Row 4, column “preferred_language”: “Klingon!” is not a language code (such as en, es, so, hmn)."
    ]


def test_people_without_email_or_organization_match_people_with_neither(personas, staff):
    loner = PersonFactory(full_name="Sam Lee", email="", email_normalized="")
    preview = check("people", csv_bytes("full_name,pronouns\nSAM LEE,they/them\nNew Person,\n"))
    assert [row.action for row in preview.rows] == ["update", "create"]
    assert preview.rows[0].target.pk == loner.pk


def test_two_people_with_the_same_email_must_be_merged_first(personas):
    PersonFactory(email="twin@example.org", email_normalized="twin@example.org")
    PersonFactory(email="twin@example.org", email_normalized="twin@example.org")
    preview = check("people", csv_bytes("full_name,email\nTwin,twin@example.org\n"))
    assert problems(preview) == [
        "Row 2, column “email”: 2 people in the directory match this row; merge them first."
    ]


def test_organization_status_steps_are_recorded_with_their_history(personas, staff):
    applicant = OrganizationFactory(
        name="New Org", slug="new-org", membership_status=MembershipStatus.APPLICANT
    )
    _batch, preview = run(
        "organizations", csv_bytes("slug,name,membership_status\nnew-org,New Org,member\n"), staff
    )
    assert preview.rows[0].changes == ["Membership status: “applicant” → “member”"]
    applicant.refresh_from_db()
    assert (
        applicant.membership_status == MembershipStatus.MEMBER
        and applicant.member_since == timezone.localdate()
    )
    change = MembershipStatusChange.objects.get(organization=applicant)
    assert (
        change.status == MembershipStatus.MEMBER and change.recorded_by == staff and "file.csv" in change.note
    )


def test_an_organization_whose_name_makes_no_slug_gets_one_and_is_found_again(personas, staff):
    data = csv_bytes("name,kind\n東方社區中心,cultural\n")
    run("organizations", data, staff)
    org = Organization.objects.get(name="東方社區中心")
    assert org.slug.startswith("org-")
    _batch, preview = run("organizations", data, staff)
    assert preview.rows[0].action == "unchanged"


def test_organizations_named_alike_need_a_slug(personas):
    OrganizationFactory(name="Org-A", slug="org-a-2")
    preview = check("organizations", csv_bytes("name,website\nOrg A,https://a.example.org\n"))
    assert problems(preview) == [
        "Row 2, column “name”: 2 organizations are named like this (org-a, org-a-2); add a slug column to say which."
    ]


def test_reserved_slugs_are_refused(db):
    preview = check("organizations", csv_bytes("name,slug\nNew,new\n"))
    assert problems(preview) == ["Row 2, column “slug”: “new” is reserved; choose another."]


# -- the pages, with the real importers -------------------------------------------------------------


def test_staff_import_people_through_the_pages(client, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from commontable.core.testing import login_as

    login_as(client, personas, "staff")
    page = client.get(reverse("core:import_create", args=["people"])).content.decode()
    assert "<code>consent_email</code>" in page and "on further sheets named after them" in page
    upload = SimpleUploadedFile("people.csv", csv_bytes(PEOPLE))
    response = client.post(reverse("core:import_create", args=["people"]), {"file": upload}, follow=True)
    html = response.content.decode()
    assert "3 new, 0 to update, 0 unchanged, 0 with errors" in html and "Apply the import" in html
    assert "Somali" in html and "“Somali” was read as the language code “so”." in html
    batch = ImportBatch.objects.get()
    response = client.post(reverse("core:import_apply", args=[batch.public_id]), follow=True)
    assert "Imported: 3 new" in response.content.decode()
    assert Person.objects.filter(email_normalized="tou@example.org").exists()


def test_insert_history_copies_rows_as_simple_history_would(personas):
    from commontable.core.bulk import insert_history

    person = personas.person_a
    insert_history(Person, [person.pk], history_type="~", user=personas.user("staff"), reason="import test")
    record = person.history.get(history_change_reason="import test")
    assert (record.full_name, record.public_id, record.history_type) == (
        person.full_name,
        person.public_id,
        "~",
    )
    assert record.history_user == personas.user("staff") and record.history_change_reason == "import test"
    assert record.instance.email == person.email


def test_one_pass_names_every_problem_of_a_row(personas):
    preview = check("people", csv_bytes("full_name,email,organization,consent_email\nBad,nope,Nowhere,maybe\n"))
    assert problems(preview) == [
        "Row 2, column “email”: “nope” is not an email address.",
        "Row 2, column “consent_email”: “maybe” is not yes or no.",
        "Row 2, column “organization”: There is no organization “Nowhere”. Import it first, or add it on an "
        "“Organizations” sheet in the same workbook.",
    ]
