"""Plans: the list, importing a document (upload → preview → apply) as a new plan or as a revision,
the problems a malformed document shows, and a plan's settings."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commontable.core.audit import activity_for
from commontable.core.models import ImportBatch
from commontable.core.testing import assert_permission_matrix, login_as
from commontable.core.visibility import Visibility
from commontable.strategy.models import Objective, ObjectiveIndicator, Plan
from commontable.strategy.tests.factories import (
    BindingFactory,
    IndicatorFactory,
    MeasurementFactory,
    PlanFactory,
)

LIST = reverse("strategy:plan_list")
IMPORT = reverse("strategy:plan_import")


def upload(content: bytes, name: str = "plan.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/plain")


def preview_url(batch) -> str:
    return reverse("strategy:plan_import_preview", args=[batch.public_id])


def edit_url(plan) -> str:
    return reverse("strategy:plan_edit", args=[plan.slug])


def revised(text: bytes) -> bytes:
    """The plan with objective 1.1 reworded, 2.8 added and 4.5 dropped."""
    lines = text.decode().splitlines()
    out = []
    strategy = 0
    for line in lines:
        if line.startswith("Strategy "):
            strategy = int(line.split()[1])
        if strategy == 1 and line.startswith("1. Influence"):
            line = "1. Steer the large influx of public investments towards our communities"
        if strategy == 4 and line.startswith("5. "):
            continue
        out.append(line)
        if strategy == 2 and line.startswith("7. "):
            out.append("8. Hold a yearly assembly of every table")
    return "\n".join(out).encode()


def problems(response) -> list[str]:
    return [str(p) for p in response.context["problems"]]


# --- the list -------------------------------------------------------------------------------------


def test_plan_list_permission_matrix(client, personas, plan):
    assert_permission_matrix(client, personas, "get", LIST, {"anonymous": 302}, default=200)


def test_plan_list_shows_each_persona_the_plans_it_may_see(client, personas, plan):
    PlanFactory(title="Staff Draft", visibility=Visibility.STAFF)
    PlanFactory(title="Public Plan", visibility=Visibility.PUBLIC)
    login_as(client, personas, "public_user")
    body = client.get(LIST).content.decode()
    assert "Public Plan" in body and plan.title not in body and "Staff Draft" not in body
    login_as(client, personas, "member_a")
    body = client.get(LIST).content.decode()
    assert plan.title in body and "Staff Draft" not in body
    assert IMPORT not in body
    login_as(client, personas, "staff")
    body = client.get(LIST).content.decode()
    assert "Staff Draft" in body and IMPORT in body


def test_plan_list_queries_do_not_grow_with_plans(client, personas, django_assert_num_queries):
    previous = None
    for _n in range(6):
        previous = PlanFactory(predecessor=previous)
    login_as(client, personas, "member_a")
    # session, user, viewer (person, affiliations, tables), the plans with their predecessors.
    with django_assert_num_queries(6):
        client.get(LIST)


# --- importing ------------------------------------------------------------------------------------


def test_plan_import_permission_matrix(client, personas):
    assert_permission_matrix(
        client, personas, "get", IMPORT, {"anonymous": 302, "staff": 200, "admin": 200}, default=403
    )
    assert_permission_matrix(
        client, personas, "post", IMPORT, {"anonymous": 302, "staff": 400, "admin": 400}, data={}, default=403
    )


def test_plan_import_preview_permission_matrix(client, personas, plan_text):
    batch = ImportBatch.objects.create(
        kind="strategy.plan",
        filename="plan.txt",
        content=plan_text,
        sha256="x",
        summary={"options": {}},
        created_by=personas.user("staff"),
    )
    url = preview_url(batch)
    assert_permission_matrix(
        client, personas, "get", url, {"anonymous": 302, "staff": 200, "admin": 200}, default=403
    )
    assert not Plan.objects.exists()
    # Another kind of import is not found here.
    batch.kind = "directory.organizations"
    batch.save()
    login_as(client, personas, "staff")
    assert client.get(url).status_code == 404


def test_staff_import_a_new_plan_after_checking_it(client, personas, plan_text):
    login_as(client, personas, "staff")
    response = client.post(
        IMPORT, {"file": upload(plan_text, "alliance.txt"), "visibility": "public", "make_default": "on"}
    )
    assert response.status_code == 302
    batch = ImportBatch.objects.get(kind="strategy.plan")
    assert response["Location"] == preview_url(batch)
    assert not Plan.objects.exists()

    body = client.get(preview_url(batch)).content.decode()
    assert "This makes a new plan." in body
    assert "Strategy 4" in body and "Develop a written policy" in body and "Racial justice" in body
    assert not Plan.objects.exists()

    response = client.post(preview_url(batch))
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "strategy:plan_dashboard", args=[plan.slug]
    )
    assert (plan.visibility, plan.is_default, plan.source_name) == ("public", True, "alliance.txt")
    assert plan.objectives.count() == 20 and plan.values.count() == 7
    assert activity_for(plan).filter(action="strategy.plan.imported").exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED and batch.summary["plan"] == plan.slug

    # Applying the same upload again writes nothing more.
    assert client.post(preview_url(batch)).status_code == 200
    assert Plan.objects.count() == 1
    assert "This document was already imported." in client.get(preview_url(batch)).content.decode()


def test_another_staff_member_may_apply_an_upload_but_its_uploader_stays_the_only_non_staff(
    client, personas, plan_text
):
    login_as(client, personas, "staff")
    client.post(IMPORT, {"file": upload(plan_text), "visibility": "members"})
    batch = ImportBatch.objects.get()
    login_as(client, personas, "admin")
    assert client.post(preview_url(batch)).status_code == 302
    assert Plan.objects.count() == 1


def test_a_revision_lists_its_changes_then_keeps_bindings_and_archives_what_is_gone(
    client, personas, plan, plan_text
):
    kept = BindingFactory(objective=plan.objectives.get(number="2.1"), indicator=IndicatorFactory())
    MeasurementFactory(indicator=kept.indicator)
    gone = plan.objectives.get(number="4.5")
    gone_binding = BindingFactory(objective=gone, indicator=IndicatorFactory())
    login_as(client, personas, "staff")
    response = client.get(IMPORT, {"plan": plan.slug})
    assert response.context["form"]["plan"].value() == plan.slug

    response = client.post(
        IMPORT, {"file": upload(revised(plan_text)), "plan": plan.slug, "visibility": "members"}
    )
    batch = ImportBatch.objects.get()
    body = client.get(preview_url(batch)).content.decode()
    assert "This revises" in body
    changes = re.sub(r"\s+", " ", body.split("What changes")[1].split("What the document holds")[0])
    assert "Added</dt><dd>Objective 2.8" in changes
    assert "Text changed</dt><dd>Objective 1.1" in changes
    assert "Objective 4.5" in changes.split("Archived")[1]
    plan.refresh_from_db()
    assert plan.revision == 1 and plan.objectives.count() == 20

    response = client.post(preview_url(batch))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.revision == 2
    assert plan.objectives.get(number="1.1").text.startswith("Steer the large influx")
    assert plan.objectives.get(number="2.8").archived_at is None
    gone.refresh_from_db()
    assert gone.archived_at is not None
    kept.refresh_from_db()
    assert kept.archived_at is None and kept.objective.number == "2.1"
    assert ObjectiveIndicator.objects.filter(pk=gone_binding.pk).exists()
    assert activity_for(plan).filter(action="strategy.plan.revised").exists()
    # The archived objective is off the dashboard, but its page still opens.
    login_as(client, personas, "member_a")
    dashboard = client.get(reverse("strategy:plan_dashboard", args=[plan.slug]))
    assert "4.5" not in [
        row.objective.number for s in dashboard.context["board"].strategies for row in s.objectives
    ]
    assert client.get(reverse("strategy:objective_detail", args=[gone.public_id])).status_code == 200


def test_re_importing_the_same_document_changes_nothing(client, personas, plan, plan_text):
    login_as(client, personas, "staff")
    client.post(IMPORT, {"file": upload(plan_text), "plan": plan.slug, "visibility": "members"})
    body = client.get(preview_url(ImportBatch.objects.get())).content.decode()
    assert "Nothing: the document matches the plan as it is." in body


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "looks like a PNG file"),
        (b"%PDF-1.4\n" + bytes(range(256)), "looks like a PDF file"),
        (b"  \n\n\n", "The file is empty."),
    ],
)
def test_a_file_that_is_no_plan_text_is_refused_and_nothing_is_written(client, personas, content, expected):
    login_as(client, personas, "staff")
    response = client.post(IMPORT, {"file": upload(content), "visibility": "members"})
    assert response.status_code == 400
    assert any(expected in p for p in problems(response))
    assert expected in response.content.decode()
    assert not ImportBatch.objects.exists() and not Plan.objects.exists()


def test_an_empty_file_is_refused(client, personas):
    login_as(client, personas, "staff")
    response = client.post(IMPORT, {"file": upload(b""), "visibility": "members"})
    assert response.status_code == 400
    assert "file" in response.context["form"].errors
    assert not ImportBatch.objects.exists()


def test_every_problem_of_a_malformed_plan_is_shown_with_its_line(client, personas, plan_text):
    text = plan_text.decode()
    text = text.replace("2. Ensure there is authentic", "1. Ensure there is authentic", 1)
    text = text.replace("2. Create spaces for internal", "1. Create spaces for internal", 1)
    login_as(client, personas, "staff")
    response = client.post(IMPORT, {"file": upload(text.encode()), "visibility": "members"})
    assert response.status_code == 400
    found = problems(response)
    assert "Line 62: Objective 1.1 appears twice under Strategy 1 (also on line 61). Renumber or remove one of them." in found
    assert any(p.startswith("Line ") and "Objective 2.1 appears twice under Strategy 2" in p for p in found)
    assert len(found) >= 4
    body = response.content.decode()
    assert "The document could not be imported; nothing was written." in body
    for problem in found:
        assert problem.replace("“", "&ldquo;") in body or problem in body.replace("&#x27;", "'")
    assert not ImportBatch.objects.exists() and not Plan.objects.exists()


def test_a_file_larger_than_two_megabytes_is_refused(client, personas, plan_text):
    login_as(client, personas, "staff")
    big = plan_text + b"\n" + (b"Padding line of the plan.\n" * 125_000)
    assert len(big) > 3 * 1024 * 1024
    response = client.post(IMPORT, {"file": upload(big), "visibility": "members"})
    assert response.status_code == 400
    assert "larger than 2 MB" in " ".join(response.context["form"].errors["file"])
    assert not ImportBatch.objects.exists()


def test_a_period_must_be_whole_and_ordered(client, personas, plan_text):
    login_as(client, personas, "staff")
    response = client.post(
        IMPORT, {"file": upload(plan_text), "visibility": "members", "period_start": "2024-01-01"}
    )
    assert response.status_code == 400 and "period_end" in response.context["form"].errors
    response = client.post(
        IMPORT,
        {
            "file": upload(plan_text),
            "visibility": "members",
            "period_start": "2024-01-01",
            "period_end": "2023-01-01",
        },
    )
    assert response.status_code == 400 and "period_end" in response.context["form"].errors
    assert not ImportBatch.objects.exists()


def test_a_plan_cannot_be_only_for_a_table(client, personas, plan_text):
    login_as(client, personas, "staff")
    response = client.post(IMPORT, {"file": upload(plan_text), "visibility": "table"})
    assert response.status_code == 400 and "visibility" in response.context["form"].errors


def test_an_import_with_its_own_title_period_and_predecessor(client, personas, plan, plan_text):
    login_as(client, personas, "staff")
    client.post(
        IMPORT,
        {
            "file": upload(plan_text),
            "visibility": "staff",
            "title": "Next Plan",
            "period_start": "2027-01-01",
            "period_end": "2030-12-31",
            "predecessor": plan.slug,
        },
    )
    client.post(preview_url(ImportBatch.objects.get()))
    new = Plan.objects.get(title="Next Plan")
    assert (new.period_start.year, new.period_end.year, new.predecessor, new.visibility) == (
        2027,
        2030,
        plan,
        "staff",
    )
    assert new.slug != plan.slug
    plan.refresh_from_db()
    assert plan.is_default and not new.is_default


# --- settings -------------------------------------------------------------------------------------


def test_plan_edit_permission_matrix(client, personas, plan):
    expected = {"anonymous": 302, "public_user": 404, "staff": 200, "admin": 200}
    assert_permission_matrix(client, personas, "get", edit_url(plan), expected, default=403)
    assert_permission_matrix(
        client,
        personas,
        "post",
        edit_url(plan),
        {**expected, "staff": 400, "admin": 400},
        data={"title": ""},
        default=403,
    )


def test_staff_retitle_a_plan_and_open_it_to_the_public(client, personas, plan):
    login_as(client, personas, "staff")
    response = client.post(
        edit_url(plan), {"title": "Alliance Plan", "visibility": "public", "is_default": "on"}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.title, plan.visibility, plan.is_default) == ("Alliance Plan", "public", True)
    assert activity_for(plan).filter(action="strategy.plan.updated").exists()
    login_as(client, personas, "anonymous")
    assert client.get(reverse("strategy:plan_dashboard", args=[plan.slug])).status_code == 200


def test_making_a_plan_the_default_takes_it_from_the_other(client, personas, plan):
    other = PlanFactory(title="Other Plan")
    login_as(client, personas, "staff")
    response = client.post(
        edit_url(other), {"title": "Other Plan", "visibility": "members", "is_default": "on"}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    other.refresh_from_db()
    assert other.is_default and not plan.is_default
    assert Plan.objects.filter(is_default=True).count() == 1
    login_as(client, personas, "member_a")
    assert client.get(reverse("strategy:dashboard")).context["plan"] == other
    # Unticking it leaves no default: the dashboard opens the newest plan.
    login_as(client, personas, "staff")
    client.post(edit_url(other), {"title": "Other Plan", "visibility": "members"})
    assert not Plan.objects.filter(is_default=True).exists()


def test_a_plan_cannot_succeed_its_own_successor(client, personas, plan):
    second = PlanFactory(title="Second", predecessor=plan)
    third = PlanFactory(title="Third", predecessor=second)
    login_as(client, personas, "staff")
    response = client.post(
        edit_url(plan), {"title": plan.title, "visibility": "members", "predecessor": third.slug}
    )
    assert response.status_code == 400
    assert "predecessor" in response.context["form"].errors
    plan.refresh_from_db()
    assert plan.predecessor is None
    # Nor itself: it is not even offered.
    response = client.post(
        edit_url(plan), {"title": plan.title, "visibility": "members", "predecessor": plan.slug}
    )
    assert response.status_code == 400 and "predecessor" in response.context["form"].errors


def test_a_plan_may_succeed_an_earlier_one(client, personas, plan):
    earlier = PlanFactory(title="Earlier")
    login_as(client, personas, "staff")
    response = client.post(
        edit_url(plan), {"title": plan.title, "visibility": "members", "predecessor": earlier.slug}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.predecessor == earlier
    assert Objective.objects.filter(plan=plan).count() == 20


def test_a_document_without_a_period_asks_for_one_before_the_preview(client, personas, plan_text):
    text = plan_text.decode().replace("2023-2026", "").encode()
    login_as(client, personas, "staff")
    response = client.post(IMPORT, {"file": upload(text), "visibility": "members"})
    assert response.status_code == 400
    assert "names no period" in " ".join(response.context["form"].errors["period_start"])
    assert not ImportBatch.objects.exists()
    response = client.post(
        IMPORT,
        {
            "file": upload(text),
            "visibility": "members",
            "period_start": "2023-07-01",
            "period_end": "2026-06-30",
        },
    )
    assert response.status_code == 302
    client.post(preview_url(ImportBatch.objects.get()))
    assert Plan.objects.get().period_start.isoformat() == "2023-07-01"
