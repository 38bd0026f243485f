# ruff: noqa: E501  (messages are compared whole)
"""USAspending award files: the real column names, each mapped column, the region, idempotency."""

import csv
import io
import random

import pytest
from django.utils import translation

from commontable.core.imports import get_import, import_batch_apply, import_batch_create, validate_file
from commontable.core.models import ActivityLog
from commontable.directory.choices import MembershipStatus, OrganizationKind
from commontable.directory.models import Organization
from commontable.directory.tests.factories import OrganizationFactory
from commontable.investments.models import FundingSource, Investment
from commontable.investments.tests.factories import FundingSourceFactory, InvestmentFactory
from commontable.investments.tests.test_imports import SAMPLES, region  # noqa: F401  (the region fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("region")]
SAMPLE = SAMPLES / "Assistance_PrimeAwardSummaries_sample.csv"
MPLS_KEY = "ASST_NON_MN90X999_6955"
STP_KEY = "ASST_NON_B24MC270099_8620"


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def check(data: bytes, filename: str = "Assistance_PrimeAwardSummaries_1.csv"):
    return validate_file(get_import("usaspending"), data, filename)


def apply(data: bytes, actor=None):
    batch, preview = import_batch_create(spec=get_import("usaspending"), data=data, filename="awards.csv", actor=actor)
    assert batch is not None, [str(p) for p in preview.problems()]
    return import_batch_apply(batch=batch, actor=actor)


def sample_rows() -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(io.StringIO(SAMPLE.read_text()))
    return list(reader.fieldnames), list(reader)


