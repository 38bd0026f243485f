"""The demo's seats at decision tables: fifteen fictional public bodies of the demo coalition's
region (city planning commissions, a county housing board, the regional council's transportation
advisory board, a watershed district, a school board, a state environmental justice council, a
transit corridor's community advisory committee, a climate commission, a public health committee,
a workforce board, a renters' board and a dissolved task force), with their seats and several
terms of history per seat; sixteen of the demo directory's people as leaders in the pipeline, with
trainings, nominations in every outcome endorsed by member organisations, support while seated
and, for some, how they identify given with consent; and engagement processes scored against the
standard, some about the demo investments.

The bodies, the holders' names and everything they did are invented; the places are the
directory demo's (plus a fictional watershed district and school district). Dates are counted
from today, so the vacancies, the terms ending within 90 days and the holdovers stay as described
whenever the demo is loaded. Everything goes through the services (checked and audited). Loaded
once: when the first body is there, nothing is added.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from commontable.core.deadlines import DeadlineKind
from commontable.core.models import IssueTopic, Place
from commontable.core.visibility import Visibility
from commontable.directory import services as directory_services
from commontable.directory.choices import ConsentPurpose, ConsentSource, MembershipStatus
from commontable.directory.demo import LOGIN_DOMAIN
from commontable.directory.demo_data import COALITION_NAME, WHITE_F, WHITE_M, WHITE_SURNAMES
from commontable.directory.demo_plan import CONSENT_VERSIONS, DEMO_ID_RANGE, NameMaker
from commontable.directory.models import Organization, Person
from commontable.seats import services
from commontable.seats.choices import (
    BodyKind,
    MeetingFrequency,
    NominationOutcome,
    ProcessKind,
    Readiness,
    SeatType,
    SelfIdentification,
    SupportKind,
)
from commontable.seats.models import PublicBody

DAY = dt.timedelta(days=1)
SEED = 8
APPOINTED, ELECTED, EX_OFFICIO, DESIGNATED = SeatType.APPOINTED, SeatType.ELECTED, SeatType.EX_OFFICIO, SeatType.DESIGNATED
HARD, REVIEW, ROLLING, UNTIL_FILLED = (DeadlineKind.HARD_DATE, DeadlineKind.REVIEW_BEGINS, DeadlineKind.ROLLING,
                                       DeadlineKind.OPEN_UNTIL_FILLED)
# Holders' names are made like the directory demo's, in these communities' proportions.
COMMUNITIES = ["somali", "hmong", "latinx", "black", "vietnamese", "karen", "oromo", "native", "white"]
WEIGHTS = [0.17, 0.15, 0.16, 0.16, 0.07, 0.05, 0.06, 0.06, 0.12]

# Two special districts the demo's bodies belong to (fictional names), added to the places.
DISTRICTS = [
    ("riverbend-creek-watershed-district", "Riverbend Creek Watershed District", "twin-cities-metro"),
    ("capitol-city-school-district", "Capitol City Public Schools (district)", "saint-paul"),
]


@dataclass
class SeatSpec:
    """One seat and how its history ends today: H held, E ending within 90 days, O holdover,
    V vacant (the last holder left, or the term ended with no holdover), N never filled yet,
    X ex officio (held with no end), D ended with its dissolved body."""

    name: str
    scenario: str = "H"
    seat_type: str = APPOINTED
    constituency: str = ""
    eligibility: str = ""
    months: int | None = 36
    holdover: bool = True
    deadline: tuple[str, int | None, str] | None = None  # (kind, days from today, note)
    leader: int | None = None  # index in LEADERS of the current holder
    nominated: bool = False  # the leader came to the seat by a nomination recorded here
    start_days_ago: int | None = None  # when the current term started (for a "held" seat)


@dataclass
class BodySpec:
    slug: str
    name: str
    place: str
    kind: str
    topics: list[str]
    authority: str
    description: str
    location: str
    schedule: tuple  # (frequency, interval, weekdays, nth, starts, ends)
    seats: list[SeatSpec]
    visibility: str = Visibility.PUBLIC
    dissolved_days_ago: int | None = None


def _numbered(prefix: str, pattern: str, **common) -> list[SeatSpec]:
    """Seats "prefix 1", "prefix 2"… with the scenarios of `pattern`, one letter each."""
    return [SeatSpec(f"{prefix} {n}", scenario, **common) for n, scenario in enumerate(pattern, start=1)]


def _with(seats: list[SeatSpec], name: str, **changes) -> list[SeatSpec]:
    for seat in seats:
        if seat.name == name:
            for key, value in changes.items():
                setattr(seat, key, value)
            return seats
    raise KeyError(name)


WARD_ELIGIBILITY = "Lives in the ward. Appointees may not hold another city office."
RENTER = "Rents their home in the city, and has for at least six months."
T = dt.time

BODIES: list[BodySpec] = [
    BodySpec(
        "mill-city-planning-commission", "Mill City Planning Commission", "minneapolis", BodyKind.COMMISSION,
        ["land-use", "housing"], "The mayor, with the city council's consent",
        "Hears rezonings, site plans and the comprehensive plan's amendments, and advises the city council on them.",
        "City Hall, room 317, and online", (MeetingFrequency.WEEKLY, 2, "0", "", T(16, 30), T(18, 30)),
        [*_with(_with(_with(_numbered("Seat", "HEHOHVH", months=48, eligibility="Lives in the city."), "Seat 1",
                            leader=10),
                      "Seat 6", deadline=(HARD, 21, "Applications through the city's boards and commissions portal.")),
                "Seat 2", deadline=(REVIEW, 30, "For the term that starts when the current one ends.")),
         SeatSpec("City council representative", "X", EX_OFFICIO, months=None,
                  eligibility="A member of the city council, named by the council president."),
         SeatSpec("Park board representative", "X", EX_OFFICIO, months=None,
                  eligibility="A commissioner of the park and recreation board.")],
    ),
    BodySpec(
        "capitol-city-planning-commission", "Capitol City Planning Commission", "saint-paul", BodyKind.COMMISSION,
        ["land-use", "housing", "transit"], "The mayor, with the city council's consent",
        "Reviews zoning studies, station-area plans and large developments along the transit lines.",
        "City Hall Annex, room 40", (MeetingFrequency.MONTHLY, 1, "4", "1,3", T(8, 30), T(11, 0)),
        _with(_numbered("Ward", "HEHHHHH", seat_type=DESIGNATED, constituency="A resident of the ward",
                        eligibility=WARD_ELIGIBILITY), "Ward 5", leader=5)
        + _with(_with(_numbered("At-large seat", "OHVH", eligibility="Lives or works in the city."), "At-large seat 3",
                      deadline=(REVIEW, 10, "The mayor's office reads applications from this date.")),
                "At-large seat 1", deadline=(ROLLING, None, "Open while the holder serves on."))
        + [SeatSpec("Renter seat", "H", DESIGNATED, "A renter in the city", RENTER)],
    ),
    BodySpec(
        "hennepin-county-housing-board", "Hennepin County Housing and Redevelopment Advisory Board", "hennepin-county",
        BodyKind.BOARD, ["housing"], "The county board",
        "Advises the county on its housing levy, the affordable housing fund and tenant protections.",
        "County government center, A-level meeting room 2",
        (MeetingFrequency.MONTHLY, 1, "3", "2", T(18, 0), T(19, 30)),
        [*_with(_with(_numbered("District", "HHHHEHH", seat_type=DESIGNATED,
                                eligibility="Lives in the county commissioner district."), "District 2", leader=0,
                      nominated=True), "District 5", deadline=(HARD, 45, "Apply through the county's open appointments.")),
         SeatSpec("Tenant advocate seat", "V", DESIGNATED, "A tenant of public or subsidised housing",
                  "Lives in public or subsidised housing in the county.", deadline=(ROLLING, None, "")),
         SeatSpec("Housing provider seat", "H", APPOINTED, eligibility="Owns or manages rental housing in the county.")],
    ),
    BodySpec(
        "regional-transportation-advisory-board", "Riverbend Regional Council Transportation Advisory Board",
        "twin-cities-metro", BodyKind.ADVISORY_COMMITTEE, ["transit", "climate", "land-use"], "The regional council",
        "Recommends which road, transit, walking and biking projects get federal money in the region.",
        "Regional council chambers and online", (MeetingFrequency.MONTHLY, 1, "2", "3", T(12, 30), T(14, 30)),
        [SeatSpec(f"County commissioner: {county}", "X", EX_OFFICIO, months=None,
                  eligibility=f"A member of the {county} county board, named by the board.")
         for county in ("Anoka", "Dakota", "Hennepin", "Ramsey")]
        + _with(_with(_with(_numbered("Citizen member, district", "EHHHHOHH", months=24,
                                      eligibility="Lives in the council district."),
                            "Citizen member, district 3", leader=1, nominated=True, scenario="E"),
                      "Citizen member, district 1", deadline=(HARD, 40, "")),
                "Citizen member, district 6", deadline=(UNTIL_FILLED, None, "The holder serves on until replaced."))
        + [SeatSpec("Transit rider seat", "V", DESIGNATED, "Someone who rides transit every week",
                    "Rides a bus or train in the region at least once a week.", months=24,
                    deadline=(UNTIL_FILLED, None, "Applications are read as they come.")),
           SeatSpec("Walking and biking seat", "H", APPOINTED, months=24),
           SeatSpec("Freight seat", "H", APPOINTED, months=24)],
    ),
    BodySpec(
        "riverbend-creek-watershed-board", "Riverbend Creek Watershed District Board of Managers",
        "riverbend-creek-watershed-district", BodyKind.BOARD, ["environmental-justice", "climate"],
        "The Hennepin and Ramsey county boards",
        "Sets the watershed's levy, its ten-year plan and flood, stormwater and lake clean-up projects.",
        "District office, lower level", (MeetingFrequency.MONTHLY, 1, "1", "2", T(19, 0), T(21, 0)),
        _with(_numbered("Manager seat", "HEHVHHH", eligibility="Lives in the watershed district."), "Manager seat 4",
              deadline=(HARD, 35, "The county boards appoint at their next meeting after the date.")),
    ),
    BodySpec(
        "capitol-city-school-board", "Capitol City Public Schools Board of Education",
        "capitol-city-school-district", BodyKind.BOARD, ["education"],
        "The district's voters; the board appoints to fill a vacancy until the next election",
        "Sets the district's budget, policies and school boundaries, and hires the superintendent.",
        "District administration building, board room",
        (MeetingFrequency.MONTHLY, 1, "1", "2,4", T(17, 30), T(20, 0)),
        [*_with(_numbered("At-large seat", "HHHEHHH", seat_type=ELECTED, months=48,
                          eligibility="A registered voter living in the district, elected district-wide."),
                "At-large seat 3", leader=8),
         SeatSpec("Student representative", "V", DESIGNATED, "A student at a district high school",
                  "In grade 10 or 11 at a district high school; chosen by the student councils.", months=12,
                  holdover=False, deadline=(REVIEW, 14, "Student councils send their names by this date."))],
    ),
    BodySpec(
        "state-environmental-justice-council", "North Star Environmental Justice Advisory Council", "minnesota",
        BodyKind.ADVISORY_COMMITTEE, ["environmental-justice", "climate", "health"],
        "The commissioner of the state pollution control agency",
        "Advises the state on permits and rules in areas already carrying the most pollution.",
        "Online, and at the agency's Saint Paul office", (MeetingFrequency.MONTHLY, 1, "3", "4", T(13, 0), T(16, 0)),
        [SeatSpec("Community member: Minneapolis", "H", DESIGNATED, "A resident of an environmental justice area"),
         SeatSpec("Community member: Saint Paul", "H", DESIGNATED, "A resident of an environmental justice area",
                  leader=2),
         SeatSpec("Community member: suburban metro", "H", DESIGNATED, "A resident of an environmental justice area"),
         SeatSpec("Community member: Greater Minnesota 1", "H", DESIGNATED, "A resident outside the metro"),
         SeatSpec("Community member: Greater Minnesota 2", "H", DESIGNATED, "A resident outside the metro"),
         SeatSpec("Tribal nation representative 1", "E", DESIGNATED, "A member named by a tribal nation"),
         SeatSpec("Tribal nation representative 2", "H", DESIGNATED, "A member named by a tribal nation"),
         SeatSpec("Youth seat", "V", DESIGNATED, "Someone aged 16 to 24", months=24, holdover=False,
                  deadline=(ROLLING, None, "Read as they arrive; interviews each quarter.")),
         SeatSpec("Environmental justice organisation seat 1", "H"),
         SeatSpec("Environmental justice organisation seat 2", "H"),
         SeatSpec("Public health seat", "H"),
         SeatSpec("Labor seat", "H")],
    ),
    BodySpec(
        "blue-line-extension-cac", "Blue Line Extension Corridor Community Advisory Committee", "blue-line-extension",
        BodyKind.ADVISORY_COMMITTEE, ["transit", "land-use", "small-business"],
        "The regional transit project office, on the corridor cities' nominations",
        "Advises the project on the route, stations, construction and keeping residents and businesses in place.",
        "Brooklyn Park community center and online", (MeetingFrequency.MONTHLY, 1, "2", "1", T(18, 0), T(20, 0)),
        [SeatSpec(name, scenario, DESIGNATED, constituency, months=24, holdover=False, leader=leader,
                  nominated=leader is not None, deadline=deadline)
         for name, scenario, constituency, leader, deadline in (
             ("North Minneapolis resident 1", "H", "A resident of North Minneapolis", None, None),
             ("North Minneapolis resident 2", "H", "A resident of North Minneapolis", None, None),
             ("Brooklyn Park resident 1", "H", "A resident of Brooklyn Park", None, None),
             ("Brooklyn Park resident 2", "E", "A resident of Brooklyn Park", None, (ROLLING, None, "")),
             ("Brooklyn Park resident 3", "H", "A resident of Brooklyn Park", None, None),
             ("Crystal and Robbinsdale resident", "H", "A resident of Crystal or Robbinsdale", None, None),
             ("Renter seat 1", "H", "A renter along the corridor", 3, None),
             ("Renter seat 2", "H", "A renter along the corridor", None, None),
             ("Small business owner 1", "H", "Owns a business within half a mile of a station", None, None),
             ("Small business owner 2", "V", "Owns a business within half a mile of a station", None,
              (HARD, 14, "Nominations through the corridor cities.")),
             ("Youth seat", "N", "Someone aged 16 to 24 living along the corridor", None,
              (UNTIL_FILLED, None, "")),
             ("Disability advocate seat", "H", "Someone with a disability, or who advocates with them", None, None),
             ("Transit rider seat", "H", "Someone who rides the corridor's buses every week", None, None),
             ("Faith community seat", "H", "Named by a congregation along the corridor", None, None),
         )],
    ),
    BodySpec(
        "mill-city-climate-commission", "Mill City Climate and Sustainability Commission", "minneapolis",
        BodyKind.COMMISSION, ["climate", "environmental-justice"], "The city council",
        "Advises the city on its climate action plan, the clean energy partnership and its green zones.",
        "Public Service Building, room 100, and online", (MeetingFrequency.MONTHLY, 1, "0", "2", T(17, 30), T(19, 30)),
        [SeatSpec("Green zone community seat 1", "O", DESIGNATED, "A resident of a green zone neighbourhood",
                  leader=4, nominated=True),
         SeatSpec("Green zone community seat 2", "H", DESIGNATED, "A resident of a green zone neighbourhood"),
         SeatSpec("Green zone community seat 3", "E", DESIGNATED, "A resident of a green zone neighbourhood"),
         SeatSpec("Youth seat", "V", DESIGNATED, "Someone aged 16 to 24", months=24, holdover=False,
                  deadline=(REVIEW, 7, "")),
         SeatSpec("Labor seat", "H"), SeatSpec("Business seat", "H"),
         SeatSpec("At-large seat 1", "H"), SeatSpec("At-large seat 2", "H"), SeatSpec("At-large seat 3", "H")],
    ),
    BodySpec(
        "ramsey-county-public-health-advisory", "Ramsey County Public Health Advisory Committee", "ramsey-county",
        BodyKind.ADVISORY_COMMITTEE, ["health", "food-access"], "The county board",
        "Advises the county's public health department on its community health plan and priorities.",
        "Public health building, conference room B", (MeetingFrequency.MONTHLY, 1, "1", "3", T(17, 0), T(18, 30)),
        [*_with(_with(_numbered("District", "HHHHHVH", seat_type=DESIGNATED,
                                eligibility="Lives in the county commissioner district."), "District 3", leader=6),
                "District 6", deadline=(UNTIL_FILLED, None, "")),
         SeatSpec("Health professional seat 1", "H"), SeatSpec("Health professional seat 2", "E"),
         SeatSpec("Youth seat", "H", DESIGNATED, "Someone aged 16 to 24", months=24)],
    ),
    BodySpec(
        "capitol-region-workforce-board", "Capitol Region Workforce Innovation Board", "ramsey-county", BodyKind.BOARD,
        ["workforce"], "The county board and the mayor of Capitol City, jointly",
        "Oversees the region's job centers and training money, and sets who the programs serve first.",
        "Workforce center, second floor", (MeetingFrequency.MONTHLY, 1, "2", "2", T(8, 0), T(9, 30)),
        _with(_numbered("Private sector seat", "HHHHVH", eligibility="An owner or manager of a business in the region."),
              "Private sector seat 5", deadline=(ROLLING, None, ""))
        + _numbered("Labor seat", "HEH", eligibility="Named by the area labor federation.")
        + _with(_numbered("Community organisation seat", "HH"), "Community organisation seat 1", leader=9)
        + [SeatSpec("Education seat", "H"), SeatSpec("Economic development seat", "H")],
    ),
    BodySpec(
        "green-line-anti-displacement-task-force", "Green Line Anti-Displacement Task Force", "green-line",
        BodyKind.TASK_FORCE, ["housing", "land-use", "small-business"], "The mayors of Mill City and Capitol City",
        "Drew up recommendations to keep residents and small businesses along the corridor; its report is done.",
        "Midway library community room", (MeetingFrequency.WEEKLY, 2, "3", "", T(18, 0), T(20, 0)),
        [SeatSpec(name, "D", seat_type, months=24, holdover=False)
         for name, seat_type in (("Resident member 1", APPOINTED), ("Resident member 2", APPOINTED),
                                 ("Resident member 3", APPOINTED), ("Resident member 4", APPOINTED),
                                 ("Business member 1", APPOINTED), ("Business member 2", APPOINTED),
                                 ("Mill City council co-chair", EX_OFFICIO), ("Capitol City council co-chair", EX_OFFICIO))],
        dissolved_days_ago=120,
    ),
    BodySpec(
        "brooklyn-park-planning-commission", "Brooklyn Park Planning Commission", "brooklyn-park", BodyKind.COMMISSION,
        ["land-use", "housing"], "The city council",
        "Reviews plats, rezonings and conditional uses, and the city's housing plan.",
        "City hall, council chambers", (MeetingFrequency.MONTHLY, 1, "2", "2,4", T(19, 0), T(21, 0)),
        _with(_with(_numbered("Seat", "HHVHOHE"), "Seat 3", deadline=(HARD, 28, "")), "Seat 2", start_days_ago=150),
    ),
    BodySpec(
        "richfield-transportation-commission", "Richfield Transportation Commission", "richfield", BodyKind.COMMISSION,
        ["transit", "climate"], "The city council",
        "Advises the city on streets, sidewalks, bus service and the safe-routes plan.",
        "Municipal center, room A", (MeetingFrequency.MONTHLY, 1, "3", "1", T(18, 30), T(20, 0)),
        [*_with(_numbered("Seat", "HHHVHH", months=24), "Seat 4", deadline=(UNTIL_FILLED, None, "")),
         SeatSpec("Youth seat", "E", DESIGNATED, "A Richfield student aged 15 to 20", months=12, holdover=False)],
    ),
    BodySpec(
        "capitol-city-renters-board", "Capitol City Renters' Advisory Board", "saint-paul",
        BodyKind.ADVISORY_COMMITTEE, ["housing"], "The mayor",
        "Advises the city on rent stabilisation, tenant protections and code enforcement.",
        "Rondo library community room and online", (MeetingFrequency.MONTHLY, 1, "0", "-1", T(18, 0), T(19, 30)),
        [*_with(_with(_numbered("Renter seat", "HHHEHHHHN", seat_type=DESIGNATED, constituency="A renter in the city",
                                eligibility=RENTER, months=24), "Renter seat 2", leader=7),
                "Renter seat 9", deadline=(ROLLING, None, "A new seat added this year.")),
         SeatSpec("Subsidised housing renter seat", "H", DESIGNATED, "A renter in subsidised housing", months=24),
         SeatSpec("Housing provider seat", "H", months=24)],
        visibility=Visibility.MEMBERS,
    ),
]


@dataclass
class LeaderSpec:
    topics: list[str]
    places: list[str]
    readiness: str
    identification: str
    consent: bool
    trainings: list[str]
    support_needs: str
    interested_days_ago: int


TRAININGS = {
    "boards": ("How boards and commissions work", COALITION_NAME),
    "testimony": ("Public testimony that lands", COALITION_NAME),
    "budget": ("Reading a public budget", "Community Budget School (fictional)"),
    "equity": ("Racial equity impact analysis", "Regional Equity Institute (fictional)"),
    "running": ("Running for local office", "Neighbors Run (fictional)"),
    "land": ("Zoning and land use basics", COALITION_NAME),
}
BIPOC, NOT_BIPOC, UNSTATED = SelfIdentification.BIPOC, SelfIdentification.NOT_BIPOC, SelfIdentification.UNSTATED
SERVING = Readiness.SERVING

# The first leader is the demo's member login; the others are people of member organisations.
# Leaders 0–10 hold seats today: six say they are BIPOC and consent to be counted, five do not
# or are not counted (so the roll-up's total shows both figures, smaller lines are suppressed).
LEADERS: list[LeaderSpec] = [
    LeaderSpec(["housing"], ["hennepin-county", "north-minneapolis"], Readiness.READY, BIPOC, True,
               ["boards", "testimony"], "Childcare on meeting nights.", 900),
    LeaderSpec(["transit", "climate"], ["twin-cities-metro", "green-line"], Readiness.READY, BIPOC, True,
               ["boards", "budget"], "Interpretation into Somali for the briefing packets.", 1200),
    LeaderSpec(["environmental-justice", "health"], ["saint-paul", "east-side-saint-paul"], SERVING, BIPOC, True,
               ["equity"], "", 1400),
    LeaderSpec(["transit", "housing"], ["blue-line-extension", "north-minneapolis"], Readiness.PREPARING, BIPOC, True,
               ["boards"], "Bus fare and a laptop for the online meetings.", 700),
    LeaderSpec(["climate", "environmental-justice"], ["minneapolis", "phillips"], Readiness.READY, BIPOC, True,
               ["boards", "testimony", "equity"], "", 1600),
    LeaderSpec(["land-use", "housing"], ["saint-paul", "frogtown"], SERVING, BIPOC, True,
               ["land", "boards"], "A mentor who has served on the commission before.", 1300),
    LeaderSpec(["health", "food-access"], ["ramsey-county"], SERVING, BIPOC, False, ["boards"], "", 800),
    LeaderSpec(["housing"], ["saint-paul", "rondo"], SERVING, UNSTATED, False, ["testimony"],
               "Meeting materials a week ahead, in plain language.", 650),
    LeaderSpec(["education"], ["saint-paul"], SERVING, UNSTATED, False, ["running", "budget"], "", 1500),
    LeaderSpec(["workforce"], ["ramsey-county", "midway"], SERVING, NOT_BIPOC, True, ["budget"], "", 1100),
    LeaderSpec(["land-use"], ["minneapolis", "lake-street"], SERVING, NOT_BIPOC, False, ["land"], "", 1700),
    # In the pipeline, not seated.
    LeaderSpec(["transit", "climate"], ["richfield", "bloomington"], Readiness.READY, BIPOC, True,
               ["boards", "testimony"], "Evening meetings only (works days).", 400),
    LeaderSpec(["land-use", "environmental-justice"], ["brooklyn-park"], Readiness.PREPARING, BIPOC, True,
               ["boards"], "Practice for the interview with the council.", 500),
    LeaderSpec(["education", "childcare"], ["saint-paul"], Readiness.EXPLORING, UNSTATED, False, [],
               "Would like to shadow a board member first.", 120),
    LeaderSpec(["health"], ["ramsey-county", "east-side-saint-paul"], Readiness.PAUSED, BIPOC, True, ["boards"],
               "Taking a break after a new baby; back next year.", 600),
    LeaderSpec(["housing", "land-use"], ["minneapolis", "green-line"], Readiness.READY, BIPOC, False,
               ["boards", "land"], "", 1000),
]


@dataclass
class TermPlan:
    start: dt.date
    ends: dt.date | None
    left: dt.date | None = None
    holder: str = ""
    person: Person | None = None
    leader: int | None = None
    nominated: bool = False


@dataclass
class DemoSummary:
    bodies: int = 0
    seats: int = 0
    terms: int = 0
    leaders: int = 0
    nominations: int = 0
    processes: int = 0
    notes: list[str] = field(default_factory=list)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - DAY).day
    return dt.date(year, month, min(day.day, last))


def _term_end(start: dt.date, months: int) -> dt.date:
    return add_months(start, months) - DAY


class _Holders:
    """Invented holders' names, and now and then a person of the demo directory (not a leader)."""

    def __init__(self, rng: random.Random, people: list[Person]):
        self.rng, self.names, self.people, self.used = rng, NameMaker(rng), people, set()

    def next(self) -> tuple[str, Person | None]:
        if self.people and self.rng.random() < 0.1:
            return "", self.rng.choice(self.people)
        while True:
            name = self.names.make(self.rng.choices(COMMUNITIES, WEIGHTS)[0])[0]
            if name not in self.used:
                self.used.add(name)
                return name, None


