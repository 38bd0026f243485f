"""Board reports: making one (staff), the list, the report as a page and as a PDF for whoever may
see it, figures frozen when it was made, and the report in the reader's language."""

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext

from commontable.core.audit import activity_for
from commontable.core.testing import assert_permission_matrix, login_as
from commontable.core.visibility import Visibility
from commontable.strategy import selectors, services
from commontable.strategy.choices import ActionItemStatus, Status
from commontable.strategy.models import BoardReport
from commontable.strategy.tests.factories import (
    ActionItemFactory,
    BindingFactory,
    BoardReportFactory,
    IndicatorFactory,
    MeasurementFactory,
    PlanFactory,
)

LIST = reverse("strategy:board_report_list")


def create_url(plan):
    return reverse("strategy:board_report_create", args=[plan.slug])


def detail(report):
    return reverse("strategy:board_report_detail", args=[report.public_id])


def pdf(report):
    return reverse("strategy:board_report_pdf", args=[report.public_id])


def make_report(plan, **kwargs):
    today = timezone.localdate()
    return services.board_report_create(
        actor=None,
        plan=plan,
        period_start=kwargs.pop("period_start", today - dt.timedelta(days=90)),
        period_end=kwargs.pop("period_end", today),
        **kwargs,
    )


def report_figure(data, number):
    for strategy in data["strategies"]:
        for objective in strategy["objectives"]:
            if objective["number"] == number:
                return objective["figures"][0]
    raise AssertionError(f"objective {number} is not in the report")


