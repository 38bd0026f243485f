"""The plan parser reads what a PDF export of a strategic plan leaves behind, and names every problem
with its line. Plain functions: no database. The plans in `plans/` are the real Alliance plan and
invented coalitions' plans in other shapes."""

import re
import textwrap
from pathlib import Path

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commontable.strategy.plan_parser import (
    ParsedPlan,
    PlanParseError,
    PlanProblem,
    parse_plan,
)
from commontable.strategy.plan_text import MAX_BYTES

PLANS = Path(__file__).parent / "plans"
ALLIANCE = "alliance-strategic-plan-2023-2026.txt"


def read(name: str) -> bytes:
    return (PLANS / name).read_bytes()


def problems(data: bytes | str) -> list[PlanProblem]:
    """The problems parse_plan raises; each names its line in the sentence a coordinator reads."""
    with pytest.raises(PlanParseError) as info:
        parse_plan(data)
    for problem in info.value.problems:
        # "Line N: …" in the active language ("Línea N: …" in Spanish).
        assert str(problem).endswith(problem.message)
        assert (str(f"{problem.line}:") in str(problem)) if problem.line else str(problem) == problem.message
    assert str(info.value) == "; ".join(map(str, info.value.problems))
    return info.value.problems


def line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    """The 1-based line on which `fragment` appears for the nth time."""
    found = [no for no, line in enumerate(text.split("\n"), start=1) if fragment in line]
    return found[occurrence - 1]


def all_texts(plan: ParsedPlan) -> list[str]:
    texts = [plan.title, plan.mission, plan.vision]
    texts += [t for v in plan.values for t in (v.name, v.description)]
    for strategy in plan.strategies:
        texts += [strategy.title, strategy.description, *(o.text for o in strategy.objectives)]
    return texts


VALID = """Harbor Youth Collective
Strategic Plan 2024-2026

Mission
We make room for young people to lead.

Vision
A harbor where young people shape the decisions that shape them.

Values
Courage. We speak up, even when it is hard.
Care. We look after each other.

Strategy 1: Youth voice
1. Seat young people on every city board
2. Train forty youth organizers a year

Strategy 2: Safe places
1. Keep three drop-in centers open every evening
2. Win a youth transit pass
"""


# --- the real plan -----------------------------------------------------------------------------


def test_the_alliance_plan_reads_whole():
    plan = parse_plan(read(ALLIANCE))
    assert plan.title == "The Alliance Strategic Plan"
    assert (plan.period_start_year, plan.period_end_year) == (2023, 2026)
    assert plan.mission.startswith("The Alliance builds power")
    assert plan.mission.endswith("advance our collective liberation.")
    assert len(plan.vision.split("\n\n")) == 2
    assert plan.vision.startswith("We envision a vibrant region")
    assert [len(s.objectives) for s in plan.strategies] == [6, 7, 2, 5]
    assert [s.number for s in plan.strategies] == [1, 2, 3, 4]
    numbers = [o.number for s in plan.strategies for o in s.objectives]
    assert numbers[0] == "1.1" and numbers[-1] == "4.5" and len(numbers) == len(set(numbers)) == 20
    assert plan.strategies[0].title == "Organize for more equitable policies, systems, and investments"
    assert plan.strategies[3].objectives[-1].text.endswith("to support programmatic work")
    assert plan.warnings == ()


def test_the_alliance_values_keep_their_descriptions_and_markup():
    values = parse_plan(read(ALLIANCE)).values
    assert [v.name for v in values] == [
        "Racial justice",
        "Intersectionality",
        "Community expertise",
        "Abundance",
        "Collective Power",
        "Intentionality",
        "Shared leadership",
    ]
    assert all(v.description for v in values)
    assert values[0].description.startswith("Racism is at the heart of the systemic inequities")
    assert "accountable to our partners *and* we hold systems accountable" in values[5].description


@pytest.mark.parametrize(
    "header", ["Strategic Plan", "STRATEGIC PLAN", "ADVANCING REGIONAL EQUITY", "2023-2026"]
)
def test_no_running_header_leaks_into_the_alliance_texts(header):
    plan = parse_plan(read(ALLIANCE))
    assert not any(header.casefold() in text.casefold() for text in all_texts(plan)[1:])
    assert not any(text.casefold() == "the alliance" for text in all_texts(plan))


def test_the_alliance_lines_point_at_the_document():
    text = read(ALLIANCE).decode()
    plan = parse_plan(text)
    assert plan.values[0].line == line_of(text, "Racial justice.")
    assert plan.strategies[1].line == line_of(text, "Strategy 2")
    assert plan.strategies[1].objectives[2].line == line_of(text, "3. Document the Alliance")


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_the_alliance_plan_reads_the_same_with_other_line_endings(newline):
    text = read(ALLIANCE).decode()
    assert parse_plan(text.replace("\n", newline)) == parse_plan(text)