def plan_history(spec: SeatSpec, today: dt.date, rng: random.Random, holders: _Holders,
                 dissolved: dt.date | None = None) -> list[TermPlan]:
    """The seat's terms, oldest first, ending today as `spec.scenario` says."""
    months = spec.months
    if spec.scenario == "N":
        return []
    if spec.scenario == "X" or months is None:
        start = today - rng.randint(100, 1400) * DAY
        earlier = start - rng.randint(700, 1500) * DAY
        return [TermPlan(earlier, None, start - DAY, *holders.next()), TermPlan(start, None, None, *holders.next())]
    length = months * 30
    if spec.scenario == "D":
        assert dissolved is not None
        start = add_months(dissolved, -months) + rng.randint(0, 40) * DAY
        current = TermPlan(start, dissolved, None)
    elif spec.scenario == "E":
        ends = today + rng.randint(12, 80) * DAY
        current = TermPlan(add_months(ends + DAY, -months), ends)
    elif spec.scenario == "O":
        ends = today - rng.randint(20, 160) * DAY
        current = TermPlan(add_months(ends + DAY, -months), ends)
    elif spec.scenario == "V":
        if spec.holdover:  # the holder resigned mid-term
            start = today - rng.randint(150, max(151, length - 60)) * DAY
            current = TermPlan(start, _term_end(start, months), today - rng.randint(20, 120) * DAY)
            if current.left < start:
                current.left = start + 30 * DAY
        else:  # the term ended and nobody serves on
            ends = today - rng.randint(10, 120) * DAY
            current = TermPlan(add_months(ends + DAY, -months), ends)
    else:  # held, ending after the next 90 days
        days_ago = spec.start_days_ago or rng.randint(30, max(31, length - 130))
        start = today - days_ago * DAY
        current = TermPlan(start, _term_end(start, months))
    if spec.leader is not None:
        current.leader, current.nominated = spec.leader, spec.nominated
    else:
        current.holder, current.person = holders.next()
    plans = [current]
    for _n in range(rng.randint(1, 3) if spec.scenario != "D" else 0):
        following = plans[0].start
        roll = rng.random()
        if roll < 0.6:  # back to back
            ends, left = following - DAY, None
            start = add_months(ends + DAY, -months)
        elif roll < 0.8 and spec.holdover:  # served on as a holdover until replaced
            ends, left = following - DAY - rng.randint(20, 100) * DAY, None
            start = add_months(ends + DAY, -months)
        else:  # left early; the seat stood empty for a while
            left = following - DAY - rng.randint(30, 120) * DAY
            start = left - rng.randint(200, max(201, length - 30)) * DAY
            ends = _term_end(start, months)
        if start < today - 12 * 365 * DAY:
            break
        plans.insert(0, TermPlan(start, ends, left, *holders.next()))
    return plans


