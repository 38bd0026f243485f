"""Certified-payroll imports: both layouts, all or nothing, idempotent, corrections replace whole
contractor-periods, worker names never stored, hostile files refused with clear messages."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from commontable.core.imports import ImportRefused
from commontable.core.models import ActivityLog, ImportBatch
from commontable.investments.tests.factories import InvestmentFactory
from commontable.workforce import services
from commontable.workforce.importer import check_file, parse_hours
from commontable.workforce.models import HoursRecord

HEADER = "contractor,period_start,period_end,trade,total_hours,bipoc_hours,women_hours,apprentice_hours\n"


@pytest.fixture
def investment(db):
    return InvestmentFactory(slug="northside", name="Northside")


def _apply(user, investment, data: bytes, name="hours.csv"):
    batch, checked = services.hours_import_create(actor=user, investment=investment, data=data, filename=name)
    assert batch is not None, [str(p) for p in checked.preview.problems()]
    return services.hours_import_apply(actor=user, batch=batch, investment=investment)


def test_worker_rows_add_up_per_contractor_week_and_trade(personas, investment, sample_bytes):
    staff = personas.user("staff")
    checked = _apply(staff, investment, sample_bytes, "certified_payroll_sample.csv")
    assert checked.layout == "workers"
    # 4 weeks × (Union Depot: Carpenter, Laborer, Electrician; Frogtown Electric: Electrician, Laborer, Carpenter)
    records = HoursRecord.objects.filter(investment=investment)
    weeks = {r.period_end for r in records}
    assert weeks == {dt.date(2025, 3, 7), dt.date(2025, 3, 14), dt.date(2025, 3, 21), dt.date(2025, 3, 28)}
    assert {r.employer_name for r in records} == {"Union Depot Construction Group", "Frogtown Electric Co."}
    for record in records:
        assert 0 <= record.bipoc_hundredths <= record.total_hundredths
        assert record.period_start == record.period_end - dt.timedelta(days=6)
    entry = ActivityLog.objects.get(action="workforce.hours.imported")
    assert entry.data["investment"] == "northside"


def test_worker_names_are_never_stored(personas, investment, sample_bytes):
    staff = personas.user("staff")
    batch, checked = services.hours_import_create(actor=staff, investment=investment, data=sample_bytes, filename="p.csv")
    assert any("never stored" in notice for notice in checked.preview.notices)
    services.hours_import_apply(actor=staff, batch=batch, investment=investment)
    batch.refresh_from_db()
    kept = bytes(batch.content).decode()
    for name in ("Alex Rivera", "Jordan Lee", "Fatima Ali", "Tou Xiong"):
        assert name not in kept
        assert not HoursRecord.objects.filter(employer_name__contains=name).exists()
        assert name not in str(ActivityLog.objects.values_list("data", flat=True)[::1])
    assert "1001" not in kept  # worker ids are kept only as a one-way code
    from commontable.workforce.importer import CleanTable

    clean = CleanTable.from_bytes(bytes(batch.content).partition(b"\n")[2])
    assert "Employee Name" not in clean.table.headers
    assert clean.dropped == ["Employee Name"]


def test_the_same_file_twice_changes_nothing(personas, investment, sample_bytes):
    staff = personas.user("staff")
    _apply(staff, investment, sample_bytes)
    before = list(HoursRecord.objects.order_by("pk").values_list("pk", "total_hundredths"))
    checked = _apply(staff, investment, sample_bytes)
    assert checked.preview.counts["unchanged"] == checked.preview.counts["total"]
    assert list(HoursRecord.objects.order_by("pk").values_list("pk", "total_hundredths")) == before


def test_a_corrected_file_replaces_those_contractor_periods_only(personas, investment):
    staff = personas.user("staff")
    _apply(staff, investment, (HEADER
        + "Acme,2025-03-01,2025-03-31,Carpenter,100,30,10,5\n"
        + "Acme,2025-03-01,2025-03-31,Laborer,50,10,10,5\n"
        + "Acme,2025-04-01,2025-04-30,Carpenter,80,20,10,5\n").encode())
    assert HoursRecord.objects.count() == 3
    checked = _apply(staff, investment, (HEADER + "Acme,2025-03-01,2025-03-31,Carpenter,120,40,10,5\n").encode())
    assert checked.preview.counts["update"] == 1
    march = HoursRecord.objects.filter(period_end=dt.date(2025, 3, 31))
    assert [(r.trade, r.total_hundredths) for r in march] == [("Carpenter", 120_00)]
    assert HoursRecord.objects.filter(period_end=dt.date(2025, 4, 30)).get().total_hundredths == 80_00


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (HEADER + "Acme,2025-03-01,2025-03-31,,-5,0,0,0\n", "negative"),
        (HEADER + "Acme,2025-03-01,2025-03-31,,lots,0,0,0\n", "not a number of hours"),
        (HEADER + "Acme,2025-03-01,someday,,10,0,0,0\n", "not a date"),
        (HEADER + "Acme,2025-03-01,2025-03-31,,10,11,0,0\n", "more than the total"),
        (HEADER + "Acme,2025-03-01,2025-03-31,,10.125,0,0,0\n", "two decimals"),
        ("contractor,week ending,employee id,gender,race,st hours\nAcme,2025-03-07,1,F,Asian,170\n", "168"),
        ("Contractor,Week Ending,Employee ID,Race,ST Hours\nAcme,2025-03-07,9,Asian,100\nAcme,2025-03-07,9,Asian,80\n", "168"),
    ],
)
def test_hostile_rows_are_named_and_nothing_is_written(personas, investment, body, message):
    checked = check_file(investment, body.encode(), "bad.csv")
    problems = [str(p) for p in checked.preview.problems()]
    assert checked.has_errors
    assert any(message in p for p in problems), problems
    assert all("Row " in p or "row " in p for p in problems)
    with pytest.raises(ImportRefused):
        services.hours_import_file(actor=personas.user("staff"), investment=investment, data=body.encode(), filename="bad.csv")
    assert not HoursRecord.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "empty"), (b"colour,shape\nred,round\n", "not a certified-payroll export"), (b"\x89PNG\r\n\x1a\n0000", "PNG")],
)
def test_unusable_files_are_refused_and_not_kept(personas, investment, data, message):
    batch, checked = services.hours_import_create(actor=personas.user("staff"), investment=investment, data=data, filename="x.csv")
    assert batch is None
    assert any(message in str(p) for p in checked.preview.file_errors), [str(p) for p in checked.preview.file_errors]
    assert not ImportBatch.objects.exists()


def test_one_bad_row_among_good_ones_writes_nothing(personas, investment):
    body = HEADER + "Acme,2025-03-01,2025-03-31,,10,1,1,1\n" + "Acme,2025-04-01,2025-04-30,,ten,1,1,1\n"
    batch, checked = services.hours_import_create(actor=personas.user("staff"), investment=investment,
                                                  data=body.encode(), filename="x.csv")
    assert checked.has_errors
    with pytest.raises(ImportRefused):
        services.hours_import_apply(actor=personas.user("staff"), batch=batch, investment=investment)
    assert not HoursRecord.objects.exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED


def test_a_batch_is_applied_once(personas, investment):
    staff = personas.user("staff")
    batch, _checked = services.hours_import_create(actor=staff, investment=investment,
                                                   data=(HEADER + "Acme,2025-03-01,2025-03-31,,10,1,1,1\n").encode(), filename="x.csv")
    services.hours_import_apply(actor=staff, batch=batch, investment=investment)
    with pytest.raises(ImportRefused):
        services.hours_import_apply(actor=staff, batch=batch, investment=investment)
    assert HoursRecord.objects.count() == 1


def test_a_batch_cannot_be_applied_to_another_investment(personas, investment):
    staff = personas.user("staff")
    other = InvestmentFactory(slug="other")
    batch, _checked = services.hours_import_create(actor=staff, investment=investment,
                                                   data=(HEADER + "Acme,2025-03-01,2025-03-31,,10,1,1,1\n").encode(), filename="x.csv")
    with pytest.raises(ImportRefused):
        services.hours_import_apply(actor=staff, batch=batch, investment=other)
    assert not HoursRecord.objects.exists()


def test_unknown_race_is_counted_and_its_share_shown(investment):
    body = "Contractor,Week Ending,Race,Gender,ST Hours\nAcme,2025-03-07,Declined,M,30\nAcme,2025-03-07,White,F,10\nAcme,2025-03-07,Somali,M,60\n"
    checked = check_file(investment, body.encode(), "x.csv")
    assert not checked.has_errors, [str(p) for p in checked.preview.problems()]
    (report,) = checked.reports
    totals = report.totals
    assert (totals.total, totals.bipoc, totals.women, totals.unknown_race) == (100_00, 60_00, 10_00, 30_00)
    assert any("unknown or declined for 30.0%" in n for n in checked.preview.notices)


def test_xlsx_files_are_read_too(personas, investment):
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Contractor", "Week Ending", "Employee Name", "Race", "Gender", "Apprentice", "Total Hours"])
    sheet.append(["Acme", dt.datetime(2025, 3, 7), "Pa Vang", "Hmong", "Female", "Y", 37.5])
    buffer = io.BytesIO()
    book.save(buffer)
    checked = _apply(personas.user("staff"), investment, buffer.getvalue(), "hours.xlsx")
    record = HoursRecord.objects.get()
    assert (record.total_hundredths, record.bipoc_hundredths, record.women_hundredths, record.apprentice_hundredths) == (3750,) * 4
    assert checked.dropped == ["Employee Name"]


@pytest.mark.parametrize(("text", "hundredths"), [("40", 4000), ("37.5", 3750), ("1,234.25", 123425), (0.1, 10), ("٤٠", 4000)])
def test_hours_are_read_to_the_hundredth(text, hundredths):
    assert parse_hours(text)[0] == hundredths


def test_the_command_imports_all_or_nothing(personas, investment, sample_bytes, tmp_path, capsys):
    good = tmp_path / "payroll.csv"
    good.write_bytes(sample_bytes)
    call_command("workforce_import", "northside", str(good))
    count = HoursRecord.objects.count()
    assert count > 0
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "Acme,2025-03-01,2025-03-31,,-1,0,0,0\n")
    with pytest.raises(CommandError):
        call_command("workforce_import", "northside", str(bad))
    assert HoursRecord.objects.count() == count
    with pytest.raises(CommandError):
        call_command("workforce_import", "no-such-investment", str(good))