def test_an_objective_wrapped_over_a_page_break_with_the_headers_in_between():
    text = (
        read(ALLIANCE)
        .decode()
        .replace(
            "5. Invest in narrative-development and communications tools that support these goals",
            "5. Invest in narrative-development and communications\n\n\n\fThe Alliance\nADVANCING REGIONAL EQUITY"
            "\n\nStrategic Plan\n\n2023-2026\n\n7\n\ntools that support these goals",
        )
    )
    plan = parse_plan(text)
    assert plan.strategies[1].objectives[4].text == (
        "Invest in narrative-development and communications tools that support these goals"
    )
    assert [len(s.objectives) for s in plan.strategies] == [6, 7, 2, 5]


def structure(plan: ParsedPlan):
    return (
        plan.mission,
        plan.vision,
        [(v.name, v.description) for v in plan.values],
        [(s.number, s.title, [(o.number, o.text) for o in s.objectives]) for s in plan.strategies],
    )


HEADERS = ["\fThe Alliance", "ADVANCING REGIONAL EQUITY", "Strategic Plan", "2023-2026", "7"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    width=st.integers(min_value=40, max_value=100),
    breaks=st.lists(st.tuples(st.floats(0, 1), st.integers(min_value=2, max_value=5)), max_size=6),
    packed_values=st.booleans(),
)
def test_the_alliance_plan_hard_wrapped_with_page_breaks_anywhere_reads_the_same(
    width, breaks, packed_values
):
    """What another exporter might make of the same PDF: lines wrapped at any width, values with no
    blank lines between them, and page breaks (with their running headers and no blank lines
    around them) falling anywhere, even inside a sentence."""
    source = read(ALLIANCE).decode()
    lines: list[str] = []
    values = False
    for paragraph in source.split("\n"):
        values = (values or paragraph == "Our Values") and paragraph != "Our Strategies"
        if not (packed_values and values and not paragraph):
            lines += textwrap.wrap(paragraph, width) or [""]
    for fraction, count in breaks:
        at = 20 + int(fraction * (len(lines) - 20))
        lines[at:at] = HEADERS[:count]
    assert structure(parse_plan("\n".join(lines))) == structure(parse_plan(source))


@pytest.mark.parametrize(
    "change",
    [
        lambda text: "\n".join(line for line in text.split("\n") if line.strip()),  # no blank lines at all
        lambda text: "\n".join(f"    {line}" if line[:1].isdigit() else line for line in text.split("\n")),
    ],
    ids=["no-blank-lines", "indented-objectives"],
)
def test_the_alliance_plan_without_blank_lines_or_with_indented_objectives(change):
    source = read(ALLIANCE).decode()
    assert structure(parse_plan(change(source))) == structure(parse_plan(source))


def test_a_wrapped_word_that_names_a_section_is_not_a_heading():
    text = VALID.replace(
        "2. Train forty youth organizers a year", "2. Train forty youth organizers toward our\ngoals"
    )
    assert (
        parse_plan(text).strategies[0].objectives[1].text == "Train forty youth organizers toward our goals"
    )


# --- other shapes of plan ----------------------------------------------------------------------


def test_six_strategies_with_inline_headings_wrapped_values_and_a_description():
    plan = parse_plan(read("riverbend-six-strategies.txt"))
    assert plan.title == "Riverbend Housing Coalition Strategic Plan"
    assert (plan.period_start_year, plan.period_end_year) == (2024, 2028)
    assert plan.mission.startswith("Riverbend Housing Coalition unites tenants")
    assert plan.mission.endswith("affordable home.") and "\n" not in plan.mission
    assert plan.vision.startswith("A region where no family")
    assert [(v.name, v.description[:12]) for v in plan.values] == [
        ("Tenant leadership", "People who r"),
        ("Honesty", "We say what "),
        ("Repair", "Past housing"),
    ]
    assert plan.values[0].description.endswith("tenants lead our campaigns and sit on our board.")
    assert [s.number for s in plan.strategies] == [1, 2, 3, 4, 5, 6]
    assert [len(s.objectives) for s in plan.strategies] == [3, 3, 2, 2, 2, 2]
    assert plan.strategies[5].title == "Strengthen the coalition"
    second = plan.strategies[1]
    assert second.description.startswith("Most affordable homes") and second.description.endswith("are sold.")
    # a hard hyphen at the end of a line stays, without a space
    assert plan.strategies[0].objectives[2].text.endswith("offers long-term support")
    # "2.5 million" at the start of a wrapped line is not objective 2.5
    assert second.objectives[1].text == (
        "Raise a $5 million acquisition fund with local lenders and 2.5 million more from the county housing trust"
    )
    assert [o.number for o in second.objectives] == ["2.1", "2.2", "2.3"]