def _places() -> dict[str, Place]:
    found = {p.slug: p for p in Place.objects.all()}
    for slug, name, parent in DISTRICTS:
        if slug not in found and parent in found:
            found[slug] = Place.objects.create(slug=slug, name=name, kind=Place.Kind.DISTRICT, parent=found[parent])
    return found


def _first_on(today: dt.date, frequency: str, weekdays: str) -> dt.date:
    """A first meeting about a year back, on the schedule's weekday."""
    day = today - 365 * DAY
    if frequency == MeetingFrequency.WEEKLY and weekdays:
        day -= ((day.weekday() - int(weekdays.split(",")[0])) % 7) * DAY
    return day.replace(day=1) if frequency == MeetingFrequency.MONTHLY else day


def _leader_people() -> list[Person]:
    """One person of the demo directory per entry of LEADERS, in a stable order: the member login
    first, then people of member organisations (not logins). How a leader identifies is theirs
    to say; the demo only keeps it plausible beside the invented names."""
    demo = Person.objects.filter(public_id__range=DEMO_ID_RANGE, merged_into__isnull=True)
    member_login = demo.filter(user__email=f"member@{LOGIN_DOMAIN}").first()
    pool = list(
        demo.filter(user__isnull=True, affiliations__end_on__isnull=True,
                    affiliations__organization__membership_status=MembershipStatus.MEMBER)
        .distinct().order_by("public_id")[:300]
    )
    minnesotan = {p.pk for p in pool if p.full_name.split()[0] in WHITE_F + WHITE_M
                  and p.full_name.split()[-1].split("-")[0] in WHITE_SURNAMES}
    chosen: list[Person] = [member_login] if member_login else []
    for spec in LEADERS[len(chosen):]:
        wanted = [p for p in pool if (p.pk in minnesotan) == (spec.identification == NOT_BIPOC)] or pool
        if not wanted:
            break
        chosen.append(wanted[0])
        pool.remove(wanted[0])
    return chosen