@pytest.fixture(scope="module")
def _compiled_catalogs():
    """The .mo files are not committed: compile any that are missing or older than their .po."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt is not installed")
    changed = False
    for po in Path(settings.LOCALE_PATHS[0]).glob("*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            subprocess.run([msgfmt, "-o", str(mo), str(po)], check=True)  # noqa: S603
            changed = True
    if changed:
        from django.utils.translation import trans_real

        trans_real._translations = {}
        trans_real._default = None


# --- making a report ------------------------------------------------------------------------------


def test_board_report_create_permission_matrix(client, personas, plan):
    expected = {"anonymous": 302, "public_user": 404, "staff": 200, "admin": 200}
    assert_permission_matrix(client, personas, "get", create_url(plan), expected, default=403)
    assert_permission_matrix(
        client,
        personas,
        "post",
        create_url(plan),
        {**expected, "staff": 400, "admin": 400},
        data={},
        default=403,
    )
    assert not BoardReport.objects.exists()


def test_board_report_create_on_a_hidden_plan_answers_404(client, personas):
    hidden = PlanFactory(visibility=Visibility.STAFF)
    assert_permission_matrix(
        client,
        personas,
        "get",
        create_url(hidden),
        {"anonymous": 302, "staff": 200, "admin": 200},
        default=404,
    )


def test_staff_make_a_report(client, personas, plan):
    login_as(client, personas, "staff")
    form = client.get(create_url(plan)).context["form"]
    assert form.initial["period_end"] == timezone.localdate()
    response = client.post(
        create_url(plan),
        {
            "period_start": "2026-07-01",
            "period_end": "2026-09-30",
            "visibility": "members",
        },
    )
    report = BoardReport.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(report)
    assert report.title == "Board report, 2026-07-01 to 2026-09-30"
    assert report.created_by == personas.user("staff")
    assert report.data["as_of"] == "2026-09-30"
    assert len(report.data["strategies"]) == 4
    assert activity_for(report).filter(action="strategy.board-report.created").exists()


def test_a_report_period_must_not_end_before_it_starts(client, personas, plan):
    login_as(client, personas, "staff")
    response = client.post(
        create_url(plan),
        {
            "period_start": "2026-07-01",
            "period_end": "2026-06-30",
            "visibility": "members",
        },
    )
    assert response.status_code == 400
    assert "period_end" in response.context["form"].errors
    assert not BoardReport.objects.exists()


def test_a_report_period_cannot_start_in_the_future(client, personas, plan):
    login_as(client, personas, "staff")
    start = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        create_url(plan),
        {
            "period_start": start.isoformat(),
            "period_end": (start + dt.timedelta(days=30)).isoformat(),
            "visibility": "members",
        },
    )
    assert response.status_code == 400
    assert "period_start" in response.context["form"].errors


def test_a_report_cannot_be_only_for_a_table(client, personas, plan):
    login_as(client, personas, "staff")
    response = client.post(
        create_url(plan),
        {
            "period_start": "2026-07-01",
            "period_end": "2026-09-30",
            "visibility": "table",
        },
    )
    assert response.status_code == 400 and "visibility" in response.context["form"].errors


# --- the list -------------------------------------------------------------------------------------


def test_board_report_list_permission_matrix(client, personas):
    assert_permission_matrix(
        client, personas, "get", LIST, {"anonymous": 302, "public_user": 403}, default=200
    )


def test_the_list_shows_only_reports_the_user_may_see(client, personas, plan):
    make_report(plan, title="Members Report")
    make_report(plan, title="Staff Report", visibility=Visibility.STAFF)
    make_report(
        PlanFactory(visibility=Visibility.STAFF),
        title="Report of a Staff Plan",
        visibility=Visibility.MEMBERS,
    )
    login_as(client, personas, "member_a")
    body = client.get(LIST).content.decode()
    assert "Members Report" in body
    assert "Staff Report" not in body and "Report of a Staff Plan" not in body
    login_as(client, personas, "staff")
    body = client.get(LIST).content.decode()
    assert "Staff Report" in body and "Report of a Staff Plan" in body


def test_list_queries_do_not_grow_with_reports(client, personas, plan, django_assert_num_queries):
    for _n in range(6):
        BoardReportFactory(plan=plan, created_by=personas.user("staff"))
    login_as(client, personas, "member_a")
    # session, user, viewer (person, affiliations, tables), the count, the page of reports with
    # their plans and makers.
    with django_assert_num_queries(7):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == 6


# --- the report as a page and a PDF ---------------------------------------------------------------


def test_report_page_and_pdf_permission_matrix(client, personas, plan):
    report = make_report(plan)
    expected = {"anonymous": 302, "public_user": 404}
    assert_permission_matrix(client, personas, "get", detail(report), expected, default=200)
    assert_permission_matrix(client, personas, "get", pdf(report), expected, default=200)


def test_a_staff_only_report_answers_404_to_members(client, personas, plan):
    report = make_report(plan, visibility=Visibility.STAFF)
    expected = {"anonymous": 302, "staff": 200, "admin": 200}
    assert_permission_matrix(client, personas, "get", detail(report), expected, default=404)
    assert_permission_matrix(client, personas, "get", pdf(report), expected, default=404)


def test_a_public_report_of_a_members_plan_stays_with_members(client, personas, plan):
    report = make_report(plan, visibility=Visibility.PUBLIC)
    assert_permission_matrix(
        client, personas, "get", detail(report), {"anonymous": 302, "public_user": 404}, default=200
    )


def test_the_pdf_is_a_pdf_download(client, personas, plan):
    report = make_report(plan, period_end=dt.date(2026, 9, 30), period_start=dt.date(2026, 7, 1))
    login_as(client, personas, "member_a")
    response = client.get(pdf(report))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"{plan.slug}-2026-09-30.pdf" in disposition


def test_the_report_page_shows_the_plan_and_every_objective(client, personas, plan):
    report = make_report(plan, title="Autumn Report")
    login_as(client, personas, "member_a")
    body = client.get(detail(report)).content.decode()
    assert "Autumn Report" in body and plan.title in body
    assert "2.7 Support the development of a shared vision for self-care" in body
    assert pdf(report) in body


def test_report_figures_are_frozen_when_it_is_made(client, personas, plan, objective):
    services.binding_create(
        actor=None,
        objective=objective,
        indicator=services.indicator_for_key("strategy.action_items_done"),
        target_value="10",
    )
    ActionItemFactory.create_batch(2, status=ActionItemStatus.DONE, objectives=[objective])
    login_as(client, personas, "staff")
    today = timezone.localdate()
    client.post(
        create_url(plan),
        {
            "period_start": (today - dt.timedelta(days=30)).isoformat(),
            "period_end": today.isoformat(),
            "visibility": "members",
        },
    )
    report = BoardReport.objects.get()
    ActionItemFactory(status=ActionItemStatus.DONE, objectives=[objective])

    login_as(client, personas, "member_a")
    page = client.get(detail(report))
    assert report_figure(page.context["data"], "2.1")["value"] == 2
    row = page.content.decode().split("Action items done")[1].split("</tr>")[0]
    assert "<td>2</td>" in row and "<td>3</td>" not in row

    dashboard = client.get(reverse("strategy:plan_dashboard", args=[plan.slug]))
    figure = next(f for s in dashboard.context["board"].strategies for o in s.objectives for f in o.figures)
    assert figure.current.value == 3
    # The dashboard tells what changed since that report.
    assert (figure.before, figure.change) == (2, 1)
    assert ">+1<" in dashboard.content.decode()


def test_a_hand_measured_figure_is_frozen_too(client, personas, plan, objective):
    indicator = IndicatorFactory(label="Check-ins")
    BindingFactory(objective=objective, indicator=indicator)
    MeasurementFactory(indicator=indicator, value=5)
    report = make_report(plan)
    MeasurementFactory(indicator=indicator, value=9)
    login_as(client, personas, "member_a")
    assert report_figure(client.get(detail(report)).context["data"], "2.1")["value"] == 5


# --- the reader's language ------------------------------------------------------------------------


@pytest.mark.usefixtures("_compiled_catalogs")
def test_the_report_page_is_in_the_readers_language(client, personas, plan, objective):
    indicator = IndicatorFactory(label="Check-ins")
    BindingFactory(objective=objective, indicator=indicator)
    MeasurementFactory(
        indicator=indicator, value=50, measured_on=timezone.localdate() - dt.timedelta(days=200)
    )
    report = make_report(plan)
    assert report_figure(report.data, "2.1")["status"] == Status.STALE
    reader = personas.user("member_a")
    reader.preferred_language = "es"
    reader.save()
    login_as(client, personas, "member_a")
    body = client.get(detail(report)).content.decode()
    with translation.override("es"):
        stale, none = str(Status.STALE.label), str(Status.NO_INDICATOR.label)
        change, verb = pgettext("difference between two figures", "Change"), gettext("Change")
    assert (stale, none) != ("Stale", "No indicator yet")
    assert stale in body and none in body
    assert ">Stale<" not in body and "No indicator yet" not in body
    # "Change" is the difference between two figures here, not the verb.
    assert change != verb
    assert f">{change}<" in body and f">{verb}<" not in body
    # The frozen texts of the plan stay as they were written.
    assert objective.text in body


@pytest.mark.usefixtures("_compiled_catalogs")
def test_the_report_body_renders_status_labels_in_the_active_language(personas, plan):
    report = make_report(plan)
    context = {
        "report": report,
        "data": selectors.board_report_view(report),
        "status_labels": dict(Status.choices),
    }
    english = render_to_string("strategy/_board_report_body.html", context)
    with translation.override("es"):
        spanish = render_to_string("strategy/_board_report_body.html", context)
        none = str(Status.NO_INDICATOR.label)
    assert "No indicator yet" in english
    assert none in spanish and "No indicator yet" not in spanish