def test_eleven_prefixed_objectives_and_bulleted_values():
    plan = parse_plan(read("northside-eleven-objectives.txt"))
    assert plan.title == "Northside Transit Table Five-Year Plan"
    assert (plan.period_start_year, plan.period_end_year) == (2025, 2029)
    assert [(v.name, v.description) for v in plan.values] == [
        ("Access", ""),
        ("Safety", ""),
        ("Dignity", ""),
        ("Climate responsibility", ""),
        ("Neighbor to neighbor", ""),
    ]
    assert [s.title for s in plan.strategies] == [
        "Ride for all",
        "Make riders the planners",
        "Safe streets and stops",
        "Jobs on the line",
    ]
    third = plan.strategies[2]
    assert [o.number for o in third.objectives] == [f"3.{n}" for n in range(1, 12)]
    assert [o.position for o in third.objectives] == list(range(1, 12))
    assert third.objectives[9].text == "Win heated shelters at transfer points"
    assert third.objectives[6].text.endswith("around schools and senior housing first")
    assert plan.strategies[1].objectives[0].number == "2.1"


def test_crlf_form_feeds_page_numbers_and_another_running_header():
    data = read("lakeshore-crlf-page-breaks.txt")
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data and b"\f" in data  # the fixture is intact
    plan = parse_plan(data)
    assert plan.title == "Lakeshore Food Justice Network Strategic Plan"
    assert (plan.period_start_year, plan.period_end_year) == (2022, 2025)
    assert [v.name for v in plan.values] == ["Food sovereignty", "Fair work", "Shared land"]
    assert "“food security”" in plan.values[0].description  # typographic quotes are kept
    first = plan.strategies[0]
    assert first.title == "Grow food where people live"
    assert [o.text for o in first.objectives] == [
        "Turn ten vacant lots into community gardens with long-term land agreements",  # soft hyphen
        "Help corner stores stock fresh produce and accept SNAP and WIC benefits, starting with the stores "
        "nearest to schools",  # over a page break, its footer and its running header
        "Start a youth farm stand program that pays teens to sell what they grow",  # NBSP, zero-width space
    ]
    assert plan.strategies[1].objectives[1].text == (
        "Create a shared commercial kitchen with efficient equipment and flexible hours"  # ligatures
    )
    assert not any("Growing Together" in t or "Page" in t for t in all_texts(plan))
    assert plan.strategies[1].line == 41  # form feeds do not shift line numbers


def test_goal_keyword_and_headings_with_their_text_on_the_same_line():
    plan = parse_plan(read("prairie-goals-inline-headings.txt"))
    assert plan.title == "Prairie Workers Center Plan"
    assert (plan.period_start_year, plan.period_end_year) == (2023, 2027)
    assert plan.mission.startswith("We organize low-wage") and plan.mission.endswith("off the job.")
    assert (
        plan.vision
        == "Every worker in the prairie counties earns enough to live well and has a real voice at work."
    )
    assert [v.name for v in plan.values] == ["Solidarity", "Courage", "Democracy", "Joy"]
    assert [s.title for s in plan.strategies] == [
        "Win higher wages in food processing",
        "Make workplaces safe",
        "Protect immigrant workers",
    ]
    assert [len(s.objectives) for s in plan.strategies] == [3, 2, 2]


def test_number_words_contents_continued_pages_and_unknown_sections():
    text = read("cedar-valley-number-words.txt").decode()
    plan = parse_plan(text)
    assert plan.title == "Cedar Valley Clean Air Partnership Strategic Plan"
    assert (plan.period_start_year, plan.period_end_year) == (2026, 2030)
    assert [v.name for v in plan.values] == [
        "Community health first",
        "Shared knowledge",
        "Accountability",
        "Patience and persistence",
    ]
    assert [(s.number, s.title) for s in plan.strategies] == [
        (1, "Measure what we breathe"),
        (2, "Cut diesel pollution"),
        (3, "Protect people now"),
    ]
    assert [o.number for o in plan.strategies[1].objectives] == ["2.1", "2.2", "2.3"]  # "(continued)"
    assert plan.vision == "Children in Cedar Valley breathe air as clean as anywhere in the state."
    assert "report to members" not in plan.strategies[2].objectives[-1].text
    assert [w.line for w in plan.warnings] == [
        line_of(text, "Theory of Change"),
        line_of(text, "Measuring Progress"),
    ]
    assert "Theory of Change" in plan.warnings[0].message


# --- cleaning what the export leaves behind ----------------------------------------------------


def test_ligatures_soft_hyphens_invisible_characters_and_tabs_are_cleaned():
    text = VALID.replace(
        "1. Seat young people on every city board",
        "1.\tSeat young peo\u00adple on every city board, ﬁrst the ﬂoor\u00a0of \u200bthe\ufeff council and ef\u00ad\nfective",
    )
    objective = parse_plan(text).strategies[0].objectives[0]
    assert (
        objective.text
        == "Seat young people on every city board, first the floor of the council and effective"
    )


def test_a_hard_hyphen_at_a_line_end_stays_and_joins_without_a_space():
    text = VALID.replace(
        "2. Train forty youth organizers a year", "2. Train forty youth organizers in equi-\ntable ways"
    )
    assert (
        parse_plan(text).strategies[0].objectives[1].text == "Train forty youth organizers in equi-table ways"
    )