def _endorsers(person: Person, members: list[Organization], rng: random.Random) -> list[Organization]:
    own = [a.organization for a in person.affiliations.filter(end_on__isnull=True,
                                                              organization__membership_status=MembershipStatus.MEMBER)
           .select_related("organization")[:1]]
    extra = [o for o in rng.sample(members, min(2, len(members))) if o not in own]
    return own + extra[: 2 - len(own) if own else 2]


def seats_demo_loaded() -> bool:
    return PublicBody.objects.filter(slug=BODIES[0].slug).exists()


@transaction.atomic
def seats_demo_load(*, seed: int = SEED) -> DemoSummary | None:
    """Load the demo bodies, seats, terms, leaders, nominations and engagement processes. None when
    they are there already or the directory demo is not (run `demo_load` first)."""
    if seats_demo_loaded():
        return None
    people = _leader_people()
    topics = {t.slug: t for t in IssueTopic.objects.all()}
    parents = {parent for _slug, _name, parent in DISTRICTS}
    if (len(people) < len(LEADERS) or not {t for b in BODIES for t in b.topics} <= set(topics)
            or Place.objects.filter(slug__in=parents).count() < len(parents)):
        return None
    places = _places()
    if not {b.place for b in BODIES} <= set(places):
        return None
    rng = random.Random(seed)
    today = timezone.localdate()
    summary = DemoSummary()
    members = list(Organization.objects.filter(public_id__range=DEMO_ID_RANGE,
                                               membership_status=MembershipStatus.MEMBER).order_by("public_id"))
    leaders = []
    for person, spec in zip(people, LEADERS, strict=True):
        leader = services.leader_create(
            actor=None, person=person, topics=[topics[t] for t in spec.topics],
            places=[places[p] for p in spec.places], readiness=spec.readiness,
            self_identification=spec.identification, support_needs=spec.support_needs,
            interested_since=today - spec.interested_days_ago * DAY)
        for n, key in enumerate(spec.trainings):
            name, provider = TRAININGS[key]
            services.training_add(actor=None, leader=leader, name=name, provider=provider,
                                  attended_on=today - (spec.interested_days_ago - 60 - 90 * n) * DAY)
        if spec.consent:
            directory_services.consent_give(actor=None, person=person, purpose=ConsentPurpose.DEMOGRAPHICS,
                                            text_version=CONSENT_VERSIONS[-1][1], source=ConsentSource.PAPER)
        leaders.append(leader)
    summary.leaders = len(leaders)
    leader_people = {p.pk for p in people}
    bystanders = list(Person.objects.filter(public_id__range=DEMO_ID_RANGE, user__isnull=True)
                      .exclude(pk__in=leader_people).order_by("public_id")[:40])
    holders = _Holders(rng, bystanders)

    bodies: dict[str, PublicBody] = {}
    seats: dict[tuple[str, str], object] = {}
    seated_terms = {}
    for spec in BODIES:
        frequency, interval, weekdays, nth, starts, ends = spec.schedule
        body = services.body_create(
            actor=None, name=spec.name, slug=spec.slug, jurisdiction=places[spec.place], kind=spec.kind,
            topics=[topics[t] for t in spec.topics], appointing_authority=spec.authority,
            description=spec.description, meeting_location=spec.location, meeting_frequency=frequency,
            meeting_interval=interval, meeting_weekdays=weekdays, meeting_nth=nth,
            first_meeting_on=_first_on(today, frequency, weekdays), meeting_starts_at=starts, meeting_ends_at=ends,
            visibility=spec.visibility)
        bodies[spec.slug] = body
        summary.bodies += 1
        dissolved = today - spec.dissolved_days_ago * DAY if spec.dissolved_days_ago else None
        for position, seat_spec in enumerate(spec.seats, start=1):
            deadline_kind, deadline_on, deadline_note = "", None, ""
            if seat_spec.deadline:
                deadline_kind, days, deadline_note = seat_spec.deadline
                deadline_on = today + days * DAY if days is not None else None
            seat = services.seat_create(
                actor=None, body=body, name=seat_spec.name, seat_type=seat_spec.seat_type,
                constituency=seat_spec.constituency, eligibility=seat_spec.eligibility,
                term_length_months=seat_spec.months, holdover_allowed=seat_spec.holdover, position=position,
                deadline_kind=deadline_kind, deadline_on=deadline_on, deadline_note=deadline_note)
            seats[(spec.slug, seat_spec.name)] = seat
            summary.seats += 1
            for plan in plan_history(seat_spec, today, rng, holders, dissolved):
                if plan.leader is not None:
                    leader = leaders[plan.leader]
                    if plan.nominated:
                        nomination = services.nomination_create(
                            actor=None, leader=leader, seat=seat, nominated_on=plan.start - rng.randint(30, 75) * DAY,
                            endorsements=_endorsers(leader.person, members, rng),
                            notes="Put forward by the coalition's leadership committee.")
                        nomination = services.nomination_decide(actor=None, nomination=nomination,
                                                                outcome=NominationOutcome.APPOINTED, on=plan.start,
                                                                term_ends_on=plan.ends)
                        term = nomination.term
                        summary.nominations += 1
                    else:
                        term = services.term_record(actor=None, seat=seat, starts_on=plan.start, ends_on=plan.ends,
                                                    left_on=plan.left, holder_person=leader.person)
                    seated_terms[plan.leader] = term
                else:
                    services.term_record(actor=None, seat=seat, starts_on=plan.start, ends_on=plan.ends,
                                         left_on=plan.left, holder_person=plan.person, holder_name=plan.holder)
                summary.terms += 1

    summary.nominations += _pipeline(leaders, seats, members, today, rng)
    _support(leaders, seated_terms, today, rng)
    for spec in BODIES:
        if spec.dissolved_days_ago:
            services.body_dissolve(actor=None, body=bodies[spec.slug], on=today - spec.dissolved_days_ago * DAY)
    summary.processes = _processes(bodies, today)
    _watchers(bodies)
    return summary


