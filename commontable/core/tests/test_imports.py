# ruff: noqa: RUF001  (digits from other scripts are the point; messages are compared whole)
"""The shared import pipeline, with a small importer of issue topics: parsing cells on purpose,
matching headers, duplicate keys, preview, all-or-nothing apply with one audit entry, and the
upload → preview → apply pages with their permission matrix."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.urls import reverse
from django.utils import translation

from commontable.core import imports
from commontable.core.cells import CellParser
from commontable.core.imports import (
    CellError,
    Column,
    ImportRefused,
    ImportSpec,
    describe_counts,
    import_batch_apply,
    import_batch_create,
    imports_for,
    lookup_in,
    register_import,
    validate,
)
from commontable.core.models import ActivityLog, ImportBatch, IssueTopic
from commontable.core.tabular import Table, read_table
from commontable.core.testing import assert_permission_matrix, login_as


@pytest.fixture(autouse=True)
def in_english():
    """Messages are compared in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


class TopicImport(ImportSpec):
    """Issue topics keyed on slug; a name already used by another topic is a row error."""

    kind = "test-topics"
    label = "Topics"
    description = "Issue topics."
    permission = "directory.manage_directory"
    columns = (
        Column("slug", "Slug", required=True, max_length=80),
        Column("name", "Name", required=True, max_length=200, aliases=("topic", "título")),
        Column("since", "Since", kind="date"),
    )

    def natural_key(self, row):
        return row.get("slug")

    def resolve(self, rows, *, companions):
        existing = {t.slug: t for t in lookup_in(IssueTopic.objects.all(), "slug", [r.key for r in rows])}
        names = {
            t.name: t.slug for t in lookup_in(IssueTopic.objects.all(), "name", [r.get("name") for r in rows])
        }
        for row in rows:
            owner = names.get(row.get("name"))
            if owner is not None and owner != row.key:
                row.error(f"The name is already used by {owner}.", "name")
                continue
            row.target = existing.get(row.key)
            if row.target is None:
                row.action = "create"
            elif row.target.name != row.get("name"):
                row.action = "update"
                row.changes.append(f"name → {row.get('name')}")
            else:
                row.action = "unchanged"

    def write(self, rows, *, actor, batch):
        creates = [IssueTopic(slug=r.key, name=r.get("name")) for r in rows if r.action == "create"]
        updates = []
        for row in rows:
            if row.action == "update":
                row.target.name = row.get("name")
                updates.append(row.target)
        IssueTopic.objects.bulk_create(creates, batch_size=imports.WRITE_BATCH)
        IssueTopic.objects.bulk_update(updates, ["name"], batch_size=imports.WRITE_BATCH)
        return {"created": len(creates), "updated": len(updates)}


@pytest.fixture
def topic_spec():
    spec = register_import(TopicImport())
    yield spec
    imports._registry.pop(spec.kind, None)


def table_of(text: str) -> Table:
    return read_table(text.encode(), "topics.csv")


def messages(preview) -> list[str]:
    return [str(p) for p in preview.problems()]


# -- parsing cells on purpose ---------------------------------------------------------------------


def parse(kind: str, raw, **options):
    column = Column("c", "C", kind=kind, **options)
    return CellParser(column)(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-05", dt.date(2024, 3, 5)),
        ("3/25/2024", dt.date(2024, 3, 25)),
        ("3/3/2024", dt.date(2024, 3, 3)),
        (dt.datetime(2024, 3, 5, 0, 0), dt.date(2024, 3, 5)),
    ],
)
def test_dates_in_iso_us_and_spreadsheet_form(raw, expected):
    value, shown, warnings = parse("date", raw)
    assert value == expected and shown == expected.isoformat() and warnings == []