@pytest.mark.parametrize(
    "heading,title",
    [
        ("Strategy 1: Youth voice", "Youth voice"),
        ("Strategy 1 — Youth voice", "Youth voice"),
        ("Strategy 1 – Youth voice", "Youth voice"),
        ("Strategy 1. Youth voice", "Youth voice"),
        ("STRATEGY 1: YOUTH VOICE", "YOUTH VOICE"),
        ("Strategy One: Youth voice", "Youth voice"),
        ("Strategy I: Youth voice", "Youth voice"),
        ("Strategy 1\nYouth voice", "Youth voice"),
        ("Strategy 1:\n\nYouth voice", "Youth voice"),
        ("Strategy 1: Youth voice and\nleadership", "Youth voice and leadership"),
        ("Strategy 1: “Youth voice”", "“Youth voice”"),
        ("## Strategy 1: Youth voice", "Youth voice"),
        ("**Strategy 1:** Youth voice", "Youth voice"),
    ],
)
def test_strategy_headings_in_many_spellings(heading, title):
    plan = parse_plan(VALID.replace("Strategy 1: Youth voice", heading))
    assert plan.strategies[0].title == title
    assert [o.number for o in plan.strategies[0].objectives] == ["1.1", "1.2"]


@pytest.mark.parametrize("keyword", ["Goal", "Priority", "Strategic Priority", "Pillar", "GOAL"])
def test_other_words_for_strategy_used_consistently(keyword):
    plan = parse_plan(VALID.replace("Strategy ", f"{keyword} "))
    assert [s.title for s in plan.strategies] == ["Youth voice", "Safe places"]


@pytest.mark.parametrize(
    "item",
    [
        "1. Keep",
        "1) Keep",
        "1 – Keep",
        "1 - Keep",
        "2.1 Keep",
        "2.1. Keep",
        "2.1: Keep",
        "Objective 2.1: Keep",
    ],
)
def test_objective_numbers_in_many_spellings(item):
    plan = parse_plan(VALID.replace("1. Keep", item))
    objective = plan.strategies[1].objectives[0]
    assert (objective.number, objective.position) == ("2.1", 1)
    assert objective.text == "Keep three drop-in centers open every evening"


def test_an_objective_number_alone_on_its_line_takes_the_text_below():
    plan = parse_plan(VALID.replace("1. Keep three", "1.\nKeep three"))
    assert plan.strategies[1].objectives[0].text == "Keep three drop-in centers open every evening"


@pytest.mark.parametrize(
    "heading",
    [
        "Mission",
        "Our Mission",
        "OUR MISSION",
        "Mission Statement",
        "Our Mission Statement:",
        "Mission:",
        "## Mission",
    ],
)
def test_mission_headings(heading):
    assert (
        parse_plan(VALID.replace("Mission\n", f"{heading}\n")).mission
        == "We make room for young people to lead."
    )


@pytest.mark.parametrize(
    "heading", ["Values", "Our Values", "Core Values", "Guiding Principles", "Our Values:"]
)
def test_values_headings(heading):
    assert [v.name for v in parse_plan(VALID.replace("Values\n", f"{heading}\n")).values] == [
        "Courage",
        "Care",
    ]


@pytest.mark.parametrize(
    "values",
    [
        "Courage\nCare\nJoy",
        "Courage\n\nCare\n\nJoy",
        "• Courage\n• Care\n• Joy",
        "- Courage\n- Care\n- Joy",
        "* Courage\n* Care\n* Joy",
        "· Courage\n· Care\n· Joy",
        "▪ Courage\n▪ Care\n▪ Joy",
        "1. Courage\n2. Care\n3. Joy",
        "These values guide everything we do:\nCourage\nCare\nJoy",
    ],
)
def test_values_without_descriptions(values):
    text = VALID.replace(
        "Courage. We speak up, even when it is hard.\nCare. We look after each other.", values
    )
    assert [(v.name, v.description) for v in parse_plan(text).values] == [
        ("Courage", ""),
        ("Care", ""),
        ("Joy", ""),
    ]


@pytest.mark.parametrize(
    "values",
    [
        "Courage: We speak up.\nCare: We look after each other.",
        "Courage — We speak up.\nCare — We look after each other.",
        "Courage – We speak up.\nCare – We look after each other.",
        "Courage - We speak up.\nCare - We look after each other.",
        "Courage\nWe speak up.\n\nCare\nWe look after each other.",
        "• Courage: We speak up.\n• Care: We look after each other.",
    ],
)
def test_values_with_descriptions_in_other_spellings(values):
    text = VALID.replace(
        "Courage. We speak up, even when it is hard.\nCare. We look after each other.", values
    )
    assert [(v.name, v.description) for v in parse_plan(text).values] == [
        ("Courage", "We speak up."),
        ("Care", "We look after each other."),
    ]


def test_a_wrapped_value_description_is_not_taken_for_new_values():
    text = VALID.replace(
        "Courage. We speak up, even when it is hard.",
        "Courage. We speak up, even when it is hard, and we\nShare power. With those who have less of it.",
    )
    values = parse_plan(text).values
    assert [v.name for v in values] == ["Courage", "Care"]
    assert values[0].description.endswith("and we Share power. With those who have less of it.")