def _pipeline(leaders, seats, members, today: dt.date, rng: random.Random) -> int:
    """Nominations that are not (yet) appointments: pending ones for vacancies and for the next
    term of a seat ending soon, one not appointed, one withdrawn, one closed with its dissolved body."""

    def nominate(leader_index, body, seat, days_ago, note=""):
        leader = leaders[leader_index]
        return services.nomination_create(actor=None, leader=leader, seat=seats[(body, seat)],
                                          nominated_on=today - days_ago * DAY,
                                          endorsements=_endorsers(leader.person, members, rng), notes=note)

    count = 0
    for leader_index, body, seat, days_ago, note in (
        (11, "richfield-transportation-commission", "Seat 4", 12, "Interview with the council's committee pending."),
        (12, "riverbend-creek-watershed-board", "Manager seat 4", 9, ""),
        (15, "mill-city-planning-commission", "Seat 2", 20, "For the term that starts when the current one ends."),
        (1, "regional-transportation-advisory-board", "Citizen member, district 3", 15, "Seeks reappointment."),
        (5, "capitol-city-planning-commission", "At-large seat 3", 5, ""),
    ):
        nominate(leader_index, body, seat, days_ago, note)
        count += 1
    refused = nominate(12, "brooklyn-park-planning-commission", "Seat 2", 210)
    services.nomination_decide(actor=None, nomination=refused, outcome=NominationOutcome.NOT_APPOINTED,
                               on=today - 150 * DAY)
    withdrawn = nominate(14, "ramsey-county-public-health-advisory", "District 6", 100, "")
    services.nomination_decide(actor=None, nomination=withdrawn, outcome=NominationOutcome.WITHDRAWN,
                               on=today - 60 * DAY)
    # Closed as withdrawn when the task force is dissolved.
    nominate(15, "green-line-anti-displacement-task-force", "Resident member 2", 150)
    return count + 3