@pytest.mark.parametrize(("raw", "expected"), [("3/5/2024", dt.date(2024, 3, 5)), ("05/01/26", dt.date(2026, 5, 1))])
def test_a_date_that_reads_otherwise_day_first_says_how_it_was_read(raw, expected):
    """Spanish and Somali speakers write the day first: 05/01/2026 taken for May 1 must say so."""
    value, _shown, warnings = parse("date", raw)
    assert value == expected
    assert warnings == [f"“{raw}” was read month first, as {expected.isoformat()}. Write dates as year-month-day "
                        "to be sure."]


@pytest.mark.parametrize("raw", ["2024-02-30", "05.03.2024", "yesterday", "2024-13-01"])
def test_bad_dates_say_how_to_write_one(raw):
    with pytest.raises(CellError, match=re.escape("is not a date. Write it as 2024-03-05")):
        parse("date", raw)


def test_dates_outside_the_plausible_years_are_refused():
    with pytest.raises(CellError, match="outside the years"):
        parse("date", "1850-01-01")


@pytest.mark.parametrize("raw", ["٢٠٢٤-٠٣-٠٥", "２０２４-０３-０５"])
def test_dates_in_other_digits_are_converted_with_a_warning_naming_the_original(raw):
    value, shown, warnings = parse("date", raw)
    assert value == dt.date(2024, 3, 5) and shown == "2024-03-05"
    assert warnings == [f"Read as “2024-03-05”: the original “{raw}” was written with other digits."]


def test_a_spreadsheet_day_number_in_a_date_column_is_converted_visibly():
    value, _shown, warnings = parse("date", 45356)
    assert value == dt.date(2024, 3, 5)
    assert warnings == ["The number 45356 was read as the spreadsheet date 2024-03-05."]


def test_integers_convert_other_digits_visibly_and_respect_bounds():
    assert parse("int", "١٢") == (
        12,
        "12",
        ["Read as “12”: the original “١٢” was written with other digits."],
    )
    assert parse("int", 7)[0] == 7
    with pytest.raises(CellError, match="not a whole number"):
        parse("int", "1.5")
    with pytest.raises(CellError, match="above the largest"):
        parse("int", "11", max_value=10)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Yes", True),
        ("y", True),
        ("Sí", True),
        ("haa", True),
        ("yog", True),
        (True, True),
        (1, True),
        ("No", False),
        ("maya", False),
        ("0", False),
    ],
)
def test_yes_and_no_in_the_coalitions_languages(raw, expected):
    assert parse("bool", raw)[0] is expected


def test_anything_else_is_not_yes_or_no():
    with pytest.raises(CellError, match=re.escape("“maybe” is not yes or no.")):
        parse("bool", "maybe")


def test_choices_accept_the_value_or_the_label_folded():
    choices = [("faith", "Faith community"), ("tenant", "Tenant association")]
    assert parse("choice", "FAITH COMMUNITY", choices=choices)[0] == "faith"
    assert parse("choice", "tenant", choices=choices) == ("tenant", "Tenant association", [])
    with pytest.raises(CellError, match=re.escape("“spaceship” is not one of: faith, tenant.")):
        parse("choice", "spaceship", choices=choices)


def test_lists_split_on_semicolons_drop_blanks_and_repeats():
    assert parse("list", "English; Somali;;English\nHmong")[0] == ["English", "Somali", "Hmong"]
    with pytest.raises(CellError, match="at most 3"):
        parse("list", "abcd", item_max_length=3)


def test_emails_are_checked_and_lowercased():
    assert parse("email", " Ana@Example.ORG ")[0] == "ana@example.org"
    assert parse("email", "mailto:ana@example.org")[0] == "ana@example.org"
    with pytest.raises(CellError, match="not an email address"):
        parse("email", "ana@")


def test_web_addresses_gain_https_visibly():
    assert parse("url", "example.org") == (
        "https://example.org",
        "https://example.org",
        ["“example.org” was read as https://example.org."],
    )
    with pytest.raises(CellError, match="not a web address"):
        parse("url", "javascript:alert(1)")