def to_csv(headers: list[str], rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def with_changes(key: str, **changes) -> bytes:
    headers, rows = sample_rows()
    for row in rows:
        if row["assistance_award_unique_key"] == key:
            row.update(changes)
    return to_csv(headers, rows)


def test_the_sample_has_the_real_award_summary_columns_in_their_order():
    headers, _rows = sample_rows()
    assert headers[:4] == ["assistance_award_unique_key", "award_id_fain", "award_id_uri", "sai_number"]
    assert headers[-2:] == ["usaspending_permalink", "last_modified_date"]
    assert len(headers) == 100


def test_awards_in_the_region_are_new_and_others_are_skipped_with_the_reason():
    preview = check(SAMPLE.read_bytes())
    assert list(preview.problems()) == []
    assert [r.action for r in preview.rows] == ["create", "create", "skip", "skip"]
    assert preview.rows[2].row_warnings() == ["Skipped: performed in another state (FIPS 55)."]
    assert preview.rows[3].row_warnings() == ["Skipped: performed in ST. LOUIS, which is not one of the region's counties."]
    assert preview.counts["skip"] == 2


def test_each_mapped_column_lands_in_its_field(personas):
    metro = OrganizationFactory(name="Metropolitan Council", slug="met-council")
    apply(SAMPLE.read_bytes(), actor=personas.user("staff"))
    assert Investment.objects.count() == 2  # the two skipped awards are not imported
    line = FundingSource.objects.get(award_id=MPLS_KEY)  # assistance_award_unique_key
    assert line.amount_cents == 18_500_000_00  # total_obligated_amount
    assert line.fiscal_year == 2024  # award_base_action_date_fiscal_year
    assert line.program == "iija"  # disaster_emergency_fund_codes "Z"
    assert "20.500: FEDERAL TRANSIT CAPITAL INVESTMENT GRANTS" in line.note  # cfda_numbers_and_titles
    assert "https://www.usaspending.gov/award/ASST_NON_MN90X999_6955/" in line.note  # usaspending_permalink
    investment = line.investment
    assert investment.name == "BUS RAPID TRANSIT LINE CONSTRUCTION ON A NORTH-SOUTH CORRIDOR"  # prime_award_base_transaction_description
    assert (investment.kind, investment.stage) == ("other", "funded")
    assert investment.jurisdiction.slug == "minneapolis"  # primary_place_of_performance_city_name
    sponsor = investment.sponsor  # awarding_agency_name
    assert (sponsor.name, sponsor.kind, sponsor.membership_status) == ("Department of Transportation", OrganizationKind.AGENCY, MembershipStatus.NOT_MEMBER)
    assert list(investment.organizations.all()) == [metro]  # recipient_name, matched by folded name
    cdbg = FundingSource.objects.get(award_id=STP_KEY)
    assert cdbg.program == "federal"  # "Q" is no IIJA code, HUD is no transit agency
    assert cdbg.investment.jurisdiction.slug == "saint-paul"


def test_a_transit_award_without_an_iija_code_is_a_federal_transit_grant():
    apply(with_changes(MPLS_KEY, disaster_emergency_fund_codes=""))
    assert FundingSource.objects.get(award_id=MPLS_KEY).program == "fta"


def test_the_non_emergency_iija_code_1_is_iija_too():
    apply(with_changes(STP_KEY, disaster_emergency_fund_codes="1: Infrastructure Investment and Jobs Act"))
    assert FundingSource.objects.get(award_id=STP_KEY).program == "iija"


def test_a_county_outside_the_city_list_still_gives_the_county_as_jurisdiction():
    apply(with_changes(STP_KEY, primary_place_of_performance_city_name="MAPLEWOOD"))
    assert FundingSource.objects.get(award_id=STP_KEY).investment.jurisdiction.slug == "ramsey-county"


def test_reimporting_changes_nothing_and_writes_no_investment_audit():
    apply(SAMPLE.read_bytes())
    entries = ActivityLog.objects.filter(action__startswith="investments.").count()
    preview = check(SAMPLE.read_bytes())
    assert [r.action for r in preview.rows] == ["unchanged", "unchanged", "skip", "skip"]
    apply(SAMPLE.read_bytes())
    assert ActivityLog.objects.filter(action__startswith="investments.").count() == entries
    assert Investment.objects.count() == 2 and FundingSource.objects.count() == 2
    assert Organization.objects.filter(kind=OrganizationKind.AGENCY).count() == 2


def test_a_changed_obligation_updates_the_funding_line_in_place():
    apply(SAMPLE.read_bytes())
    preview = check(with_changes(MPLS_KEY, total_obligated_amount="19000000.00"))
    assert preview.rows[0].action == "update"
    assert "amount: “18,500,000.00” → “19,000,000.00”" in preview.rows[0].changes
    apply(with_changes(MPLS_KEY, total_obligated_amount="19000000.00"))
    assert FundingSource.objects.get(award_id=MPLS_KEY).amount_cents == 19_000_000_00
    assert FundingSource.objects.count() == 2


def test_an_award_already_on_an_investment_stays_there():
    station = InvestmentFactory(slug="snelling-station")
    FundingSourceFactory(investment=station, award_id=MPLS_KEY, program="iija", fiscal_year=2024, amount_cents=1)
    preview = check(SAMPLE.read_bytes())
    assert preview.rows[0].action == "update"
    apply(SAMPLE.read_bytes())
    assert FundingSource.objects.get(award_id=MPLS_KEY).investment == station
    assert Investment.objects.count() == 2  # the station and the Saint Paul award's new one


def test_an_investment_column_attaches_the_award_to_an_investment_on_file():
    station = InvestmentFactory(slug="snelling-station")
    headers, rows = sample_rows()
    for row in rows:
        row["investment"] = "snelling-station" if row["assistance_award_unique_key"] == MPLS_KEY else ""
    apply(to_csv([*headers, "investment"], rows))
    assert FundingSource.objects.get(award_id=MPLS_KEY).investment == station
    rows[0]["investment"] = "no-such-investment"
    preview = check(to_csv([*headers, "investment"], rows))
    assert preview.rows[0].action == "unchanged"  # the award is on file now: it stays where it is


def test_an_unknown_investment_short_name_is_an_error():
    headers, rows = sample_rows()
    rows[0]["investment"] = "no-such-investment"
    preview = check(to_csv([*headers, "investment"], rows))
    assert [str(p) for p in preview.problems()] == ["Row 2, column “investment”: No investment has the short name “no-such-investment”."]


def test_shuffled_headers_and_unknown_columns_import_the_same():
    headers, rows = sample_rows()
    shuffled = [*headers, "our_own_notes", "another column"]
    random.Random(7).shuffle(shuffled)
    for row in rows:
        row["our_own_notes"] = "x"
    preview = check(to_csv(shuffled, rows))
    assert [r.action for r in preview.rows] == ["create", "create", "skip", "skip"]
    assert any("our_own_notes" in notice for notice in preview.notices)


def test_transaction_level_names_are_accepted_as_aliases():
    data = (
        b"assistance_award_unique_key,total_obligated_amount,action_date_fiscal_year,disaster_emergency_fund_codes_for_overall_award,"
        b"awarding_agency_name,cfda_number,cfda_title,prime_award_transaction_place_of_performance_state_fips_code,"
        b"prime_award_transaction_place_of_performance_county_fips_code,primary_place_of_performance_county_name\r\n"
        b"ASST_X,1000.00,2023,Z: IIJA,Department of Energy,81.041,STATE ENERGY PROGRAM,27,27053,HENNEPIN\r\n"
    )
    apply(data)
    line = FundingSource.objects.get(award_id="ASST_X")
    assert (line.program, line.fiscal_year, line.amount_cents) == ("iija", 2023, 100_000)
    assert "81.041: STATE ENERGY PROGRAM" in line.note
    assert line.investment.jurisdiction.slug == "hennepin-county"


def test_a_contract_is_keyed_and_placed_by_its_own_columns():
    data = (
        b"contract_award_unique_key,award_id_piid,total_obligated_amount,award_base_action_date_fiscal_year,awarding_agency_name,"
        b"primary_place_of_performance_state_code,primary_place_of_performance_county_name\r\n"
        b"CONT_AWD_1,P1,5000,2025,General Services Administration,MN,RAMSEY\r\n"
        b"CONT_AWD_2,P2,5000,2025,General Services Administration,IA,POLK\r\n"
    )
    preview = check(data)
    assert [r.action for r in preview.rows] == ["create", "skip"]
    assert preview.rows[1].row_warnings() == ["Skipped: performed in another state (IA)."]


@pytest.mark.parametrize(("changes", "expected"), [
    ({"total_obligated_amount": "-2500.00"}, "Row 2, column “total_obligated_amount”: The amount cannot be negative."),
    ({"total_obligated_amount": "12.345"}, "Row 2, column “total_obligated_amount”: An amount has at most two decimals (cents)."),
    ({"total_obligated_amount": "twelve"}, "Row 2, column “total_obligated_amount”: Enter an amount in dollars, such as 1250000 or 1,250,000.50."),
    ({"award_base_action_date_fiscal_year": "1980"}, "Row 2, column “award_base_action_date_fiscal_year”: The fiscal year 1980 is outside the years 1990 to 2100."),
    ({"assistance_award_unique_key": ""}, "Row 2: The award key is missing (assistance_award_unique_key or contract_award_unique_key)."),
])
def test_bad_award_values_are_errors_and_nothing_is_written(changes, expected):
    data = with_changes(MPLS_KEY, **changes)
    preview = check(data)
    assert [str(p) for p in preview.problems()] == [expected]
    batch, _preview = import_batch_create(spec=get_import("usaspending"), data=data, filename="a.csv", actor=None)
    with pytest.raises(Exception):  # noqa: B017 (ImportRefused)
        import_batch_apply(batch=batch, actor=None)
    assert not Investment.objects.exists() and not Organization.objects.exists()


def test_an_award_outside_the_region_is_skipped_even_with_a_bad_amount():
    headers, rows = sample_rows()
    rows[2]["total_obligated_amount"] = "-1"
    preview = check(to_csv(headers, rows))
    assert preview.rows[2].action == "skip" and not preview.has_errors


def test_the_same_award_twice_is_an_error():
    headers, rows = sample_rows()
    preview = check(to_csv(headers, [rows[0], rows[0]]))
    assert preview.has_errors


def test_the_command_prints_skipped_awards(capsys):
    from django.core.management import call_command

    call_command("investments_import", "--format", "usaspending", str(SAMPLE))
    out = capsys.readouterr().out
    assert "Skipped: performed in another state (FIPS 55)." in out
    assert "2 new" in out and "2 skipped" in out
    assert not Investment.objects.exists()