def test_mission_and_vision_paragraphs():
    text = VALID.replace(
        "A harbor where young people shape the decisions that shape them.",
        "A harbor where young people shape\nthe decisions that shape them.\n\nAnd where they are paid for it.",
    )
    assert (
        parse_plan(text).vision
        == "A harbor where young people shape the decisions that shape them.\n\nAnd where they are paid for it."
    )


@pytest.mark.parametrize("period", ["2024-2026", "2024–2026", "2024 – 2026", "2024—2026", "2024 to 2026"])
def test_period_spellings(period):
    plan = parse_plan(VALID.replace("2024-2026", period))
    assert (plan.period_start_year, plan.period_end_year) == (2024, 2026)
    assert plan.title == "Harbor Youth Collective Strategic Plan"


def test_a_plan_without_a_period_or_cover_still_reads():
    plan = parse_plan(VALID.split("\n", 3)[3])
    assert (plan.title, plan.period_start_year, plan.period_end_year) == ("", None, None)
    assert len(plan.strategies) == 2


def test_a_contents_list_is_not_read_as_objectives():
    text = VALID.replace(
        "Strategic Plan 2024-2026\n",
        "Strategic Plan 2024-2026\n\nContents\n1. Mission\n2. Values\n3. Strategy 1\nStrategy 2 ......... 4\n",
    )
    plan = parse_plan(text)
    assert [len(s.objectives) for s in plan.strategies] == [2, 2]


def test_a_strategy_description_between_title_and_objectives():
    text = VALID.replace(
        "Strategy 2: Safe places\n",
        "Strategy 2: Safe places\n\nYoung people need places to be\nafter school.\n\n",
    )
    assert parse_plan(text).strategies[1].description == "Young people need places to be after school."


def test_page_numbers_in_several_spellings_are_dropped():
    text = VALID.replace("2. Train forty", "3\nPage 3\nPage 3 of 9\n- 3 -\n2. Train forty")
    assert parse_plan(text).strategies[0].objectives[0].text == "Seat young people on every city board"


def test_a_running_header_with_its_page_number_is_dropped():
    text = VALID.replace("\nStrategy 1", "\nHarbor Youth Collective | 2\n\nStrategy 1").replace(
        "\nStrategy 2", "\nHarbor Youth Collective | 3\n\nStrategy 2"
    )
    plan = parse_plan(text)
    assert not any("Harbor" in t for t in all_texts(plan)[1:])


# --- decoding ----------------------------------------------------------------------------------


def test_bytes_with_and_without_a_byte_order_mark_read_the_same():
    assert parse_plan(VALID.encode()) == parse_plan(b"\xef\xbb\xbf" + VALID.encode()) == parse_plan(VALID)


def test_windows_1252_is_read_when_the_file_is_not_utf8():
    text = VALID.replace("Youth voice", "“Youth” voice – for all")
    plan = parse_plan(text.encode("cp1252"))
    assert plan.strategies[0].title == "“Youth” voice – for all"


def test_utf16_with_a_byte_order_mark_is_read():
    assert parse_plan(VALID.encode("utf-16")) == parse_plan(VALID)


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"PK\x03\x04" + b"\x00" * 40,
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 20,
        b"\xff\xd8\xff\xe0" + b"\x00" * 20,
        b"{\\rtf1\\ansi Mission}",
        VALID.encode().replace(b"\n\n", b"\n\x00\n"),
        bytes(range(1, 9)) * 40,
        b"Mission\x01\x02\x03\x04\x05\x06 text\x07\x08",
    ],
)
def test_a_file_that_is_not_text_is_refused_without_a_line(data):
    [problem] = problems(data)
    assert problem.line is None
    assert problem.message.startswith("This file is not a text document")