def test_phones_convert_other_digits_visibly_and_refuse_words():
    value, _shown, warnings = parse("phone", "(٦١٢) ٥٥٥-٠١٠٠")
    assert value == "(612) 555-0100" and "(٦١٢) ٥٥٥-٠١٠٠" in warnings[0]
    assert parse("phone", 6125550100)[0] == "6125550100"
    with pytest.raises(CellError, match="not a phone number"):
        parse("phone", "call me")


def test_text_length_is_counted_after_trimming_and_our_export_escape_is_undone():
    assert parse("text", "  abc  ", max_length=3)[0] == "abc"
    assert parse("text", "'=SUM(A1)")[0] == "=SUM(A1)"
    with pytest.raises(CellError, match=re.escape("This is 4 characters long; at most 3 are allowed.")):
        parse("text", "abcd", max_length=3)


def test_blank_cells_are_none_whatever_the_kind():
    for kind in ("text", "email", "date", "int", "bool", "list", "url", "phone"):
        assert parse(kind, "   ") == (None, "", [])


def test_a_column_of_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown column kind"):
        Column("c", "C", kind="colour")


# -- headers, duplicates, preview --------------------------------------------------------------------


def test_headers_match_names_labels_and_aliases_ignoring_case_accents_and_spacing(db, topic_spec):
    preview = validate(topic_spec, table_of("SLUG,Título,Notes\nhousing,Housing,x\n"))
    assert [c.name for c in preview.columns] == ["slug", "name"]
    assert preview.headers == {"slug": "SLUG", "name": "Título"}
    assert preview.notices == ["These columns are not imported and were ignored: “Notes”."]
    assert preview.rows[0].action == "create"


def test_missing_required_columns_and_two_headers_for_one_column_are_file_errors(db, topic_spec):
    assert messages(validate(topic_spec, table_of("name\nHousing\n"))) == [
        "Row 1: The required column “slug” is missing."
    ]
    assert messages(validate(topic_spec, table_of("slug,name,topic\nh,Housing,Housing\n"))) == [
        "Row 1: The columns “name” and “topic” both mean “name”; keep only one."
    ]
    assert messages(validate(topic_spec, table_of("colour,size\nred,big\n")))[-1].startswith(
        "Row 1: None of the column names is one this import knows. Expected: slug, name, since."
    )


def test_required_cells_must_not_be_blank(db, topic_spec):
    preview = validate(topic_spec, table_of("slug,name\nhousing,\n"))
    assert messages(preview) == ["Row 2, column “name”: This column must not be blank."]
    assert preview.rows[0].action == "error"


def test_the_same_key_twice_is_an_error_on_both_rows_naming_each_other(db, topic_spec):
    preview = validate(
        topic_spec, table_of("slug,name\nhousing,Housing\ntransit,Transit\nhousing,Homes\nhousing,Shelter\n")
    )
    assert messages(preview) == [
        "Row 2: The same record appears again in row 4, 5; keep one row and delete the others.",
        "Row 4: This row is about the same record as row 2 (housing); a record may appear only once.",
        "Row 5: This row is about the same record as row 2 (housing); a record may appear only once.",
    ]
    assert preview.counts == {"create": 1, "update": 0, "unchanged": 0, "error": 3, "warning": 0, "total": 4}


def test_preview_actions_compare_with_the_database(db, topic_spec):
    IssueTopic.objects.create(slug="housing", name="Housing")
    IssueTopic.objects.create(slug="transit", name="Transit")
    preview = validate(
        topic_spec, table_of("slug,name\nhousing,Housing\ntransit,Transit and roads\njobs,Jobs\n")
    )
    assert [r.action for r in preview.rows] == ["unchanged", "update", "create"]
    assert preview.rows[1].changes == ["name → Transit and roads"]
    assert describe_counts(preview.counts) == "1 new, 1 to update, 1 unchanged, 0 with errors"