def _support(leaders, seated_terms, today: dt.date, rng: random.Random) -> None:
    for index, term in sorted(seated_terms.items()):
        leader = leaders[index]
        services.support_add(actor=None, leader=leader, term=term, kind=SupportKind.BRIEFING,
                             on=term.starts_on + 5 * DAY, notes="Walked through the body's rules and the first agenda.")
        day = term.starts_on + 90 * DAY
        while day < today - 20 * DAY:
            services.support_add(actor=None, leader=leader, term=term, kind=SupportKind.CHECK_IN, on=day,
                                 notes=rng.choice(["Going well; asked for data on the housing levy.",
                                                   "Prepared questions for the budget hearing together.",
                                                   "Felt outnumbered on the last vote; connected with a mentor.",
                                                   "Brought residents to testify on the station plan."]))
            day += rng.randint(80, 140) * DAY
    services.support_add(actor=None, leader=leaders[13], kind=SupportKind.TRAINING, on=today - 30 * DAY,
                         notes="Shadowed a school board work session with a seated leader.")


PROCESSES = [
    # (title, agency, kind, body slug, investment slug, days ago, answers, visibility, observations)
    ("Northside light rail station area plan: open houses", "Riverbend Regional Transit Authority", ProcessKind.PLAN,
     "regional-transportation-advisory-board", "northside-light-rail-extension", 75, (2, 1, 1, 2, 0),
     Visibility.PUBLIC, "Materials in four languages and interpreters at every open house; the station moved "
                        "nowhere despite three hundred comments asking for it."),
    ("Snelling Yards rezoning hearing", "Capitol City Planning Commission", ProcessKind.HEARING,
     "capitol-city-planning-commission", "snelling-yards-redevelopment", 40, (1, 0, 1, 0, 1), Visibility.PUBLIC,
     "A weekday morning hearing with no interpretation; the commission did add an affordability condition."),
    ("Lake Street arena environmental review comment period", "Mill City planning department",
     ProcessKind.COMMENT_PERIOD, "mill-city-planning-commission", "lake-street-arena", 20, (0, 0, 1, 1, None),
     Visibility.PUBLIC, "Thirty days, English only, comments by web form or mail."),
    ("Selby Avenue cap park design workshops", "Capitol City parks department", ProcessKind.MEETING, None,
     "selby-avenue-freeway-cap-park", 130, (2, 2, 2, 2, 2), Visibility.PUBLIC,
     "Workshops in Rondo on Saturdays with food and childcare; the design kept the residents' market hall."),
    ("Frogtown microgrid community meeting", "Capitol City energy office", ProcessKind.MEETING, None,
     "frogtown-solar-microgrid", 55, (2, 1, None, 2, 1), Visibility.MEMBERS,
     "Hmong interpretation on request only; the subscription price was lowered after the meeting."),
    ("Regional climate action plan comment period", "Riverbend Regional Council", ProcessKind.COMMENT_PERIOD,
     "regional-transportation-advisory-board", None, 160, (1, 1, 0, 1, 0), Visibility.MEMBERS,
     "Summary translated, full plan English only; no visible change from the comments."),
    ("Watershed ten-year plan hearing", "Riverbend Creek Watershed District", ProcessKind.HEARING,
     "riverbend-creek-watershed-board", None, 95, (0, 0, 0, 1, None), Visibility.PUBLIC,
     "Held in the evening near the lake, but notices went out a week before, in English only."),
    ("County housing levy listening sessions", "Hennepin County housing department", ProcessKind.MEETING,
     "hennepin-county-housing-board", None, 30, (2, 2, 1, None, None), Visibility.PUBLIC,
     "Sessions in Somali, Spanish and English at three libraries; the outcome is not decided yet."),
    ("School facilities plan survey", "Capitol City Public Schools", ProcessKind.OTHER, "capitol-city-school-board",
     None, 12, (1, None, None, None, None), Visibility.MEMBERS,
     "An online survey in English and Hmong; too early to score."),
]


def _processes(bodies: dict[str, PublicBody], today: dt.date) -> int:
    from commontable.investments.models import Investment

    fields = ("language_access", "interpretation", "accommodations", "timing_and_place", "input_changed_decision")
    for title, agency, kind, body, investment, days_ago, answers, visibility, observations in PROCESSES:
        services.process_create(
            actor=None, title=title, agency=agency, kind=kind, body=bodies.get(body) if body else None,
            investment=Investment.objects.filter(slug=investment).first() if investment else None,
            held_on=today - days_ago * DAY, visibility=visibility, observations=observations,
            **dict(zip(fields, answers, strict=True)))
    return len(PROCESSES)


def _watchers(bodies: dict[str, PublicBody]) -> None:
    """The demo's member and staff logins watch a few bodies (their meetings in the calendar)."""
    from commontable.accounts.models import User

    watches = {"member": ["hennepin-county-housing-board", "blue-line-extension-cac"],
               "staff": ["regional-transportation-advisory-board", "mill-city-climate-commission"]}
    for local, slugs in watches.items():
        user = User.objects.filter(email=f"{local}@{LOGIN_DOMAIN}").first()
        if user is None:
            continue
        for slug in slugs:
            services.body_watch(body=bodies[slug], user=user)
