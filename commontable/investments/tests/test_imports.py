# ruff: noqa: E501  (messages are compared whole)
"""The capital-plan import: year columns and year rows, natural keys, money and fiscal-year rules
(the forms' own), locations, kinds from words, stage moves, idempotent re-imports, all or nothing."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook

from commontable.core.imports import (
    ImportRefused,
    get_import,
    import_batch_apply,
    import_batch_create,
    validate_file,
)
from commontable.core.models import ActivityLog, ImportBatch, Place
from commontable.directory.choices import MembershipStatus, OrganizationKind
from commontable.directory.models import Organization
from commontable.directory.tests.factories import OrganizationFactory
from commontable.investments.choices import Stage
from commontable.investments.models import FundingSource, Investment, StageChange
from commontable.investments.tests.factories import InvestmentFactory

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def region(db):
    """The region as places: Minnesota, the metro, two counties, two cities and a neighbourhood."""
    state = Place.objects.create(slug="minnesota", name="Minnesota", kind=Place.Kind.STATE, code="27")
    metro = Place.objects.create(slug="twin-cities-metro", name="Twin Cities metro", kind=Place.Kind.REGION, parent=state)
    hennepin = Place.objects.create(slug="hennepin-county", name="Hennepin County", kind=Place.Kind.COUNTY, parent=metro, code="27053")
    ramsey = Place.objects.create(slug="ramsey-county", name="Ramsey County", kind=Place.Kind.COUNTY, parent=metro, code="27123")
    minneapolis = Place.objects.create(slug="minneapolis", name="Minneapolis", kind=Place.Kind.CITY, parent=hennepin)
    Place.objects.create(slug="saint-paul", name="Saint Paul", kind=Place.Kind.CITY, parent=ramsey)
    Place.objects.create(slug="cedar-riverside", name="Cedar-Riverside", kind=Place.Kind.NEIGHBORHOOD, parent=minneapolis)
    return metro


def csv_bytes(text: str) -> bytes:
    return text.strip("\n").replace("\n", "\r\n").encode() + b"\r\n"


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def check(data: bytes, filename: str = "plan.csv"):
    return validate_file(get_import("capital-plan"), data, filename)


def apply(data: bytes, actor=None, filename: str = "plan.csv"):
    batch, preview = import_batch_create(spec=get_import("capital-plan"), data=data, filename=filename, actor=actor)
    assert batch is not None, [str(p) for p in preview.problems()]
    return import_batch_apply(batch=batch, actor=actor)


def problems(preview) -> list[str]:
    return [str(p) for p in preview.problems()]


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def test_sample_with_year_columns_previews_every_project_as_new(region):
    preview = check(sample("capital_plan_by_year_columns.csv"))
    assert problems(preview) == []
    assert [r.action for r in preview.rows] == ["create", "create", "create"]
    assert "New agency in the directory: Minneapolis Public Works" in preview.rows[0].changes
    assert not Investment.objects.exists()


def test_applying_the_sample_creates_investments_funding_agencies_and_history(region, personas):
    staff = personas.user("staff")
    apply(sample("capital_plan_by_year_columns.csv"), actor=staff)
    lake = Investment.objects.get(slug="minneapolis-public-works-pw-2026-014")
    assert lake.name == "Lake Street Reconstruction (Hiawatha to 28th Ave)"
    assert (lake.kind, lake.stage, lake.jurisdiction.slug) == ("road", "design", "minneapolis")
    assert lake.total_cost_cents == 24_800_000_00
    assert lake.geometry == {"type": "Point", "coordinates": [-93.2352, 44.9484]}
    assert sorted(lake.funding_sources.values_list("fiscal_year", "program", "amount_cents")) == [
        (2026, "city_capital", 1_250_000_00), (2027, "city_capital", 9_400_000_00), (2028, "city_capital", 14_150_000_00)]
    agency = lake.sponsor
    assert (agency.name, agency.kind, agency.membership_status) == ("Minneapolis Public Works", OrganizationKind.AGENCY, MembershipStatus.NOT_MEMBER)
    bridge = Investment.objects.get(slug="minneapolis-public-works-pw-2026-031")
    assert bridge.sponsor == agency  # one agency for both projects
    assert set(bridge.funding_sources.values_list("program", flat=True)) == {"state"}
    park = Investment.objects.get(slug="minneapolis-park-and-recreation-board-pr-2026-007")
    assert park.jurisdiction.slug == "cedar-riverside" and park.total_cost_cents == 1_900_000_50
    assert StageChange.objects.filter(investment=lake, stage="design").count() == 1
    assert lake.history.count() == 1 and lake.history.first().history_user == staff
    assert ActivityLog.objects.filter(action="investments.investment.created", object_id=str(lake.pk)).count() == 1
    assert ActivityLog.objects.filter(action="core.import.applied").count() == 1


def test_reimporting_the_same_file_changes_nothing_and_writes_no_investment_audit(region, personas):
    staff = personas.user("staff")
    apply(sample("capital_plan_by_year_columns.csv"), actor=staff)
    investment_entries = ActivityLog.objects.filter(action__startswith="investments.").count()
    history = Investment.history.count()
    preview = check(sample("capital_plan_by_year_columns.csv"))
    assert [r.action for r in preview.rows] == ["unchanged"] * 3
    apply(sample("capital_plan_by_year_columns.csv"), actor=staff)
    assert ActivityLog.objects.filter(action__startswith="investments.").count() == investment_entries
    assert Investment.history.count() == history
    assert FundingSource.objects.count() == 7
    assert StageChange.objects.count() == 3
    assert Organization.objects.filter(kind=OrganizationKind.AGENCY).count() == 2


def test_a_changed_amount_and_stage_update_in_place_with_history(region, personas):
    staff = personas.user("staff")
    apply(sample("capital_plan_by_year_columns.csv"), actor=staff)
    text = sample("capital_plan_by_year_columns.csv").decode().replace('"$9,400,000"', '"$9,900,000"').replace(",design,", ",construction,")
    preview = check(text.encode())
    lake = preview.rows[0]
    assert lake.action == "update"
    assert "Stage: “Design” → “Construction”" in lake.changes
    assert "FY 2027 City capital plan: 9,400,000.00 → 9,900,000.00" in lake.changes
    apply(text.encode(), actor=staff)
    investment = Investment.objects.get(slug="minneapolis-public-works-pw-2026-014")
    assert investment.stage == Stage.CONSTRUCTION
    assert investment.funding_sources.get(fiscal_year=2027).amount_cents == 9_900_000_00
    assert investment.funding_sources.count() == 3  # updated in place, not added
    assert list(investment.stage_changes.values_list("stage", flat=True)) == ["design", "construction"]
    assert investment.history.count() == 2
    assert ActivityLog.objects.filter(action="investments.investment.imported", object_id=str(investment.pk)).count() == 1


def test_rows_per_fiscal_year_group_into_one_investment(region):
    apply(sample("capital_plan_by_year_rows.csv"))
    rice = Investment.objects.get(slug="saint-paul-public-works-sp-cip-22-101")
    assert sorted(rice.funding_sources.values_list("fiscal_year", "program", "amount_cents")) == [
        (2026, "city_capital", 2_000_000_00), (2027, "city_capital", 5_500_000_00), (2027, "county", 1_200_000_00)]
    assert rice.stage == Stage.FUNDED
    library = Investment.objects.get(slug="saint-paul-public-libraries-sp-cip-22-140")
    assert library.kind == "public_building"
    assert [r.action for r in check(sample("capital_plan_by_year_rows.csv")).rows] == ["unchanged"] * 4


def test_an_xlsx_plan_with_numbers_in_cells_imports_like_the_csv(region):
    data = xlsx_bytes([
        ["Project ID", "Project Name", "Department", "FY 2026", "FY2027"],
        ["X-1", "Ramp", "Public Works", 1250000.5, 300000],
    ])
    apply(data, filename="plan.xlsx")
    investment = Investment.objects.get()
    assert sorted(investment.funding_sources.values_list("fiscal_year", "amount_cents")) == [(2026, 125_000_050), (2027, 30_000_000)]


def test_an_explicit_key_matches_an_investment_registered_by_hand(region):
    existing = InvestmentFactory(slug="snelling-station", name="Snelling Station", stage=Stage.PLANNING)
    preview = check(csv_bytes("key,name,stage,2026\nsnelling-station,Snelling Station,funded,500000"))
    assert preview.rows[0].action == "update"
    apply(csv_bytes("key,name,stage,2026\nsnelling-station,Snelling Station,funded,500000"))
    existing.refresh_from_db()
    assert existing.stage == Stage.FUNDED
    assert existing.funding_sources.get().amount_cents == 500_000_00


@pytest.mark.parametrize(("cell", "message"), [
    ("-5000", "The amount cannot be negative."),
    ("(1,000)", "The amount cannot be negative."),
    ("1.234", "An amount has at most two decimals (cents)."),
    ("lots", "Enter an amount in dollars, such as 1250000 or 1,250,000.50."),
    ("NaN", "Enter an amount in dollars, such as 1250000 or 1,250,000.50."),
    ("99999999999999999", "This amount is too large."),
])
def test_bad_amounts_are_named_by_row_and_column_and_nothing_is_written(region, cell, message):
    data = csv_bytes(f'Project ID,Project Name,Department,2026\nA-1,Fine,Public Works,100\nA-2,Bad,Public Works,"{cell}"')
    preview = check(data)
    assert problems(preview) == [f"Row 3, column “fy2026”: {message}"]
    with pytest.raises(ImportRefused):
        apply(data)
    assert not Investment.objects.exists() and not Organization.objects.exists() and not FundingSource.objects.exists()


def test_fiscal_years_out_of_range_are_errors_in_either_layout(region):
    preview = check(csv_bytes("Project ID,Project Name,Department,1985,2026\nA-1,Old,Works,100,200"))
    assert problems(preview) == ["Row 2, column “fy1985”: The fiscal year 1985 is outside the years 1990 to 2100."]
    preview = check(csv_bytes("Project ID,Project Name,Department,Fiscal Year,Amount\nA-1,Far,Works,2150,100\nA-2,Typo,Works,20x6,100"))
    assert problems(preview) == [
        "Row 2, column “fiscal_year”: The fiscal year 2150 is outside the years 1990 to 2100.",
        "Row 3, column “fiscal_year”: “20x6” is not a fiscal year such as 2026.",
    ]


def test_an_unknown_kind_lists_the_kinds_allowed(region):
    preview = check(csv_bytes("Project ID,Project Name,Department,Kind\nA-1,Thing,Works,spaceport"))
    (message,) = problems(preview)
    assert message.startswith("Row 2, column “kind”: “spaceport” is not a kind of investment this import knows. Use one of: transit_line, transit_station, road,")


@pytest.mark.parametrize(("columns", "cells", "message"), [
    ("Location", '"{""type"": ""Point"", ""coordinates"": [-93.26]}"', "The location's coordinates are malformed."),
    ("Location", '"not json"', "The location is not valid GeoJSON (it is not even JSON)."),
    ("Location", '"{""type"": ""Point"", ""coordinates"": [-87.6, 41.9]}"', "The location is outside the coalition's region. Check that longitude comes before latitude."),
    ("Longitude,Latitude", "44.97,-93.26", "The coordinates must be longitude then latitude, in degrees (WGS84)."),
    ("Longitude", "-93.26", "Give both the longitude and the latitude."),
])
def test_bad_locations_are_errors(region, columns, cells, message):
    preview = check(csv_bytes(f"Project ID,Project Name,Department,{columns}\nA-1,Thing,Works,{cells}"))
    assert [p.message for p in preview.problems()] == [message]


def test_an_unknown_funding_program_lists_the_programs_allowed(region):
    preview = check(csv_bytes("Project ID,Project Name,Department,Funding Source,2026\nA-1,Thing,Works,lottery,100"))
    (message,) = problems(preview)
    assert message.startswith("Row 2, column “program”: “lottery” is not a funding program this import knows. Use one of: iija, ira,")


def test_a_stage_that_cannot_follow_says_where_it_may_go(region):
    InvestmentFactory(slug="done", name="Done", stage=Stage.COMPLETE)
    preview = check(csv_bytes("key,stage\ndone,planning"))
    assert problems(preview) == ["Row 2, column “stage”: An investment cannot go from “Complete” to “Planning”. From here it may go to: —."]


def test_rows_of_one_project_must_agree(region):
    preview = check(csv_bytes(
        "Project ID,Project Name,Department,Fiscal Year,Amount\nA-1,One name,Works,2026,100\nA-1,Other name,Works,2027,100"))
    assert problems(preview) == ["Row 3, column “name”: Row 2 gives this project a different value here; every row of a project must agree."]


def test_the_same_project_year_and_program_twice_is_an_error(region):
    preview = check(csv_bytes(
        "Project ID,Project Name,Department,Fiscal Year,Amount\nA-1,One name,Works,2026,100\nA-1,One name,Works,2026,300"))
    assert any("Row 3: This row is about the same record as row 2" in p for p in problems(preview))


def test_a_row_without_project_id_or_key_is_an_error(region):
    preview = check(csv_bytes("Project Name,2026\nNameless,100"))
    assert problems(preview) == ["Row 2: Give the sponsoring agency and the project ID (together they identify the project), or the investment's short name in a key column."]


def test_unknown_jurisdiction_is_an_error(region):
    preview = check(csv_bytes("Project ID,Project Name,Department,Jurisdiction\nA-1,Thing,Works,Atlantis"))
    assert problems(preview)[0].startswith("Row 2, column “jurisdiction”: No place is called “Atlantis”")


@pytest.mark.parametrize(("data", "fragment"), [
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "PNG"),
    (b"Project ID,Project Name\r\n=HYPERLINK(\"http://x\"),Thing\r\n", None),
])
def test_hostile_files_are_refused_or_read_as_text(region, data, fragment):
    preview = check(data)
    if fragment:
        assert preview.file_errors and fragment.lower() in " ".join(problems(preview)).lower()
    assert not Investment.objects.exists()


def test_a_windows_1252_file_with_a_bom_less_header_is_read(region):
    data = "Project ID;Project Name;Department;2026\r\nA-1;Café Plaza;Works;100\r\n".encode("cp1252")
    preview = check(data)
    assert problems(preview) == [] and preview.rows[0].values["name"] == "Café Plaza"


def test_the_command_dry_runs_by_default_and_applies_with_apply(region, capsys):
    path = str(SAMPLES / "capital_plan_by_year_columns.csv")
    call_command("investments_import", "--format", "capital-plan", path)
    assert "Dry run: nothing was written" in capsys.readouterr().out
    assert not Investment.objects.exists()
    call_command("investments_import", "--format", "capital-plan", "--apply", path)
    assert Investment.objects.count() == 3
    assert ImportBatch.objects.get().status == ImportBatch.Status.APPLIED


def test_the_command_refuses_a_bad_file_and_writes_nothing(region, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes("Project ID,Project Name,Department,2026\nA-1,Bad,Works,-1"))
    with pytest.raises(CommandError):
        call_command("investments_import", "--format", "capital-plan", "--apply", str(path))
    assert "Row 2, column “fy2026”: The amount cannot be negative." in capsys.readouterr().err
    assert not Investment.objects.exists() and not ImportBatch.objects.exists()


def test_an_existing_agency_is_matched_by_name_not_created_again(region):
    OrganizationFactory(name="Minneapolis Public Works", slug="mpls-public-works")
    apply(sample("capital_plan_by_year_columns.csv"))
    assert Investment.objects.get(slug="mpls-public-works-pw-2026-014").sponsor.slug == "mpls-public-works"
    assert Organization.objects.filter(name="Minneapolis Public Works").count() == 1


def test_an_agency_whose_short_name_is_taken_by_its_own_name_is_that_agency(region):
    """The key of a project is made from the agency's short name: an agency on file under another
    name but with the short name this name makes is the same agency, so the key never changes."""
    OrganizationFactory(name="Public Works (Minneapolis)", slug="minneapolis-public-works")
    apply(sample("capital_plan_by_year_columns.csv"))
    assert [r.action for r in check(sample("capital_plan_by_year_columns.csv")).rows] == ["unchanged"] * 3
    assert Investment.objects.count() == 3


def test_checking_a_file_costs_the_same_queries_for_5_or_50_rows(region, django_assert_num_queries):
    def plan(rows: int) -> bytes:
        lines = ["Project ID,Project Name,Department,Jurisdiction,2026"]
        lines += [f"Q-{n},Project {n},Department {n % 3},Minneapolis,{n}00" for n in range(rows)]
        return csv_bytes("\n".join(lines))

    apply(plan(50))
    # agencies by short name, agencies by folded name, places, investments by short name, their
    # funding lines — whatever the number of rows
    with django_assert_num_queries(5):
        assert [r.action for r in check(plan(5)).rows] == ["unchanged"] * 5
    with django_assert_num_queries(5):
        assert [r.action for r in check(plan(50)).rows] == ["unchanged"] * 50