def test_validation_asks_a_fixed_number_of_queries_whatever_the_rows(
    db, topic_spec, django_assert_num_queries
):
    rows = "".join(f"topic-{n},Topic {n}\n" for n in range(300))
    table = table_of("slug,name\n" + rows)
    with django_assert_num_queries(2):  # topics by slug, topics by name
        preview = validate(topic_spec, table)
    assert preview.counts["create"] == 300


def test_lookup_in_splits_long_lists_into_few_queries(db, django_assert_num_queries, monkeypatch):
    IssueTopic.objects.bulk_create([IssueTopic(slug=f"t{n}", name=f"T{n}") for n in range(250)])
    monkeypatch.setattr(type(connection.features), "max_query_params", property(lambda self: 150))
    with django_assert_num_queries(3):  # 250 values in parts of 100
        found = lookup_in(IssueTopic.objects.all(), "slug", [f"t{n}" for n in range(250)] + ["", None])
    assert len(found) == 250


# -- registry -----------------------------------------------------------------------------------


def test_register_import_refuses_specs_without_kind_or_permission():
    class Nameless(TopicImport):
        kind = "Not A Slug"

    class Unguarded(TopicImport):
        kind = "unguarded"
        permission = ""

    with pytest.raises(ValueError, match="slug"):
        register_import(Nameless())
    with pytest.raises(ValueError, match="permission"):
        register_import(Unguarded())


def test_imports_for_lists_only_what_the_user_may_use(personas, topic_spec):
    assert topic_spec in imports_for(personas.user("staff"))
    assert topic_spec not in imports_for(personas.user("board"))
    assert imports_for(None) == []


# -- apply -------------------------------------------------------------------------------------------


def create(spec, text: str, actor=None, filename="topics.csv"):
    return import_batch_create(spec=spec, data=text.encode(), filename=filename, actor=actor)


def test_apply_writes_every_row_and_one_audit_entry_with_counts(personas, topic_spec):
    staff = personas.user("staff")
    IssueTopic.objects.create(slug="transit", name="Transit")
    batch, _preview = create(topic_spec, "slug,name\nhousing,Housing\ntransit,Transit and roads\n", staff)
    assert batch.status == ImportBatch.Status.PREVIEWED and batch.summary["counts"]["create"] == 1
    assert bytes(batch.content).startswith(b"slug,name") and len(batch.sha256) == 64
    import_batch_apply(batch=batch, actor=staff)
    assert dict(IssueTopic.objects.values_list("slug", "name")) == {
        "housing": "Housing",
        "transit": "Transit and roads",
    }
    entry = ActivityLog.objects.get(action="core.import.applied")
    assert entry.actor == staff and entry.object_id == str(batch.pk)
    assert entry.data["counts"]["create"] == 1 and entry.data["written"]["test-topics"] == {
        "created": 1,
        "updated": 1,
    }
    assert batch.status == ImportBatch.Status.APPLIED


def test_applying_the_same_file_again_changes_nothing(personas, topic_spec):
    staff = personas.user("staff")
    text = "slug,name\nhousing,Housing\ntransit,Transit\n"
    first, _preview = create(topic_spec, text, staff)
    import_batch_apply(batch=first, actor=staff)
    second, preview = create(topic_spec, text, staff)
    assert [r.action for r in preview.rows] == ["unchanged", "unchanged"]
    assert preview.notices[0].startswith("This same file was already applied on")
    preview = import_batch_apply(batch=second, actor=staff)
    assert preview.counts["unchanged"] == 2
    assert IssueTopic.objects.count() == 2


def test_a_file_with_a_row_error_is_kept_for_preview_but_never_applied(personas, topic_spec):
    batch, preview = create(topic_spec, "slug,name\nhousing,Housing\ntransit,\n", personas.user("staff"))
    assert batch is not None and preview.has_errors
    with pytest.raises(ImportRefused) as refused:
        import_batch_apply(batch=batch, actor=personas.user("staff"))
    assert refused.value.message == "Nothing was imported: the file now has 1 problem."
    assert not IssueTopic.objects.exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED


def test_an_unreadable_file_is_not_kept(personas, topic_spec):
    batch, preview = import_batch_create(
        spec=topic_spec, data=b"\x89PNG\r\n\x1a\n\x00\x00", filename="../../t.csv", actor=None
    )
    assert batch is None
    assert messages(preview) == ["“t.csv” is a PNG image file, not a CSV or XLSX spreadsheet."]
    assert not ImportBatch.objects.exists()


def test_apply_checks_again_against_the_database_as_it_is_now(personas, topic_spec):
    batch, preview = create(topic_spec, "slug,name\nhousing,Housing\n")
    assert not preview.has_errors
    IssueTopic.objects.create(slug="homes", name="Housing")  # someone took the name meanwhile
    with pytest.raises(ImportRefused) as refused:
        import_batch_apply(batch=batch, actor=None)
    assert messages(refused.value.preview) == ["Row 2, column “name”: The name is already used by homes."]
    assert IssueTopic.objects.count() == 1
    assert not ActivityLog.objects.filter(action="core.import.applied").exists()


def test_a_database_error_while_writing_rolls_everything_back(personas, topic_spec, monkeypatch):
    batch, _preview = create(topic_spec, "slug,name\nhousing,Housing\njobs,Jobs\n")

    def write_then_fail(rows, *, actor, batch):
        IssueTopic.objects.create(slug="housing", name="Housing")
        raise IntegrityError("boom")

    monkeypatch.setattr(topic_spec, "write", write_then_fail)
    with pytest.raises(ImportRefused, match="The database refused the import"):
        import_batch_apply(batch=batch, actor=None)
    assert not IssueTopic.objects.exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED and batch.applied_at is None


def test_a_batch_is_applied_at_most_once(personas, topic_spec):
    batch, _preview = create(topic_spec, "slug,name\nhousing,Housing\n")
    import_batch_apply(batch=batch, actor=None)
    with pytest.raises(ImportRefused, match="already applied"):
        import_batch_apply(batch=batch, actor=None)
    assert ActivityLog.objects.filter(action="core.import.applied").count() == 1


# -- pages -------------------------------------------------------------------------------------------

DENIED = {
    "anonymous": 302,
    "public_user": 403,
    "member_a": 403,
    "member_b": 403,
    "table_member": 403,
    "board": 403,
}
HIDDEN = {
    "anonymous": 302,
    "public_user": 404,
    "member_a": 404,
    "member_b": 404,
    "table_member": 404,
    "board": 404,
}


def test_import_pages_are_for_staff_only(client, personas, topic_spec):
    batch, _preview = create(topic_spec, "slug,name\nhousing,Housing\n")
    allowed = {"staff": 200, "admin": 200}
    assert_permission_matrix(client, personas, "get", reverse("core:import_list"), {**DENIED, **allowed})
    assert_permission_matrix(
        client, personas, "get", reverse("core:import_create", args=[topic_spec.kind]), {**DENIED, **allowed}
    )
    assert_permission_matrix(
        client,
        personas,
        "get",
        reverse("core:import_template", args=[topic_spec.kind]),
        {**DENIED, **allowed},
    )
    assert_permission_matrix(
        client, personas, "get", reverse("core:import_detail", args=[batch.public_id]), {**HIDDEN, **allowed}
    )


def test_applying_is_for_staff_only_and_outsiders_change_nothing(client, personas, topic_spec):
    batch, _preview = create(topic_spec, "slug,name\nhousing,Housing\n")
    url = reverse("core:import_apply", args=[batch.public_id])
    # Staff and admin are redirected to the preview; the first of them applies it, the second is told it was.
    assert_permission_matrix(client, personas, "post", url, {**HIDDEN, "staff": 302, "admin": 302})
    assert IssueTopic.objects.count() == 1
    assert ActivityLog.objects.filter(action="core.import.applied").get().actor == personas.user("staff")
    login_as(client, personas, "staff")
    assert client.get(url).status_code == 405