@pytest.mark.parametrize("data", [b"", "", b"   \n\n\t \r\n", "\u00a0\u200b\n\f\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_refused(data):
    [problem] = problems(data)
    assert problem.line is None and "empty" in problem.message


def test_a_file_over_two_megabytes_is_refused():
    [problem] = problems(b"a" * (MAX_BYTES + 1))
    assert problem.line is None and "2.0\xa0MB" in problem.message


def test_an_absurdly_long_line_is_named():
    text = VALID.replace("We make room", "We make room " + "very " * 2000)
    found = problems(text)
    assert [p.line for p in found] == [line_of(text, "We make room")]
    assert "characters long" in found[0].message


# --- errors, each naming its line --------------------------------------------------------------


def test_a_duplicate_strategy_number():
    text = VALID.replace("Strategy 2: Safe places", "Strategy 1: Safe places")
    [problem] = problems(text)
    assert problem.line == line_of(text, "Strategy 1: Safe places")
    assert str(problem) == (
        f"Line {problem.line}: Strategy 1 appears twice (also on line {line_of(text, 'Strategy 1')}). "
        "Give each strategy its own number."
    )


def test_a_duplicate_objective_number():
    text = VALID.replace("2. Train forty", "1. Train forty")
    [problem] = problems(text)
    assert problem.line == line_of(text, "1. Train forty")
    assert "Objective 1.1 appears twice under Strategy 1" in problem.message


def test_an_objective_numbered_for_another_strategy():
    text = VALID.replace("1. Seat young people", "1.1 Seat young people").replace(
        "2. Train forty", "2.3 Train forty"
    )
    [problem] = problems(text)
    assert problem.line == line_of(text, "2.3 Train")
    assert str(problem).startswith(f"Line {problem.line}: Objective 2.3 appears under Strategy 1.")


def test_an_objective_before_any_strategy_heading():
    text = VALID.replace("Strategic Plan 2024-2026\n", "Strategic Plan 2024-2026\n1. Stray objective\n")
    text = text.replace("Values\n", "Strategies\n\n1. One\n2. Two\n3. Three\n\nValues\n")
    found = problems(text)
    assert [(p.line, p.message[:40]) for p in found] == [
        (line_of(text, "1. Stray"), "Objective 1 comes before any strategy he"),
        (line_of(text, "1. One"), "Objective 1 comes before any strategy he"),
        (line_of(text, "2. Two"), "Objective 2 comes before any strategy he"),
        (line_of(text, "3. Three"), "Objective 3 comes before any strategy he"),
    ]
    assert found[0].message.endswith("Put a heading such as “Strategy 1” above it.")


def test_an_overview_listing_the_strategies_is_not_read_as_objectives():
    text = VALID.replace("Values\n", "Our Strategies\n\n1. Youth voice\n2. Safe places\n\nValues\n")
    assert [s.title for s in parse_plan(text).strategies] == ["Youth voice", "Safe places"]


def test_a_strategy_heading_repeated_on_its_next_page_or_in_a_list_before_it():
    text = VALID.replace("2. Train forty", "\f\nStrategy 1: Youth voice\n\n2. Train forty")
    assert [len(s.objectives) for s in parse_plan(text).strategies] == [2, 2]
    listed = VALID.replace("Values\n", "Strategies\nStrategy 1: Youth voice\nStrategy 2\n\nValues\n")
    plan = parse_plan(listed)
    assert [(s.title, s.line) for s in plan.strategies] == [
        ("Youth voice", line_of(listed, "Strategy 1", 2)),
        ("Safe places", line_of(listed, "Strategy 2", 2)),
    ]


def test_bulleted_objectives_when_a_strategy_numbers_none():
    text = VALID.replace("1. Keep three", "• Keep three").replace("2. Win a youth", "• Win a youth")
    assert [(o.number, o.text) for o in parse_plan(text).strategies[1].objectives] == [
        ("2.1", "Keep three drop-in centers open every evening"),
        ("2.2", "Win a youth transit pass"),
    ]


def test_an_objectives_subheading_is_not_a_description():
    text = VALID.replace("Strategy 2: Safe places\n", "Strategy 2: Safe places\n\nObjectives:\n")
    assert parse_plan(text).strategies[1].description == ""


@pytest.mark.parametrize(
    "values",
    [
        "**Courage.** We speak up.\n**Care:** We look after each other.",
        "__Courage__ — We speak up.\n__Care__: We look after each other.",
    ],
)
def test_value_names_in_bold(values):
    text = VALID.replace(
        "Courage. We speak up, even when it is hard.\nCare. We look after each other.", values
    )
    assert [(v.name, v.description) for v in parse_plan(text).values] == [
        ("Courage", "We speak up."),
        ("Care", "We look after each other."),
    ]


def test_an_unknown_section_after_the_values_is_left_out_with_a_warning():
    text = VALID.replace(
        "\nStrategy 1", "\nOur History\n\nWe started in a church basement in 2009.\n\nStrategy 1"
    )
    plan = parse_plan(text)
    assert [v.name for v in plan.values] == ["Courage", "Care"]
    assert plan.values[1].description == "We look after each other."
    assert [w.line for w in plan.warnings] == [line_of(text, "Our History")]


def test_the_title_stops_at_the_contents():
    text = VALID.replace(
        "Strategic Plan 2024-2026\n", "Strategic Plan\n\nTable of Contents\n\nA Letter From Our Youth\n"
    )
    assert parse_plan(text).title == "Harbor Youth Collective Strategic Plan"


def test_a_gap_in_objective_numbers():
    text = VALID.replace("2. Train forty youth organizers a year", "2. Train forty\n4. Hold a youth summit")
    [problem] = problems(text)
    assert problem.line == line_of(text, "4. Hold")
    assert problem.message == "Objective 1.4 comes after 1.2: is 1.3 missing?"


def test_a_wider_gap_and_objectives_out_of_order():
    text = VALID.replace("2. Train forty", "5. Train forty").replace(
        "2. Win a youth", "3. Win\n2. Win a youth"
    )
    found = problems(text)
    assert [(p.line, p.message) for p in found] == [
        (line_of(text, "5. Train"), "Objective 1.5 comes after 1.1: are 1.2 to 1.4 missing?"),
        (line_of(text, "3. Win"), "Objective 2.3 comes after 2.1: is 2.2 missing?"),
        (line_of(text, "2. Win a youth"), "Objective 2.2 comes after 2.3. Put the objectives in order."),
    ]


def test_objectives_numbered_on_from_one_strategy_to_the_next():
    text = VALID.replace("1. Keep three", "3. Keep three").replace("2. Win a youth", "4. Win a youth")
    second = parse_plan(text).strategies[1]
    assert [(o.number, o.position) for o in second.objectives] == [("2.1", 1), ("2.2", 2)]
    found = problems(text.replace("4. Win a youth", "6. Win a youth"))
    assert [p.message for p in found] == ["Objective 2.4 comes after 2.1: are 2.2 to 2.3 missing?"]


def test_a_first_objective_that_is_not_one():
    text = VALID.replace("1. Seat young people on every city board\n", "")
    [problem] = problems(text)
    assert problem.message == "Objective 1.2 is the first under Strategy 1: is 1.1 missing?"


def test_a_strategy_without_objectives():
    text = VALID.replace(
        "1. Seat young people on every city board\n2. Train forty youth organizers a year\n", ""
    )
    [problem] = problems(text)
    assert problem.line == line_of(text, "Strategy 1")
    assert problem.message.startswith("Strategy 1 has no objectives.")


def test_no_strategies_at_all():
    text = VALID.split("Strategy 1")[0]
    [problem] = problems(text)
    assert problem.line is None and problem.message.startswith("No strategies were found.")


@pytest.mark.parametrize(
    "numbers,expected",
    [
        ((1, 3), ["Strategy 3 comes after Strategy 1: is Strategy 2 missing?"]),
        ((1, 5), ["Strategy 5 comes after Strategy 1: are Strategy 2 to Strategy 4 missing?"]),
        ((2, 3), ["Strategy 2 is the first strategy: is Strategy 1 missing?"]),
        (
            (2, 1),
            [
                "Strategy 2 is the first strategy: is Strategy 1 missing?",
                "Strategy 1 comes after Strategy 2. Put the strategies in order.",
            ],
        ),
    ],
)
def test_strategy_numbers_out_of_order_or_with_a_gap(numbers, expected):
    text = VALID.replace("Strategy 1:", "Strategy A:").replace("Strategy 2:", f"Strategy {numbers[1]}:")
    text = text.replace("Strategy A:", f"Strategy {numbers[0]}:")
    text = text.replace("\n1. Keep", f"\n{numbers[1]}.1 Keep").replace("\n2. Win", f"\n{numbers[1]}.2 Win")
    found = problems(text)
    assert [p.message for p in found] == expected
    assert [p.line for p in found] == [line_of(text, " ".join(p.message.split(" ")[:2]) + ":") for p in found]


def test_an_objective_without_text():
    text = VALID.replace("2. Train forty youth organizers a year", "2.\n3. Hold a youth summit")
    [problem] = problems(text)
    assert (problem.line, problem.message) == (
        line_of(text, "2."),
        "Objective 1.2 has no text. Write the objective after its number.",
    )


def test_a_value_named_twice():
    text = VALID.replace(
        "Care. We look after each other.", "Care. We look after each other.\nCOURAGE. Again."
    )
    [problem] = problems(text)
    assert problem.line == line_of(text, "COURAGE")
    assert problem.message == (
        f"The value “COURAGE” appears twice (also on line {line_of(text, 'Courage.')}). Remove or rename one of them."
    )


def test_a_value_named_twice_without_descriptions():
    text = VALID.replace(
        "Courage. We speak up, even when it is hard.\nCare. We look after each other.",
        "Courage\nCare\nCourage",
    )
    [problem] = problems(text)
    assert problem.line == line_of(text, "Courage", 2)


def test_a_period_that_ends_before_it_starts():
    text = VALID.replace("2024-2026", "2026-2024")
    [problem] = problems(text)
    assert problem.line == 2 and "2026–2024 ends before it starts" in problem.message


def test_mixed_strategy_words():
    text = VALID.replace("Strategy 2:", "Goal 2:")
    [problem] = problems(text)
    assert problem.line == line_of(text, "Goal 2")
    assert "“Goal” but the first one says “Strategy”" in problem.message


def test_a_strategy_without_a_title():
    text = VALID.replace("Strategy 2: Safe places", "Strategy 2")
    [problem] = problems(text)
    assert problem.line == line_of(text, "Strategy 2") and "has no title" in problem.message


def test_an_objective_too_long_for_the_plan():
    text = VALID.replace("2. Win a youth transit pass", "2. Win a youth transit pass" + " and more" * 250)
    [problem] = problems(text)
    assert problem.line == line_of(text, "2. Win") and problem.message.startswith(
        "Objective 2.2 is 2274 characters long, but at most 2000 fit."
    )


def test_every_problem_is_reported_at_once_in_document_order():
    text = VALID.replace("Care. We look", "Courage. We look").replace("2. Train forty", "3. Train forty")
    text = text.replace("Strategy 2: Safe places", "Strategy 4: Safe places").replace("\n2. Win", "\n1. Win")
    text += "\nStrategy 5: Empty\n"
    found = problems(text)
    assert [p.line for p in found] == [
        line_of(text, "Courage. We look"),
        line_of(text, "3. Train"),
        line_of(text, "Strategy 4"),
        line_of(text, "1. Win"),
        line_of(text, "Strategy 5"),
    ]
    assert len(str(PlanParseError(found)).split("; ")) == 5


def test_missing_mission_vision_and_values_are_warnings():
    text = "Strategy 1: Youth voice\n1. Seat young people on every city board\n"
    plan = parse_plan(text)
    assert [w.line for w in plan.warnings] == [None, None, None]
    assert [w.message.split(" was")[0].split(" were")[0] for w in plan.warnings] == [
        "No mission",
        "No vision",
        "No values",
    ]


def test_problem_text_with_and_without_a_line():
    assert str(PlanProblem(12, "Something.")) == "Line 12: Something."
    assert str(PlanProblem(None, "Something.")) == "Something."


def test_messages_are_translated_strings():
    text = VALID.replace("2. Train forty", "4. Train forty").replace("Strategy 2:", "Strategy 3:")
    with translation.override("es"):
        found = problems(text)
        assert all(isinstance(str(p), str) and p.message for p in found)
        assert len(found) == 2
        with pytest.raises(PlanParseError):
            parse_plan(b"%PDF-1.4")
        assert parse_plan(VALID[VALID.index("Strategy 1") :]).warnings


# --- robustness --------------------------------------------------------------------------------

FRAGMENTS = [
    "", "", "\f", "Strategy 1", "Strategy 2: Title", "STRATEGY THREE", "Goal 1", "1. Objective text",
    "2) more", "1.1 text", "3.10", "2.", "Our Mission", "Vision:", "Values", "Courage. We act.", "• Joy",
    "- 3 -", "Page 2 of 9", "Strategic Plan", "2023-2026", "2026–2023", "equi-", "table", "soft\u00ad",
    "Theory of Change", "lower case words", "Contents ....... 3", "*", "1", "ﬁ", "\u200b", "\t",
]  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=30)), max_size=40),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_any_text_gives_a_plan_or_a_plan_parse_error(lines, newline):
    try:
        plan = parse_plan(newline.join(lines))
    except PlanParseError as error:
        assert error.problems and all(isinstance(p, PlanProblem) and p.message for p in error.problems)
    else:
        assert plan.strategies and all(s.objectives for s in plan.strategies)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_a_plan_or_a_plan_parse_error(data):
    try:
        parse_plan(data)
    except PlanParseError as error:
        assert error.problems


