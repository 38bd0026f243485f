"""Plans written in the interface's other languages import like English ones, and the plan's own
text carries its language on pages (WCAG 3.1.2), so a screen reader reads a Spanish plan in Spanish
on an English page and needs no extra markup on a Spanish one."""

from pathlib import Path

import pytest
from django.urls import reverse

from commontable.core.testing import login_as
from commontable.strategy import services
from commontable.strategy.plan_parser import parse_plan
from commontable.strategy.plan_text import heading_language
from commontable.strategy.tests.conftest import BUNDLED_PLAN

PLANS = Path(__file__).parent / "plans"


@pytest.mark.parametrize(
    ("name", "language", "period", "values", "objectives"),
    [
        ("valle-plan-estrategico-es.txt", "es", (2024, 2027), ["Justicia racial", "Poder comunitario", "Alegría"], ["1.1", "1.2", "2.1", "2.2", "2.3"]),
        ("webiga-qorshe-so.txt", "so", (2025, 2028), ["Caddaalad", "Awoodda bulshada"], ["1.1", "1.2", "2.1"]),
        ("dej-npaj-hmn.txt", "hmn", (2025, 2028), ["Kev ncaj ncees", "Lub zog ntawm zej zog"], ["1.1", "1.2", "2.1"]),
    ],
)  # fmt: skip
def test_a_plan_with_headings_in_another_language_imports_whole(name, language, period, values, objectives):
    plan = parse_plan((PLANS / name).read_bytes())
    assert plan.language == language
    assert (plan.period_start_year, plan.period_end_year) == period
    assert plan.mission and plan.vision
    assert [v.name for v in plan.values] == values
    assert [o.number for s in plan.strategies for o in s.objectives] == objectives
    assert not plan.warnings


def test_spanish_page_numbers_contents_and_continued_headings_are_not_plan_text():
    plan = parse_plan((PLANS / "valle-plan-estrategico-es.txt").read_bytes())
    texts = [plan.mission, plan.vision, *(o.text for s in plan.strategies for o in s.objectives)]
    assert not any("Página" in text or "continuación" in text or "Índice" in text for text in texts)
    # "Estrategia uno (continuación)" on the next page continues strategy 1, it is no new strategy.
    assert [s.number for s in plan.strategies] == [1, 2]
    assert plan.strategies[0].title == "Dirigir la inversión pública hacia beneficios comunitarios"


def test_the_english_plan_is_english():
    assert parse_plan(BUNDLED_PLAN.read_bytes()).language == "en"


@pytest.mark.parametrize(
    ("heading", "language"),
    [("Our Mission", "en"), ("Nuestra Visión", "es"), ("Qiyamka", "so"), ("Tswv Yim 2", "hmn"), ("Theory of Change", None)],
)
def test_heading_language(heading, language):
    assert heading_language(heading) == language


def test_a_plan_without_recognised_headings_in_any_language_is_refused_as_before():
    with pytest.raises(Exception, match="strateg"):
        parse_plan(b"Plan\n\nUnas palabras sin encabezados.\n")


@pytest.mark.django_db
def test_import_records_the_language_and_pages_mark_the_plans_text(client, personas):
    plan, _ = services.plan_import(
        data=(PLANS / "valle-plan-estrategico-es.txt").read_bytes(), actor=None, make_default=True
    )
    assert plan.language == "es"
    login_as(client, personas, "staff")
    english = client.get(reverse("strategy:dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<span lang="es">Dar seguimiento a cada inversión pública' in english
    assert '<p lang="es">La Coalición del Valle' in english
    objective = plan.objectives.get(number="1.1")
    page = client.get(reverse("strategy:objective_detail", args=[objective.public_id])).content.decode()
    assert '<span lang="es">Dar seguimiento' in page
    # On a Spanish page the plan's text is in the page's language: no extra markup.
    staff = personas.user("staff")
    staff.preferred_language = "es"
    staff.save()
    spanish = client.get(reverse("strategy:dashboard")).content.decode()
    assert 'lang="es">Dar seguimiento' not in spanish
    assert "Dar seguimiento a cada inversión pública" in spanish


@pytest.mark.django_db
def test_a_revision_in_another_language_updates_the_language():
    plan, _ = services.plan_import(data=BUNDLED_PLAN.read_bytes(), actor=None)
    assert plan.language == "en"
    plan, _ = services.plan_import(data=(PLANS / "valle-plan-estrategico-es.txt").read_bytes(), actor=None, plan=plan)
    plan.refresh_from_db()
    assert plan.language == "es"