def test_unknown_kinds_and_batches_answer_404(client, personas, topic_spec):
    login_as(client, personas, "staff")
    assert client.get(reverse("core:import_create", args=["spaceships"])).status_code == 404
    assert client.get("/imports/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_upload_preview_apply_happy_path(client, personas, topic_spec):
    login_as(client, personas, "staff")
    page = client.get(reverse("core:import_create", args=[topic_spec.kind]))
    assert b"<code>slug</code>" in page.content and b"template.csv" in page.content
    upload = SimpleUploadedFile(
        "topics.csv", "\ufeffslug,name,since\nhousing,Housing,２０２４-０１-０２\n".encode()
    )
    response = client.post(reverse("core:import_create", args=[topic_spec.kind]), {"file": upload})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "core:import_detail", args=[batch.public_id]
    )
    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert "Ready to import" in html and "1 new, 0 to update, 0 unchanged, 0 with errors" in html
    assert "Warning:" in html and "２０２４-０１-０２" in html and "2024-01-02" in html
    assert 'action="' + reverse("core:import_apply", args=[batch.public_id]) in html
    applied = client.post(reverse("core:import_apply", args=[batch.public_id]), follow=True)
    assert "Imported: 1 new" in applied.content.decode()
    assert IssueTopic.objects.get().name == "Housing"
    assert "Applied" in applied.content.decode() and "Apply the import" not in applied.content.decode()


def test_a_file_with_row_errors_shows_them_as_text_and_offers_no_apply_button(client, personas, topic_spec):
    login_as(client, personas, "staff")
    upload = SimpleUploadedFile("topics.csv", b"slug,name\nhousing,\njobs,Jobs\njobs,Work\n")
    response = client.post(
        reverse("core:import_create", args=[topic_spec.kind]), {"file": upload}, follow=True
    )
    html = response.content.decode()
    assert 'role="alert"' in html and "3 problems must be fixed" in html
    assert "Error:</strong> This column must not be blank." in html
    assert 'class="row-error"' in html
    assert "Apply the import" not in html
    batch = ImportBatch.objects.get()
    refused = client.post(reverse("core:import_apply", args=[batch.public_id]), follow=True)
    assert "Nothing was imported" in refused.content.decode()
    assert not IssueTopic.objects.exists()


