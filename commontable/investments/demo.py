"""The demo's investment watch: five fictional public investments in the Twin Cities (the names are
invented; the coordinates are real places inside the region), with funding, a dated stage history,
campaign asks, and community-benefit commitments in every status (met, on track, at risk, missed,
no data) with their reports, one of them escalated to "letter sent".

Dates are counted back from today, so the statuses stay as described whenever the demo is loaded.
Everything is written through the services, so every record has its audit entries and history.
The counterpart organisations (agencies, developers) are added to the directory as non-members;
member organisations and a table of the demo coalition are engaged where they exist."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from commontable.core import schedule
from commontable.core.models import Place
from commontable.core.visibility import Visibility
from commontable.directory import services as directory_services
from commontable.directory.choices import MembershipStatus, OrganizationKind
from commontable.directory.models import Organization, Table
from commontable.investments import calendar, services
from commontable.investments.choices import AskOutcome, Escalation, Stage
from commontable.investments.models import Investment

DAY = dt.timedelta(days=1)

# (name, kind) of the counterparts: all fictional.
COUNTERPARTS = {
    "transit": ("Riverbend Regional Transit Authority", OrganizationKind.AGENCY),
    "hra": ("Capitol City Housing and Redevelopment Authority", OrganizationKind.AGENCY),
    "parks": ("Riverbend Parks and Waterways Board", OrganizationKind.AGENCY),
    "snelling": ("Snelling Yards Partners LLC", OrganizationKind.DEVELOPER),
    "arena": ("Lake Street Arena Holdings", OrganizationKind.DEVELOPER),
    "builders": ("Union Depot Construction Group", OrganizationKind.BUSINESS),
    "solar": ("Frogtown Community Solar Cooperative", OrganizationKind.BUSINESS),
}


@dataclass
class DemoSummary:
    investments: int = 0
    commitments: int = 0
    reports: int = 0
    asks: int = 0
    statuses: dict[str, int] = field(default_factory=dict)


def _place(slug: str):
    return Place.objects.filter(slug=slug).first()


def _counterparts() -> dict[str, Organization]:
    found = {}
    for key, (name, kind) in COUNTERPARTS.items():
        organization = Organization.objects.filter(name=name).first()
        if organization is None:
            organization = directory_services.organization_create(
                actor=None,
                name=name,
                kind=kind,
                membership_status=MembershipStatus.NOT_MEMBER,
                visibility=Visibility.MEMBERS,
                description="A fictional counterpart of the demo coalition's investment watch.",
            )
        found[key] = organization
    return found


def _stages(investment: Investment, steps: list[tuple[str, dt.date, str]]) -> None:
    for stage, on, note in steps:
        services.investment_stage_change(
            actor=None, investment=investment, stage=stage, effective_on=on, note=note
        )


@transaction.atomic
def investments_demo_load(*, today: dt.date | None = None) -> DemoSummary | None:
    """Load the demo investments. Returns None (and writes nothing) if any investment exists."""
    if Investment.objects.exists():
        return None
    today = today or timezone.localdate()
    org = _counterparts()
    members = list(
        Organization.objects.filter(membership_status=MembershipStatus.MEMBER).order_by("name")[:3]
    )
    table = (
        Table.objects.filter(slug="blue-line-anti-displacement-table").first()
        or Table.objects.order_by("name").first()
    )
    tables = [table] if table is not None else []
    summary = DemoSummary()

    def register(**kwargs) -> Investment:
        summary.investments += 1
        return services.investment_create(actor=None, **kwargs)

    def fund(investment, program, year, amount, award_id=""):
        services.funding_source_add(
            actor=None,
            investment=investment,
            program=program,
            fiscal_year=year,
            amount=amount,
            award_id=award_id,
        )

    def promise(
        investment, obligor, text, category, unit, target, starts_on, deadline, *, reports=(), **kwargs
    ):
        commitment = services.commitment_create(
            actor=None,
            investment=investment,
            obligor=obligor,
            text=text,
            category=category,
            unit=unit,
            target=target,
            starts_on=starts_on,
            deadline=deadline,
            **{"source": "cba", "visibility": Visibility.PUBLIC, **kwargs},
        )
        for value, as_of, link in reports:
            services.commitment_report_add(
                actor=None, commitment=commitment, value=value, as_of=as_of, evidence_url=link
            )
            summary.reports += 1
        summary.commitments += 1
        return commitment

    def ask(investment, asked_of, text, *, actions=(), outcome=None, outcome_on=None, evidence=""):
        item = services.ask_create(actor=None, investment=investment, asked_of=asked_of, ask=text)
        for kind, on, note, signers in actions:
            services.ask_action_add(actor=None, ask=item, kind=kind, on=on, note=note, organizations=signers)
        if outcome:
            services.ask_outcome_set(
                actor=None, ask=item, outcome=outcome, outcome_on=outcome_on, evidence=evidence
            )
        summary.asks += 1
        return item

    # 1. A light-rail extension through North Minneapolis to Brooklyn Park, under construction.
    line = register(
        name="Northside Light Rail Extension",
        kind="transit_line",
        sponsor=org["transit"],
        jurisdiction=_place("hennepin-county"),
        description="A fictional light-rail extension from downtown Minneapolis through North Minneapolis to Brooklyn Park.",
        total_cost="3,200,000,000",
        stage=Stage.PROPOSED,
        stage_since=today - 2200 * DAY,
        location={
            "type": "LineString",
            "coordinates": [
                [-93.2776, 44.9826],
                [-93.2967, 45.0130],
                [-93.3120, 45.0424],
                [-93.3290, 45.0650],
                [-93.3563, 45.0941],
            ],
        },
        tables=tables,
        organizations=members[:2],
        visibility=Visibility.PUBLIC,
    )
    _stages(
        line,
        [
            (Stage.PLANNING, today - 1900 * DAY, "Route chosen"),
            (Stage.FUNDED, today - 1100 * DAY, "Full funding grant"),
            (Stage.DESIGN, today - 900 * DAY, ""),
            (Stage.CONSTRUCTION, today - 420 * DAY, "Ground broken"),
        ],
    )
    fund(line, "fta", 2024, "1,450,000,000", "FTA-CIG-2024-0031")
    fund(line, "state_bonding", 2024, "320,000,000")
    fund(line, "regional", 2025, "610,000,000")
    fund(line, "county", 2025, "410,000,000")
    promise(
        line,
        org["builders"],
        "At least 25 % of construction hours worked by residents of the corridor.",
        "local_hire",
        "% of hours",
        "25",
        today - 420 * DAY,
        today + 700 * DAY,
        reports=[
            ("21.5", today - 200 * DAY, "https://example.org/demo/northside-hours-q2.pdf"),
            ("27.2", today - 30 * DAY, "https://example.org/demo/northside-hours-q4.pdf"),
        ],
        source="resolution",
        source_reference="Council resolution 2021-88",
    )  # met
    promise(
        line,
        org["transit"],
        "$4 million in contracts to BIPOC-owned firms before the line opens.",
        "bipoc_contracting",
        "dollars",
        "4000000",
        today - 500 * DAY,
        today + 230 * DAY,
        reports=[("900000", today - 40 * DAY, "https://example.org/demo/northside-contracts.xlsx")],
        source="development_agreement",
        source_reference="Section 12.3",
    )  # at risk
    promise(
        line,
        org["transit"],
        "No household displaced by the station areas' construction.",
        "anti_displacement",
        "households",
        "0",
        today - 420 * DAY,
        today + 700 * DAY,
        direction="at_most",
        reports=[("0", today - 60 * DAY, "https://example.org/demo/northside-relocation.pdf")],
    )  # on track
    ask(
        line,
        "Riverbend Regional Transit Authority",
        "Fund a $20 million anti-displacement trust along the corridor.",
        actions=[
            ("meeting", today - 800 * DAY, "Met the project office.", members[:1]),
            ("sign_on", today - 700 * DAY, "Letter signed by member organisations.", members),
        ],
        outcome=AskOutcome.PARTLY,
        outcome_on=today - 600 * DAY,
        evidence="A $8 million fund in the full funding agreement.",
    )

    # 2. A mixed-use redevelopment on a former rail yard in the Midway, in design.
    yards = register(
        name="Snelling Yards Redevelopment",
        kind="mixed_use",
        sponsor=org["hra"],
        jurisdiction=_place("saint-paul"),
        description="A fictional mixed-use redevelopment of a former rail yard near Snelling and University Avenues.",
        total_cost="410,000,000",
        stage=Stage.PLANNING,
        stage_since=today - 1400 * DAY,
        location={
            "type": "Polygon",
            "coordinates": [
                [
                    [-93.1712, 44.9521],
                    [-93.1645, 44.9521],
                    [-93.1645, 44.9560],
                    [-93.1712, 44.9560],
                    [-93.1712, 44.9521],
                ]
            ],
        },
        tables=tables,
        organizations=members[1:3],
        visibility=Visibility.PUBLIC,
    )
    _stages(
        yards,
        [(Stage.FUNDED, today - 1000 * DAY, "TIF district approved"), (Stage.DESIGN, today - 300 * DAY, "")],
    )
    fund(yards, "tif", 2023, "38,000,000", "TIF-2023-07")
    fund(yards, "lihtc", 2024, "22,500,000")
    fund(yards, "private", 2024, "290,000,000")
    missed = promise(
        yards,
        org["snelling"],
        "60 homes affordable at or below 30 % of area median income.",
        "affordable_units",
        "homes",
        "60",
        today - 900 * DAY,
        today - 30 * DAY,
        ami_percent=30,
        reports=[("22", today - 45 * DAY, "https://example.org/demo/snelling-units.pdf")],
        source_reference="CBA article 3",
    )  # missed
    services.commitment_escalate(
        actor=None,
        commitment=missed,
        step=Escalation.FLAGGED,
        on=today - 25 * DAY,
        note="38 homes short at the deadline.",
    )
    services.commitment_escalate(
        actor=None,
        commitment=missed,
        step=Escalation.LETTER_SENT,
        on=today - 10 * DAY,
        note="Letter to the developer and the authority asking for a remedy plan within 30 days.",
    )
    promise(
        yards,
        org["snelling"],
        "A 5,000 square-foot community space run by neighbourhood organisations.",
        "community_space",
        "square feet",
        "5000",
        today - 200 * DAY,
        today + 900 * DAY,
        source_reference="CBA article 5",
    )  # no data
    ask(
        yards,
        "Capitol City City Council",
        "Make the community benefits agreement a condition of the TIF district.",
        actions=[
            ("testimony", today - 1050 * DAY, "Six members testified at the public hearing.", members[1:2])
        ],
        outcome=AskOutcome.WON,
        outcome_on=today - 1000 * DAY,
        evidence="Council resolution adopting the CBA.",
    )

    # 3. An arena on Lake Street, in planning.
    arena = register(
        name="Lake Street Arena",
        kind="stadium",
        sponsor=org["arena"],
        jurisdiction=_place("minneapolis"),
        description="A fictional 8,000-seat arena proposed on the Lake Street corridor.",
        total_cost="520,000,000",
        stage=Stage.PROPOSED,
        stage_since=today - 500 * DAY,
        location={"type": "Point", "coordinates": [-93.2470, 44.9483]},
        visibility=Visibility.PUBLIC,
    )
    _stages(arena, [(Stage.PLANNING, today - 300 * DAY, "Environmental review begun")])
    fund(arena, "abatement", 2026, "95,000,000")
    promise(
        arena,
        org["arena"],
        "200 permanent jobs paying at least $25 an hour.",
        "wages",
        "jobs",
        "200",
        today - 365 * DAY,
        today + 365 * DAY,
        reports=[("95", today - 20 * DAY, "https://example.org/demo/arena-jobs.pdf")],
        source="subsidy_condition",
        source_reference="Abatement agreement, schedule B",
    )  # on track
    ask(
        arena,
        "Minneapolis City Council",
        "No property-tax abatement without a binding community benefits agreement.",
        actions=[("letter", today - 90 * DAY, "Open letter from the coalition.", members)],
    )

    # 4. A freeway cap park, proposed; known to members only.
    cap = register(
        name="Selby Avenue Freeway Cap Park",
        kind="park",
        sponsor=org["parks"],
        jurisdiction=_place("rondo"),
        description="A fictional park over the freeway trench, reconnecting the neighbourhood it divided.",
        total_cost="180,000,000",
        stage=Stage.PROPOSED,
        stage_since=today - 150 * DAY,
        location={
            "type": "Polygon",
            "coordinates": [
                [
                    [-93.1335, 44.9462],
                    [-93.1240, 44.9462],
                    [-93.1240, 44.9478],
                    [-93.1335, 44.9478],
                    [-93.1335, 44.9462],
                ]
            ],
        },
        tables=tables,
        visibility=Visibility.MEMBERS,
    )
    fund(cap, "iija", 2026, "2,000,000", "RCP-2026-112")
    ask(
        cap,
        "Riverbend Parks and Waterways Board",
        "Community land trust for the homes around the cap, before it is built.",
    )

    # 5. A neighbourhood solar microgrid, funded.
    solar = register(
        name="Frogtown Solar Microgrid",
        kind="climate",
        sponsor=org["solar"],
        jurisdiction=_place("frogtown"),
        description="A fictional community-owned solar array and battery serving 300 households.",
        total_cost="14,000,000",
        stage=Stage.PLANNING,
        stage_since=today - 700 * DAY,
        location={"type": "Point", "coordinates": [-93.1380, 44.9590]},
        organizations=members[:1],
        visibility=Visibility.PUBLIC,
    )
    _stages(solar, [(Stage.FUNDED, today - 250 * DAY, "Federal grant awarded")])
    fund(solar, "ira", 2025, "9,800,000", "DOE-SFI-2025-0442")
    fund(solar, "city_capital", 2025, "1,200,000")
    promise(
        solar,
        org["solar"],
        "5,000 hours of paid training for neighbourhood residents.",
        "local_hire",
        "hours",
        "5000",
        today - 250 * DAY,
        today + 480 * DAY,
        reports=[("5120", today - 15 * DAY, "https://example.org/demo/solar-training.pdf")],
    )  # met
    promise(
        solar,
        org["solar"],
        "Bills cut by a fifth for 300 low-income households.",
        "environment",
        "households",
        "300",
        today - 250 * DAY,
        today + 480 * DAY,
        visibility=Visibility.MEMBERS,
        reports=[("20", today - 200 * DAY, "https://example.org/demo/solar-enrolment.pdf")],
    )  # at risk: silent 200 days
    ask(
        solar,
        "Capitol City Council",
        "City capital money for the battery.",
        outcome=AskOutcome.WON,
        outcome_on=today - 260 * DAY,
        evidence="Adopted in the capital improvement budget.",
    )
    _decisions(today, line=line, yards=yards, arena=arena, solar=solar, org=org)
    return summary


def next_spring_forward(after: dt.date) -> dt.date:
    """The next Sunday the clocks jump forward in Chicago (2:30 am does not exist that night)."""
    day = after
    while not schedule.is_nonexistent(day, dt.time(2, 30), schedule.DEFAULT_ZONE):
        day += DAY
    return day


def _decisions(today: dt.date, *, line, yards, arena, solar, org) -> None:
    """Hearings either side of the spring-forward change (6:30 pm both times), a cancelled one,
    a vote, and comment deadlines of two kinds, for the decision calendar."""
    change = next_spring_forward(today + DAY)

    def decide(investment, title, kind, on, at=None, **kwargs):
        return calendar.decision_create(actor=None, investment=investment, title=title, kind=kind, starts_on=on,
                                        starts_at_time=at, **kwargs)

    transit = org["transit"]
    decide(line, "Public hearing on the station plans (week before the clock change)", "hearing",
           change - 6 * DAY, dt.time(18, 30), body=transit, body_name="Board of directors",
           location="Regional Transit Center, 560 Sixth Avenue", link_url="https://example.org/demo/hearing-1")
    decide(line, "Public hearing on the station plans (week after the clock change)", "hearing",
           change + DAY, dt.time(18, 30), ends_at_time=dt.time(20, 30), body=transit, body_name="Board of directors",
           location="Regional Transit Center, 560 Sixth Avenue")
    cancelled = decide(arena, "Council hearing on the arena subsidy", "hearing", today + 12 * DAY, dt.time(17),
                       body_name="Capitol City Council", location="City Hall, room 300")
    calendar.decision_update(actor=None, decision=cancelled, status="cancelled")
    decide(yards, "Council vote on the redevelopment agreement", "vote", today + 2 * DAY, dt.time(10),
           body_name="Capitol City Council", location="City Hall, council chambers")
    decide(yards, "Comments due on the environmental assessment", "comment_deadline", today + 20 * DAY,
           dt.time(16, 30), deadline_kind="hard_date", body=org["hra"],
           link_url="https://example.org/demo/eaw-comments")
    decide(solar, "Comments on the microgrid's second phase", "comment_deadline", None, deadline_kind="rolling",
           body_name="Frogtown Community Solar Cooperative")