WORDS = [
    "build",
    "tenant",
    "power",
    "across",
    "the",
    "region",
    "fund",
    "local",
    "groups",
    "with",
    "care",
    "and",
]
VALUE_NAMES = ["Courage", "Care", "Joy", "Repair", "Solidarity", "Honesty", "Patience"]


@st.composite
def generated_plans(draw):
    """A valid plan in a random shape, and the structure it should read back as."""
    keyword = draw(st.sampled_from(["Strategy", "Goal", "Priority", "STRATEGY"]))
    prefixed = draw(st.booleans())
    wrap = draw(st.integers(min_value=3, max_value=12))
    counts = draw(st.lists(st.integers(min_value=1, max_value=12), min_size=1, max_size=7))
    names = draw(st.lists(st.sampled_from(VALUE_NAMES), min_size=1, max_size=5, unique=True))
    lines = [
        "Harbor Youth Collective",
        "Plan 2024–2026",
        "",
        "Our Mission",
        "",
        "We make room for young people to lead.",
        "",
    ]
    lines += ["Our Values", ""] + [f"{name}. We practise {name.lower()} every day." for name in names]
    expected = []
    for number, count in enumerate(counts, start=1):
        lines += ["", f"{keyword} {number}: Title {number}", ""]
        objectives = []
        for position in range(1, count + 1):
            words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=30))
            text = " ".join(["Work", *words])
            objectives.append(text)
            chunks = [" ".join(text.split()[i : i + wrap]) for i in range(0, len(text.split()), wrap)]
            number_text = f"{number}.{position}" if prefixed else f"{position}."
            lines.append(f"{number_text} {chunks[0]}")
            for chunk in chunks[1:]:
                if draw(st.integers(min_value=0, max_value=5)) == 0:  # a page break inside the objective
                    lines += [
                        "",
                        "",
                        "\fHarbor Youth Collective",
                        "Plan 2024–2026",
                        "",
                        str(draw(st.integers(1, 99))),
                        "",
                    ]
                lines.append(chunk)
        expected.append(objectives)
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join(lines), names, expected


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated_plans())
def test_generated_plans_read_back_exactly(case):
    text, names, expected = case
    plan = parse_plan(text)
    assert [v.name for v in plan.values] == names
    assert [[o.text for o in s.objectives] for s in plan.strategies] == expected
    assert [s.title for s in plan.strategies] == [f"Title {n}" for n in range(1, len(expected) + 1)]
    assert all(re.fullmatch(rf"{s.number}\.\d+", o.number) for s in plan.strategies for o in s.objectives)
    assert (plan.period_start_year, plan.period_end_year) == (2024, 2026)