def test_an_unreadable_upload_is_refused_on_the_form_and_not_kept(client, personas, topic_spec):
    login_as(client, personas, "staff")
    upload = SimpleUploadedFile("topics.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50)
    response = client.post(reverse("core:import_create", args=[topic_spec.kind]), {"file": upload})
    assert response.status_code == 200
    assert "“topics.csv” is a PNG image file, not a CSV or XLSX spreadsheet." in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert not ImportBatch.objects.exists()
    response = client.post(reverse("core:import_create", args=[topic_spec.kind]), {})
    assert response.status_code == 200 and not ImportBatch.objects.exists()


def test_too_large_uploads_are_refused(client, personas, topic_spec, settings):
    settings.COMMONTABLE_UPLOAD_MAX_BYTES = 10
    login_as(client, personas, "staff")
    upload = SimpleUploadedFile("topics.csv", b"slug,name\nhousing,Housing\n")
    response = client.post(reverse("core:import_create", args=[topic_spec.kind]), {"file": upload})
    assert "the limit is" in response.content.decode() and not ImportBatch.objects.exists()


def test_the_template_is_a_csv_of_the_column_names(client, personas, topic_spec):
    login_as(client, personas, "staff")
    response = client.get(reverse("core:import_template", args=[topic_spec.kind]))
    assert response["Content-Type"].startswith("text/csv")
    assert b"".join(response.streaming_content).decode() == "\ufeffslug,name,since\r\n"


def test_preview_rows_can_be_filtered_and_paged_and_served_as_a_fragment(
    client, personas, topic_spec, monkeypatch
):
    monkeypatch.setattr("commontable.core.views.IMPORT_ROWS_PER_PAGE", 2)
    batch, _preview = create(topic_spec, "slug,name\na,A\nb,B\nc,C\n")
    login_as(client, personas, "staff")
    url = reverse("core:import_detail", args=[batch.public_id])
    page2 = client.get(url, {"show": "all", "page": 2}).content.decode()
    assert '<th scope="row">4</th>' in page2 and '<th scope="row">2</th>' not in page2
    fragment = client.get(url, {"show": "all"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and '<th scope="row">2</th>' in fragment
    assert "No rows to show here." in client.get(url, {"show": "problems"}).content.decode()


def test_import_list_shows_recent_batches_with_counts(client, personas, topic_spec):
    create(topic_spec, "slug,name\nhousing,Housing\n", personas.user("staff"), filename="first.csv")
    login_as(client, personas, "staff")
    html = client.get(reverse("core:import_list")).content.decode()
    assert "first.csv" in html and "1 new, 0 to update" in html and "Import Topics" in html


# -- bulk writing helpers -------------------------------------------------------------------------


def test_insert_rows_fills_defaults_and_returns_the_new_keys_in_order(db):
    from commontable.core.imports import insert_rows

    rows = [
        {"kind": "people", "filename": f"f{n}.csv", "content": b"x", "sha256": "0" * 64} for n in range(5)
    ]
    done = insert_rows(ImportBatch, rows, batch_size=2)
    batches = {b.pk: b for b in ImportBatch.objects.all()}
    assert [batches[row["id"]].filename for row in done] == [f"f{n}.csv" for n in range(5)]
    assert len({b.public_id for b in batches.values()}) == 5  # a fresh default per row
    assert all(
        b.status == "previewed" and b.summary == {} and b.created_at is not None for b in batches.values()
    )
    assert insert_rows(ImportBatch, []) == []


def test_import_batches_are_read_only_in_the_admin(client, personas, topic_spec):
    batch, _preview = create(topic_spec, "slug,name\nhousing,Housing\n", personas.user("staff"))
    login_as(client, personas, "admin")
    assert client.get(reverse("admin:core_importbatch_changelist")).status_code == 200
    detail = client.get(reverse("admin:core_importbatch_change", args=[batch.pk]))
    assert detail.status_code == 200 and b"topics.csv" in detail.content
    assert client.get(reverse("admin:core_importbatch_add")).status_code == 403


def test_every_import_knows_its_sheet_by_its_name_in_every_language_whoever_reads_it():
    """A workbook whose sheets were named after the Spanish page is read the same in English;
    and no two imports answer to the same sheet name in any language."""
    from django.conf import settings
    from django.utils.translation import override

    from commontable.core.imports import _registry

    assert _registry
    claimed: dict = {}
    for spec in _registry.values():
        for code, _name in settings.LANGUAGES:
            with override(code):
                title = str(spec.label)
            for reader, _reader_name in settings.LANGUAGES:
                with override(reader):
                    assert spec.matches_sheet(title), (spec.kind, code, reader)
                    assert spec.matches_sheet(f"  {title.upper()} "), (spec.kind, code)
            claimed.setdefault(title.casefold(), set()).add(spec.kind)
    assert {title: kinds for title, kinds in claimed.items() if len(kinds) > 1} == {}
    assert not next(iter(_registry.values())).matches_sheet("Sheet1")


def test_a_file_with_headings_and_no_rows_is_refused_in_words():
    from commontable.core.imports import _registry, get_import, validate_file

    spec = next(iter(_registry.values()))
    header = ",".join(column.name for column in spec.columns if column.required) or spec.columns[0].name
    preview = validate_file(spec, f"{header}\n".encode(), "empty.csv")
    assert preview.has_errors and not preview.rows
    assert [str(p) for p in preview.problems()] == [
        "The file has a heading row but no rows under it: there is nothing to import."]
    assert get_import(spec.kind) is spec
