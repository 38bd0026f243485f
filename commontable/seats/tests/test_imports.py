"""Imports of public bodies and seats (`seats-bodies`, `seats-seats`): CSV and XLSX, idempotent,
every refused row leaving nothing behind, the shared pages' permissions and the command."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from commontable.core.imports import ImportRefused, get_import, import_file_apply, validate_file
from commontable.core.models import ActivityLog, ImportBatch, IssueTopic, Place
from commontable.core.testing import assert_permission_matrix, login_as
from commontable.core.visibility import Visibility
from commontable.directory.tests.factories import PersonFactory
from commontable.seats import services
from commontable.seats.choices import BodyKind, MeetingFrequency, SeatType
from commontable.seats.imports import parse_time
from commontable.seats.models import PublicBody, Seat, Term
from commontable.seats.tests.factories import PlaceFactory, PublicBodyFactory, SeatFactory, TermFactory

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
BODIES = "seats-bodies"
SEATS = "seats-seats"
SEAT_HEADER = "body,name,term_length_months,holdover_allowed,holder_name,holder_email,term_starts,term_ends,last_day_served\n"


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def places(db):
    found = {}
    for slug, name, kind in (("twin-cities-metro", "Twin Cities seven-county metro", Place.Kind.REGION),
                             ("saint-paul", "Saint Paul", Place.Kind.CITY),
                             ("minneapolis", "Minneapolis", Place.Kind.CITY),
                             ("hennepin-county", "Hennepin County", Place.Kind.COUNTY)):
        found[slug] = PlaceFactory(slug=slug, name=name, kind=kind)
    return found


@pytest.fixture
def topics(db):
    return {slug: IssueTopic.objects.create(slug=slug, name=name)
            for slug, name in (("transit", "Transit"), ("climate", "Climate"), ("housing", "Housing"),
                               ("land-use", "Land use"), ("environmental-justice", "Environmental justice"),
                               ("health", "Health"))}


@pytest.fixture
def body(places):
    return PublicBodyFactory(slug="housing-commission", name="Housing Commission", jurisdiction=places["saint-paul"],
                             kind=BodyKind.COMMISSION, appointing_authority="The mayor")


@pytest.fixture
def seat(body):
    return SeatFactory(body=body, name="Ward 1 seat", term_length_months=24, holdover_allowed=True)


def check(kind: str, data: bytes | str, filename: str = "file.csv"):
    return validate_file(get_import(kind), data.encode() if isinstance(data, str) else data, filename)


def apply(kind: str, data: bytes | str, filename: str = "file.csv", actor=None):
    data = data.encode() if isinstance(data, str) else data
    return import_file_apply(spec=get_import(kind), data=data, filename=filename, actor=actor)[1]


def problems(preview) -> list[str]:
    return [str(p) for p in preview.problems()]


def state() -> tuple:
    """Everything an import could write, to show that a refused one wrote nothing."""
    through = PublicBody.topics.through
    return (
        list(PublicBody.objects.order_by("pk").values()),
        list(through.objects.order_by("pk").values()),
        list(Seat.objects.order_by("pk").values()),
        list(Term.objects.order_by("pk").values()),
        ImportBatch.objects.count(),
        ActivityLog.objects.count(),
    )


def refused(kind: str, data: bytes | str, filename: str = "file.csv") -> list[str]:
    """Apply a file that must be refused; return its problems, having checked nothing was written."""
    before = state()
    with pytest.raises(ImportRefused) as caught:
        apply(kind, data, filename)
    assert state() == before
    assert caught.value.preview is not None
    return problems(caught.value.preview)


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def occupancy() -> dict:
    return {t.pk: (t.occupied_until, t.fills_vacancy) for t in Term.objects.all()}


def assert_occupancy_is_what_the_service_computes() -> None:
    imported = occupancy()
    for seat in Seat.objects.all():
        services.refresh_occupancy(seat)
    assert occupancy() == imported


# -- happy paths ---------------------------------------------------------------------------------------


def test_sample_files_import_bodies_seats_and_terms(places, topics, personas):
    staff = personas.user("staff")
    bodies = apply(BODIES, sample("bodies.csv"), "bodies.csv", actor=staff)
    assert bodies.counts["create"] == 4 and not bodies.has_errors
    transit = PublicBody.objects.get(slug="riverbend-transit-advisory")
    assert transit.jurisdiction == places["twin-cities-metro"]
    assert transit.kind == BodyKind.ADVISORY_COMMITTEE
    assert {t.slug for t in transit.topics.all()} == {"transit", "climate"}
    assert transit.meeting_frequency == MeetingFrequency.MONTHLY
    assert (transit.meeting_weekdays, transit.meeting_nth) == ("2", "1,3")
    assert (transit.meeting_starts_at, transit.meeting_ends_at) == (dt.time(18), dt.time(20))
    assert transit.visibility == Visibility.PUBLIC and transit.created_by == staff
    housing = PublicBody.objects.get(slug="saint-paul-housing-commission")
    assert (housing.meeting_starts_at, housing.meeting_nth) == (dt.time(17, 30), "2")
    assert PublicBody.objects.get(slug="hennepin-climate-task-force").visibility == Visibility.MEMBERS

    seats = apply(SEATS, sample("seats.csv"), "seats.csv", actor=staff)
    assert not seats.has_errors
    assert Seat.objects.count() == 6 and Term.objects.count() == 5
    rider = Seat.objects.get(body=transit, name="Transit rider seat")
    assert (rider.seat_type, rider.term_length_months, rider.deadline_kind) == (
        SeatType.DESIGNATED, 24, "open_until_filled")
    assert [t.holder_name for t in rider.terms.order_by("starts_on")] == ["Amina Warsame", "Jordan Ellis"]
    advocate = Seat.objects.get(name="Disability advocate seat")
    assert (advocate.holdover_allowed, advocate.deadline_kind, advocate.deadline_on) == (
        False, "review_begins", dt.date(2025, 3, 1))
    ex_officio = Seat.objects.get(name="Council member seat")
    assert ex_officio.seat_type == SeatType.EX_OFFICIO
    assert ex_officio.terms.get().ends_on is None
    # Kao Lee Yang's term ended with nobody appointed after: a holdover, occupied with no end.
    holdover = Term.objects.get(holder_name="Kao Lee Yang")
    assert (holdover.occupied_until, holdover.fills_vacancy) == (None, True)
    first, second = rider.terms.order_by("starts_on")
    assert first.occupied_until == dt.date(2024, 12, 31) and not second.fills_vacancy
    assert Term.objects.get(holder_name="Marisol Fuentes").occupied_until == dt.date(2024, 9, 30)
    assert_occupancy_is_what_the_service_computes()
    assert ActivityLog.objects.filter(action="core.import.applied").count() == 2


def test_importing_the_same_files_again_changes_nothing(places, topics):
    apply(BODIES, sample("bodies.csv"))
    apply(SEATS, sample("seats.csv"))
    before = state()[:4]
    bodies = check(BODIES, sample("bodies.csv"))
    seats = check(SEATS, sample("seats.csv"))
    assert bodies.counts["unchanged"] == 4 and bodies.counts["total"] == 4
    assert seats.counts["unchanged"] == seats.counts["total"] == 7
    apply(BODIES, sample("bodies.csv"))
    apply(SEATS, sample("seats.csv"))
    assert state()[:4] == before


def test_a_workbook_with_a_bodies_sheet_creates_the_bodies_its_seats_name(places, topics):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Seats"
    sheet.append(["body", "seat", "type", "term length", "holdover", "deadline", "deadline date",
                  "holder", "term starts", "term ends"])
    sheet.append(["green-line-board", "Seat A", "Appointed", 36, True, "Hard date", dt.date(2025, 5, 1),
                  "Lee Vang", dt.date(2024, 1, 1), dt.date(2026, 12, 31)])
    sheet.append(["green-line-board", "Seat B", "elected", 48, "no", "Rolling", None, None, None, None])
    bodies = workbook.create_sheet("Public bodies")
    bodies.append(["slug", "name", "jurisdiction", "kind", "topics", "frequency", "weekdays", "first meeting",
                   "start time", "end time"])
    bodies.append(["green-line-board", "Green Line Corridor Board", "Saint Paul", "board", "Transit; Land use",
                   "weekly", "mon, thu", dt.date(2025, 1, 6), dt.time(17, 0), dt.time(18, 30)])
    buffer = io.BytesIO()
    workbook.save(buffer)

    preview = check(SEATS, buffer.getvalue(), "register.xlsx")
    assert not preview.has_errors, problems(preview)
    assert preview.companions[BODIES].counts["create"] == 1
    assert any("Sheets read" in notice for notice in preview.notices)
    apply(SEATS, buffer.getvalue(), "register.xlsx")
    board = PublicBody.objects.get(slug="green-line-board")
    assert board.jurisdiction == places["saint-paul"] and board.kind == BodyKind.BOARD
    assert {t.slug for t in board.topics.all()} == {"transit", "land-use"}
    assert (board.meeting_weekdays, board.meeting_starts_at, board.meeting_ends_at) == (
        "0,3", dt.time(17), dt.time(18, 30))
    seat_a = board.seats.get(name="Seat A")
    assert (seat_a.deadline_kind, seat_a.deadline_on) == ("hard_date", dt.date(2025, 5, 1))
    assert seat_a.terms.get().holder_name == "Lee Vang"
    assert board.seats.get(name="Seat B").seat_type == SeatType.ELECTED
    again = check(SEATS, buffer.getvalue(), "register.xlsx")
    assert again.counts["unchanged"] == 2 and again.companions[BODIES].counts["unchanged"] == 1


def test_a_body_without_slug_is_matched_by_name_and_jurisdiction_and_blank_cells_keep_values(body, topics):
    data = ("name,jurisdiction,kind,appointing_authority,topics\n"
            "HOUSING commission,Saint Paul,,,housing\n")
    preview = check(BODIES, data)
    assert preview.counts["update"] == 1, problems(preview)
    apply(BODIES, data)
    body.refresh_from_db()
    assert PublicBody.objects.count() == 1
    assert (body.name, body.kind, body.appointing_authority) == ("HOUSING commission", BodyKind.COMMISSION,
                                                                 "The mayor")
    assert [t.slug for t in body.topics.all()] == ["housing"]


def test_a_new_body_without_slug_gets_one_from_its_name_and_jurisdiction(places, body):
    PublicBodyFactory(slug="transit-board-saint-paul", name="Other", jurisdiction=places["minneapolis"])
    apply(BODIES, "name,jurisdiction,kind\nTransit Board,saint-paul,board\n")
    created = PublicBody.objects.get(name="Transit Board")
    assert created.slug == "transit-board-saint-paul-2" and created.visibility == Visibility.PUBLIC


def test_a_changed_schedule_raises_the_meeting_sequence(body):
    sequence = body.meeting_sequence
    apply(BODIES, "slug,meeting_frequency,first_meeting_on,meeting_starts_at\n"
                  "housing-commission,weekly,2025-01-06,18:00\n")
    body.refresh_from_db()
    assert body.meeting_frequency == MeetingFrequency.WEEKLY and body.meeting_sequence == sequence + 1


def test_english_labels_are_read_as_choices(places):
    apply(BODIES, "slug,name,jurisdiction,kind,meeting_frequency\nw,Water Board,minneapolis,Task Force,No regular schedule\n")
    assert PublicBody.objects.get(slug="w").kind == BodyKind.TASK_FORCE
    apply(SEATS, "body,name,seat_type,deadline_kind\nw,Seat 1,Designated for a constituency,Open until filled\n")
    seat = Seat.objects.get()
    assert (seat.seat_type, seat.deadline_kind) == (SeatType.DESIGNATED, "open_until_filled")


def test_a_holder_email_links_the_term_to_the_person_in_the_directory(seat):
    person = PersonFactory(full_name="Hodan Abdi", email="hodan@example.org")
    apply(SEATS, SEAT_HEADER + "housing-commission,Ward 1 seat,,,,HODAN@Example.org,2024-01-01,2025-12-31,\n")
    term = Term.objects.get()
    assert term.holder_person == person and term.holder_name == ""
    assert check(SEATS, SEAT_HEADER + "housing-commission,Ward 1 seat,,,Hodan Abdi,hodan@example.org,"
                                      "2024-01-01,2025-12-31,\n").counts["unchanged"] == 1


def test_a_blank_term_end_is_worked_out_from_the_term_length(seat):
    preview = check(SEATS, SEAT_HEADER + "housing-commission,Ward 1 seat,,,Lee Vang,,2024-03-01,,\n")
    assert any("worked out from the seat's term length" in str(w) for w in preview.problems(warnings=True))
    apply(SEATS, SEAT_HEADER + "housing-commission,Ward 1 seat,,,Lee Vang,,2024-03-01,,\n")
    assert Term.objects.get().ends_on == dt.date(2026, 2, 28)


def test_the_last_day_served_updates_the_stored_term_and_its_occupancy(seat):
    term = TermFactory(seat=seat, holder_name="Lee Vang", starts_on=dt.date(2023, 1, 1), ends_on=dt.date(2024, 12, 31))
    assert term.occupied_until is None  # holding over
    preview = check(SEATS, SEAT_HEADER + "housing-commission,Ward 1 seat,,,lee vang,,2023-01-01,,2024-06-30\n")
    assert preview.counts["update"] == 1, problems(preview)
    apply(SEATS, SEAT_HEADER + "housing-commission,Ward 1 seat,,,lee vang,,2023-01-01,,2024-06-30\n")
    term.refresh_from_db()
    assert (term.left_on, term.ends_on, term.occupied_until) == (dt.date(2024, 6, 30), dt.date(2024, 12, 31),
                                                                 dt.date(2024, 6, 30))
    assert Term.objects.count() == 1


def test_a_new_term_ends_the_holdover_before_it(seat):
    old = TermFactory(seat=seat, holder_name="Lee Vang", starts_on=dt.date(2021, 1, 1), ends_on=dt.date(2022, 12, 31))
    apply(SEATS, SEAT_HEADER + "housing-commission,Ward 1 seat,,,Ana Ruiz,,2023-03-01,2025-02-28,\n")
    old.refresh_from_db()
    new = Term.objects.get(holder_name="Ana Ruiz")
    assert old.occupied_until == dt.date(2023, 2, 28)
    assert (new.occupied_until, new.fills_vacancy) == (None, False)
    assert_occupancy_is_what_the_service_computes()


def test_turning_off_holdover_refreshes_the_occupancy_of_the_seats_terms(seat):
    term = TermFactory(seat=seat, holder_name="Lee Vang", starts_on=dt.date(2021, 1, 1), ends_on=dt.date(2022, 12, 31))
    apply(SEATS, "body,name,holdover_allowed\nhousing-commission,Ward 1 seat,no\n")
    term.refresh_from_db()
    assert term.occupied_until == dt.date(2022, 12, 31)


def test_an_undated_deadline_kind_clears_the_stored_date(seat):
    seat.deadline_kind, seat.deadline_on = "hard_date", dt.date(2025, 1, 1)
    seat.save()
    apply(SEATS, "body,name,deadline_kind,deadline_on\nhousing-commission,Ward 1 seat,rolling,\n")
    seat.refresh_from_db()
    assert (seat.deadline_kind, seat.deadline_on) == ("rolling", None)


def test_a_later_row_of_an_unchanged_seat_records_its_term(seat):
    data = ("body,name,term_length_months,holder_name,term_starts,term_ends\n"
            "housing-commission,Ward 1 seat,24,,,\n"
            "housing-commission,Ward 1 seat,,Ana Ruiz,2024-01-01,2025-12-31\n")
    preview = check(SEATS, data)
    assert [r.action for r in preview.rows] == ["unchanged", "create"], problems(preview)
    apply(SEATS, data)
    assert seat.terms.get().holder_name == "Ana Ruiz"
    assert check(SEATS, data).counts["unchanged"] == 2


def test_a_seat_is_found_by_its_name_whatever_the_case_and_spacing(seat):
    """A second space or another case is the same seat, as for bodies: not a new one beside it."""
    data = ("body,name,term_length_months,holder_name,term_starts,term_ends\n"
            "housing-commission,ward  1 SEAT,24,,,\n"
            "housing-commission,Ward 1 seat,,Ana Ruiz,2024-01-01,2025-12-31\n")
    preview = check(SEATS, data)
    assert [r.action for r in preview.rows] == ["unchanged", "create"], problems(preview)
    apply(SEATS, data)
    assert list(Seat.objects.values_list("name", flat=True)) == ["Ward 1 seat"]
    assert seat.terms.get().holder_name == "Ana Ruiz"


def test_checking_a_bodies_file_costs_the_same_queries_for_few_rows_or_many(places, topics, body):
    def queries(count: int) -> int:
        rows = "".join(f"b-{n},Board {n},Saint Paul,board,housing; Transit\n" for n in range(count))
        with CaptureQueriesContext(connection) as captured:
            preview = check(BODIES, "slug,name,jurisdiction,kind,topics\nhousing-commission,,,,climate\n" + rows)
        assert not preview.has_errors, problems(preview)
        return len(captured)

    assert queries(3) == queries(40)


def test_checking_a_file_costs_the_same_queries_for_few_rows_or_many(seat):
    def queries(count: int) -> int:
        rows = "".join(f"housing-commission,Seat {n},,,Holder {n},,2024-01-01,2025-12-31,\n" for n in range(count))
        with CaptureQueriesContext(connection) as captured:
            preview = check(SEATS, SEAT_HEADER + rows)
        assert not preview.has_errors, problems(preview)
        return len(captured)

    assert queries(3) == queries(40)


@pytest.mark.parametrize(("text", "expected"), [
    ("18:00", dt.time(18)), ("6 pm", dt.time(18)), ("6:30 p.m.", dt.time(18, 30)), ("12 am", dt.time(0)),
    ("12pm", dt.time(12)), ("1899-12-30 17:45:00", dt.time(17, 45)), ("９:３０", dt.time(9, 30)),
])
def test_times_of_day_are_read_as_people_write_them(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["13 pm", "24:00", "noon", "6:75", "0 am"])
def test_what_is_not_a_time_of_day_is_refused(text):
    with pytest.raises(ValueError):
        parse_time(text)


def test_the_preview_says_how_many_terms_will_be_recorded(seat):
    TermFactory(seat=seat, holder_name="Lee Vang", starts_on=dt.date(2021, 1, 1), ends_on=dt.date(2022, 12, 31))
    preview = check(SEATS, SEAT_HEADER + "housing-commission,Ward 1 seat,,,Lee Vang,,2021-01-01,,2022-06-30\n"
                                         "housing-commission,Ward 1 seat,,,Ana Ruiz,,2023-01-01,2024-12-31,\n")
    assert "1 term will be recorded and 1 corrected" in " ".join(preview.notices)


# -- refused files: nothing written -------------------------------------------------------------------


def test_overlapping_terms_in_the_file_are_refused_naming_each_other(seat):
    messages = refused(SEATS, SEAT_HEADER
                       + "housing-commission,Ward 1 seat,,,Lee Vang,,2023-01-01,2024-12-31,\n"
                       + "housing-commission,Ward 1 seat,,,Ana Ruiz,,2024-06-01,2026-05-31,\n")
    assert any(m.startswith("Row 2") and "Ana Ruiz" in m and "That term is on row 3" in m for m in messages), messages
    assert any(m.startswith("Row 3") and "The seat is full: Lee Vang holds it until" in m and "That term is on row 2" in m
               for m in messages), messages


def test_a_term_overlapping_a_stored_term_is_refused(seat):
    TermFactory(seat=seat, holder_name="Lee Vang", starts_on=dt.date(2024, 1, 1), ends_on=dt.date(2025, 12, 31))
    messages = refused(SEATS, SEAT_HEADER + "housing-commission,Ward 1 seat,,,Ana Ruiz,,2023-01-01,2024-06-30,\n")
    assert any("overlaps the term of Lee Vang" in m and "term_ends" in m for m in messages), messages


def test_a_holder_on_a_full_seat_is_refused(seat):
    TermFactory(seat=seat, holder_name="Lee Vang", starts_on=dt.date(2024, 1, 1), ends_on=None)
    messages = refused(SEATS, SEAT_HEADER + "housing-commission,Ward 1 seat,,,Ana Ruiz,,2025-01-01,2026-12-31,\n")
    assert any("The seat is full: Lee Vang holds it from" in m and "no end date" in m for m in messages), messages


def test_a_term_ending_before_it_starts_is_refused(seat):
    messages = refused(SEATS, SEAT_HEADER + "housing-commission,Ward 1 seat,,,Ana Ruiz,,2025-01-01,2024-12-31,\n")
    assert any("The term cannot end before it starts." in m for m in messages), messages


def test_a_new_term_on_a_seat_of_a_dissolved_body_is_refused(seat, body):
    body.dissolved_on = dt.date(2024, 6, 30)
    body.save()
    messages = refused(SEATS, SEAT_HEADER + "housing-commission,Ward 1 seat,,,Ana Ruiz,,2024-01-01,2025-12-31,\n")
    assert any("Housing Commission was dissolved on" in m and "no new terms" in m for m in messages), messages


def test_one_bad_row_stops_the_good_ones(seat):
    refused(SEATS, SEAT_HEADER
            + "housing-commission,Seat 2,,,,,,,\n"
            + "housing-commission,Ward 1 seat,,,Ana Ruiz,,2025-01-01,2024-12-31,\n")
    assert not Seat.objects.filter(name="Seat 2").exists()


def test_an_unknown_jurisdiction_is_refused(places):
    messages = refused(BODIES, "slug,name,jurisdiction,kind\nx,Water Board,Atlantis,board\n")
    assert any("Atlantis" in m and "jurisdiction" in m for m in messages), messages


def test_an_unknown_topic_is_refused(places, topics):
    messages = refused(BODIES, "slug,name,jurisdiction,kind,topics\nx,Water Board,minneapolis,board,housing; space\n")
    assert any("No topic on file is called “space”" in m for m in messages), messages


def test_an_unknown_body_is_refused(seat):
    messages = refused(SEATS, "body,name\nno-such-body,Seat 1\n")
    assert any("There is no public body with the short name “no-such-body”" in m for m in messages), messages


def test_a_new_body_needs_a_kind(places):
    messages = refused(BODIES, "slug,name,jurisdiction\nx,Water Board,minneapolis\n")
    assert any("A new body needs its kind" in m for m in messages), messages


@pytest.mark.parametrize(("columns", "cells", "message"), [
    ("meeting_frequency,first_meeting_on,meeting_starts_at", "monthly,2025-01-01,18:00",
     "A monthly schedule needs the weekdays and the weeks of the month."),
    ("meeting_frequency,meeting_starts_at", "weekly,18:00", "A regular schedule needs the date of a first meeting."),
    ("meeting_starts_at,meeting_ends_at", "18:00,17:00", "Meetings must end after they start."),
    ("meeting_ends_at", "17:00", "Give the time meetings start as well as the time they end."),
    ("meeting_weekdays", "Funday", "“funday” is not a weekday"),
    ("meeting_weekdays", "9", "“9” is not a weekday"),
    ("meeting_nth", "fifth", "“fifth” is not a week of the month"),
    ("meeting_starts_at", "25:00", "“25:00” is not a time of day"),
    ("time_zone", "Mars/Olympus", "“Mars/Olympus” is not a time zone we know."),
    ("meeting_frequency,first_meeting_on,meeting_starts_at,meeting_weekdays",
     "weekly,2025-03-09,2:30,Sunday", "That time does not exist on that day"),
])
def test_a_bad_schedule_is_refused(places, columns, cells, message):
    messages = refused(BODIES, f"slug,name,jurisdiction,kind,{columns}\nx,Water Board,minneapolis,board,{cells}\n")
    assert any(message in m for m in messages), messages


@pytest.mark.parametrize(("cells", "message"), [
    ("hard date,", "This kind of deadline needs a date."),
    ("review_begins,", "This kind of deadline needs a date."),
    ("rolling,2025-01-01", "A rolling or open-until-filled deadline has no date"),
    ("open until filled,2025-01-01", "A rolling or open-until-filled deadline has no date"),
    (",2025-01-01", "Say what kind of deadline this date is."),
    ("someday,", "“someday” is not one of"),
])
def test_a_bad_deadline_is_refused(seat, cells, message):
    messages = refused(SEATS, f"body,name,deadline_kind,deadline_on\nhousing-commission,Ward 1 seat,{cells}\n")
    assert any(message in m for m in messages), messages


def test_a_dated_kind_on_a_seat_without_a_stored_date_needs_one(seat):
    messages = refused(SEATS, "body,name,deadline_kind\nhousing-commission,Ward 1 seat,hard date\n")
    assert any("This kind of deadline needs a date." in m for m in messages), messages


def test_rows_of_one_seat_must_agree_on_the_seats_columns(seat):
    messages = refused(SEATS, "body,name,term_length_months,holder_name,term_starts,term_ends\n"
                              "housing-commission,Ward 1 seat,24,A,2020-01-01,2021-12-31\n"
                              "housing-commission,Ward 1 seat,36,B,2022-01-01,2023-12-31\n")
    assert any("Row 2 gives this seat a different value here" in m for m in messages), messages


def test_a_term_without_a_start_or_a_holder_is_refused(seat):
    messages = refused(SEATS, SEAT_HEADER + "housing-commission,Ward 1 seat,,,Ana Ruiz,,,2025-01-01,\n"
                                            "housing-commission,Seat 2,,,,,2024-01-01,2025-01-01,\n")
    assert any("Row 2" in m and "needs the day it starts" in m for m in messages), messages
    assert any("Row 3" in m and "Name the holder of this term" in m for m in messages), messages


def test_an_email_nobody_has_is_refused_without_a_name(seat):
    messages = refused(SEATS, SEAT_HEADER + "housing-commission,Ward 1 seat,,,,nobody@example.org,2024-01-01,,\n")
    assert any("No one in the directory has the email nobody@example.org" in m for m in messages), messages


# -- the shared pages and the command ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [BODIES, SEATS])
def test_the_import_pages_of_our_kinds_are_for_staff(client, personas, kind):
    denied = {"anonymous": 302, "public_user": 403, "member_a": 403, "member_b": 403, "table_member": 403,
              "board": 403}
    assert_permission_matrix(client, personas, "get", reverse("core:import_create", args=[kind]),
                             {**denied, "staff": 200, "admin": 200})
    assert_permission_matrix(client, personas, "get", reverse("core:import_template", args=[kind]),
                             {**denied, "staff": 200, "admin": 200})


def test_staff_upload_check_and_apply_seats_through_the_shared_pages(client, personas, places, topics):
    login_as(client, personas, "staff")
    for kind, name in ((BODIES, "bodies.csv"), (SEATS, "seats.csv")):
        upload = SimpleUploadedFile(name, sample(name))
        response = client.post(reverse("core:import_create", args=[kind]), {"file": upload})
        batch = ImportBatch.objects.get(kind=kind)
        assert response.status_code == 302 and response["Location"] == reverse("core:import_detail",
                                                                               args=[batch.public_id])
        assert "Ready to import" in client.get(response["Location"]).content.decode()
        applied = client.post(reverse("core:import_apply", args=[batch.public_id]), follow=True)
        assert "Imported:" in applied.content.decode()
    assert Seat.objects.count() == 6 and Term.objects.count() == 5


def test_the_command_applies_a_good_file(places, topics, personas):
    out, err = io.StringIO(), io.StringIO()
    call_command("seats_import", "bodies", str(SAMPLES / "bodies.csv"), "--user", "staff@example.org",
                 stdout=out, stderr=err)
    assert "4 new" in out.getvalue() and "Applied bodies.csv" in out.getvalue()
    assert PublicBody.objects.count() == 4
    assert ImportBatch.objects.get().created_by == personas.user("staff")


def test_the_command_refuses_a_bad_file_and_writes_nothing(seat, tmp_path):
    path = tmp_path / "seats.csv"
    path.write_text(SEAT_HEADER + "housing-commission,Ward 1 seat,,,Ana Ruiz,,2025-01-01,2024-12-31,\n")
    before = state()
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("seats_import", "seats", str(path), stdout=io.StringIO(), stderr=err)
    assert caught.value.returncode == 1
    assert "The term cannot end before it starts." in err.getvalue()
    assert state() == before


def test_the_command_refuses_an_unknown_kind(tmp_path):
    with pytest.raises(CommandError) as caught:
        call_command("seats_import", "leaders", str(tmp_path / "x.csv"))
    assert caught.value.returncode == 2


def test_a_file_is_not_applied_when_its_outcome_changed_since_the_preview_was_confirmed(client, personas, places):
    """Two people import the same body: the second confirmed "1 new", but the first created it
    meanwhile. Applying must not overwrite it unseen: nothing is written, and the new preview
    (now "1 to update") can be applied once looked at."""
    from commontable.core.imports import import_batch_create

    data = b"slug,name,jurisdiction,kind,description\nqa-race,Race Two,minneapolis,council,second import\n"
    batch, _preview = import_batch_create(spec=get_import("seats-bodies"), data=data, filename="two.csv",
                                          actor=personas.user("admin"))
    login_as(client, personas, "admin")
    detail = reverse("core:import_detail", args=[batch.public_id])
    page = client.get(detail)
    plan = page.context["preview"].plan_digest()
    assert f'<input type="hidden" name="plan" value="{plan}">' in page.content.decode()
    apply("seats-bodies", "slug,name,jurisdiction,kind,description\n"
          "qa-race,Race One,saint-paul,board,first import\n", actor=personas.user("staff"))

    response = client.post(reverse("core:import_apply", args=[batch.public_id]), {"plan": plan}, follow=True)

    assert "The records changed since you checked this file" in response.content.decode()
    body = PublicBody.objects.get(slug="qa-race")
    assert (body.name, body.description) == ("Race One", "first import")
    batch.refresh_from_db()
    assert batch.status != ImportBatch.Status.APPLIED
    fresh = client.get(detail).context["preview"]
    assert fresh.counts["update"] == 1 and fresh.plan_digest() != plan
    client.post(reverse("core:import_apply", args=[batch.public_id]), {"plan": fresh.plan_digest()})
    body.refresh_from_db()
    assert (body.name, body.description) == ("Race Two", "second import")


def test_one_pass_names_every_problem_of_a_body_row(places):
    """A bad jurisdiction no longer hides the row's other problems until it is fixed."""
    found = refused(BODIES, "name,jurisdiction,kind,time_zone,meeting_frequency\n"
                            "Mars Council,atlantis,council,Mars/X,weekly\n")
    assert any("atlantis" in p for p in found), found
    assert any("“Mars/X” is not a time zone we know." in p for p in found), found


def test_uploading_an_applied_file_again_says_so_on_its_preview(client, personas, places, topics):
    login_as(client, personas, "staff")
    data = sample("bodies.csv")
    apply(BODIES, data, "bodies.csv", actor=personas.user("staff"))
    response = client.post(reverse("core:import_create", args=[BODIES]),
                           {"file": SimpleUploadedFile("bodies.csv", data, content_type="text/csv")}, follow=True)
    assert "This same file was already applied on" in response.content.decode()
