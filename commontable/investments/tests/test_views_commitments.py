"""Commitment pages: the list filtered by computed status (agreeing with the stated rules), category,
obligor and investment; recording one (staff); its page with reports, evidence and escalation;
reports by staff and representatives of engaged organisations, with evidence checked; escalation
one step at a time."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commontable.core.models import ActivityLog, StoredFile
from commontable.core.testing import assert_permission_matrix, login_as
from commontable.core.visibility import Visibility
from commontable.investments import selectors
from commontable.investments.choices import Compliance, Escalation
from commontable.investments.models import Commitment, CommitmentReport
from commontable.investments.pages import PAGES
from commontable.investments.tests.conftest import DAY, TODAY, pdf_upload
from commontable.investments.tests.factories import (
    CommitmentFactory,
    CommitmentReportFactory,
    InvestmentFactory,
    ObligorFactory,
)

LIST = reverse("investments:commitment_list")
MEMBERS_ONLY = {"anonymous": 302, "public_user": 403}


def url(name, commitment):
    return reverse(f"investments:{name}", args=[commitment.public_id])


def texts(response):
    return sorted(c.text for c in response.context["commitments"])


# --- list -----------------------------------------------------------------------------------------


def test_commitment_list_permission_matrix(client, personas, world):
    assert_permission_matrix(client, personas, "get", LIST, MEMBERS_ONLY, default=200)


def test_the_status_filter_agrees_with_the_stated_rules_for_every_status(client, personas, world):
    login_as(client, personas, "member_a")
    for status, commitment in world.commitments.items():
        response = client.get(LIST, {"status": status})
        assert texts(response) == [commitment.text], status
        assert [c.status for c in response.context["commitments"]] == [status]
        # …and it is the status the rules give on the commitment's own page
        assert client.get(url("commitment_detail", commitment)).context["page"].status == status
    assert client.get(LIST, {"status": "great"}).status_code == 400


def test_the_list_shows_only_commitments_on_investments_the_user_may_see(client, personas, world):
    CommitmentFactory(
        investment=world.hidden,
        text="Members-only promise on a staff-only investment",
        visibility=Visibility.MEMBERS,
    )
    login_as(client, personas, "member_b")
    assert len(texts(client.get(LIST))) == 5
    login_as(client, personas, "staff")
    assert len(texts(client.get(LIST))) == 7


def test_the_list_filters_by_category_obligor_and_investment(client, personas, world):
    other = InvestmentFactory(name="Stadium")
    CommitmentFactory(
        investment=other,
        text="Living wages at the stadium",
        category="wages",
        obligor=ObligorFactory(name="Stadium Authority"),
    )
    login_as(client, personas, "member_a")
    assert texts(client.get(LIST, {"category": "wages"})) == ["Living wages at the stadium"]
    assert len(texts(client.get(LIST, {"obligor": world.obligor.slug}))) == 5
    assert texts(client.get(LIST, {"investment": other.slug})) == ["Living wages at the stadium"]
    assert texts(client.get(LIST, {"investment": world.investment.slug, "status": "missed"})) == [
        "Missed: community space"
    ]


def test_the_list_exports_the_filtered_commitments_with_their_status(client, personas, world):
    login_as(client, personas, "member_a")
    response = client.get(LIST, {"status": "at_risk", "format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "Investment" and len(rows) == 2
    assert rows[1][1] == "At risk: BIPOC contracting" and rows[1][11] == "At risk"
    assert client.get(LIST, {"format": "xlsx"}).content[:2] == b"PK"


def test_list_queries_do_not_grow_with_rows(client, personas, world, django_assert_num_queries):
    for n in range(6):
        commitment = CommitmentFactory(investment=world.investment, obligor=ObligorFactory(), text=f"Row {n}")
        CommitmentReportFactory(commitment=commitment)
    login_as(client, personas, "member_a")
    client.get(LIST)  # warm the content-type cache
    PAGES.changed()  # a cold page: built from the data, not served from the page cache
    # session, user, the viewer kept in the cache (no query), the paginator's
    # count, the page's ids, the page of commitments with investment, obligor and status (stored,
    # or computed from the commitment's columns where it does not hold); the filter's choices: how
    # many investments (menu or text), obligors, investments.
    with django_assert_num_queries(8):
        response = client.get(LIST)
    assert len(response.context["commitments"]) == 11


# --- create ---------------------------------------------------------------------------------------


def create_url(investment):
    return reverse("investments:commitment_create", args=[investment.slug])


def commitment_data(world, **overrides):
    return {
        "source": "cba",
        "source_reference": "Section 4.2",
        "obligor": world.obligor.slug,
        "text": "40 units at 30% AMI",
        "category": "affordable_units",
        "ami_percent": "30",
        "direction": "at_least",
        "target": "40",
        "unit": "units",
        "starts_on": "2025-01-01",
        "deadline": "2028-01-01",
        "visibility": "public",
        **overrides,
    }


def test_commitment_create_permission_matrix(client, personas, world):
    create = create_url(world.investment)
    expected = {"anonymous": 302, "public_user": 404, "staff": 200, "admin": 200}
    assert_permission_matrix(client, personas, "get", create, expected, default=403)
    assert_permission_matrix(
        client, personas, "post", create, {**expected, "staff": 400, "admin": 400}, data={}, default=403
    )


def test_staff_record_a_commitment(client, personas, world):
    login_as(client, personas, "staff")
    response = client.post(create_url(world.investment), commitment_data(world))
    commitment = Commitment.objects.get(text="40 units at 30% AMI")
    assert response.status_code == 302 and response["Location"] == url("commitment_detail", commitment)
    assert (
        commitment.obligor == world.obligor
        and commitment.ami_percent == 30
        and commitment.visibility == Visibility.PUBLIC
    )
    assert ActivityLog.objects.filter(action="investments.commitment.created").exists()


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"deadline": "2024-12-31"}, "deadline", "must come after the commitment starts"),
        ({"target": "-3"}, "target", "cannot be negative"),
        ({"target": "NaN"}, "target", "not infinity"),
        ({"ami_percent": "250"}, "ami_percent", "less than or equal to 200"),
        ({"obligor": "no-such-organization"}, "obligor", "Select a valid choice"),
        ({"visibility": "table"}, "visibility_table", "Choose the table"),
    ],
)
def test_a_bad_commitment_is_refused_on_its_field(client, personas, world, overrides, field, message):
    login_as(client, personas, "staff")
    response = client.post(create_url(world.investment), commitment_data(world, **overrides))
    assert response.status_code == 400 and message in " ".join(response.context["form"].errors[field])
    assert not Commitment.objects.filter(text="40 units at 30% AMI").exists()


# --- detail ---------------------------------------------------------------------------------------


def test_commitment_detail_permission_matrix(client, personas, world):
    public = world.commitments[Compliance.MET]
    assert_permission_matrix(
        client, personas, "get", url("commitment_detail", public), MEMBERS_ONLY, default=200
    )
    assert_permission_matrix(
        client,
        personas,
        "get",
        url("commitment_detail", world.secret),
        {**MEMBERS_ONLY, "staff": 200, "admin": 200},
        default=404,
    )
    on_hidden = CommitmentFactory(investment=world.hidden, visibility=Visibility.MEMBERS)
    assert_permission_matrix(
        client,
        personas,
        "get",
        url("commitment_detail", on_hidden),
        {**MEMBERS_ONLY, "staff": 200, "admin": 200},
        default=404,
    )


def test_the_commitment_page_shows_reports_with_evidence_and_names_reporters_to_staff_only(
    client, personas, world
):
    missed = world.commitments[Compliance.MISSED]
    reporter = str(personas.user("staff"))
    login_as(client, personas, "member_b")
    response = client.get(url("commitment_detail", missed))
    body = response.content.decode()
    download = reverse("core:file_download", args=[world.report.evidence_file.public_id])
    assert download in body and "space-report.pdf (PDF file)" in body and ">Missed</span>" in body
    assert reporter not in body and "Reported by" not in body
    assert client.get(download).status_code == 200  # the evidence follows the commitment's visibility
    login_as(client, personas, "staff")
    body = client.get(url("commitment_detail", missed)).content.decode()
    assert reporter in body and "Activity" in body


def test_detail_queries_do_not_grow_with_reports(client, personas, world, django_assert_num_queries):
    commitment = world.commitments[Compliance.ON_TRACK]
    for n in range(6):
        CommitmentReportFactory(
            commitment=commitment, as_of=TODAY - (20 + n) * DAY, evidence_url=f"https://example.org/{n}"
        )
    login_as(client, personas, "member_a")
    client.get(url("commitment_detail", commitment))  # warm the content-type cache
    PAGES.changed()  # a cold page: built from the data, not served from the page cache
    # session, user, the viewer kept in the cache (no query), the commitment with its
    # investment and obligor, its reports with reporter and evidence file, its escalation steps,
    # whether the user represents an organisation engaged in the investment.
    with django_assert_num_queries(6):
        response = client.get(url("commitment_detail", commitment))
    assert len(response.context["page"].reports) == 7


# --- reports --------------------------------------------------------------------------------------


def test_commitment_report_add_permission_matrix(client, personas, world):
    report = url("commitment_report_add", world.commitments[Compliance.NO_DATA])
    # org A is engaged in the investment: its representative reports; org B's does not
    expected = {"anonymous": 302, "public_user": 404, "member_a": 200, "staff": 200, "admin": 200}
    assert_permission_matrix(client, personas, "get", report, expected, default=403)
    assert_permission_matrix(
        client,
        personas,
        "post",
        report,
        {**expected, "member_a": 400, "staff": 400, "admin": 400},
        data={},
        default=403,
    )


def test_a_representative_reports_with_a_link_and_the_status_follows(client, personas, world):
    commitment = world.commitments[Compliance.NO_DATA]
    login_as(client, personas, "member_a")
    assert (
        'enctype="multipart/form-data"'
        in client.get(url("commitment_report_add", commitment)).content.decode()
    )
    response = client.post(
        url("commitment_report_add", commitment),
        {"value": "100", "as_of": TODAY.isoformat(), "evidence_url": "https://example.org/fund.pdf"},
    )
    assert response.status_code == 302
    report = CommitmentReport.objects.get(commitment=commitment)
    assert (
        report.reported_by == personas.user("member_a")
        and report.evidence_url == "https://example.org/fund.pdf"
    )
    assert [c.text for c in selectors.commitment_list(personas.user("staff"), status=Compliance.MET)] == [
        "Met: 100 affordable units",
        commitment.text,
    ]


def test_staff_report_with_a_pdf_that_only_those_who_see_the_commitment_download(client, personas, world):
    commitment = world.commitments[Compliance.AT_RISK]
    login_as(client, personas, "staff")
    response = client.post(
        url("commitment_report_add", commitment),
        {"value": "70", "as_of": TODAY.isoformat(), "evidence_file": pdf_upload("audit.pdf")},
    )
    assert response.status_code == 302
    stored = CommitmentReport.objects.filter(commitment=commitment).latest("id").evidence_file
    assert stored.kind == "PDF"
    download = reverse("core:file_download", args=[stored.public_id])
    assert_permission_matrix(
        client, personas, "get", download, {"anonymous": 404, "public_user": 404}, default=200
    )


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"value": "-1"}, "value", "cannot be negative"),
        ({"value": "lots"}, "value", "Enter a number"),
        ({"as_of": "2099-01-01"}, "as_of", "cannot be in the future"),
        ({"as_of": "2000-01-01"}, "as_of", "before the commitment starts"),
        ({"evidence_url": "javascript:alert(1)"}, "evidence_url", "Enter a valid URL"),
    ],
)
def test_a_bad_report_is_refused_on_its_field(client, personas, world, data, field, message):
    login_as(client, personas, "member_a")
    commitment = world.commitments[Compliance.NO_DATA]
    response = client.post(
        url("commitment_report_add", commitment), {"value": "5", "as_of": TODAY.isoformat(), **data}
    )
    assert response.status_code == 400 and message in " ".join(response.context["form"].errors[field])
    assert not CommitmentReport.objects.filter(commitment=commitment).exists()


@pytest.mark.parametrize(
    "name, content",
    [
        ("report.pdf", b"<html><script>alert(1)</script></html>"),
        ("chart.pdf", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ],
)
def test_evidence_that_is_not_what_it_claims_is_refused_and_nothing_is_kept(
    client, personas, world, name, content
):
    login_as(client, personas, "member_a")
    commitment = world.commitments[Compliance.NO_DATA]
    fake = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client.post(
        url("commitment_report_add", commitment),
        {"value": "5", "as_of": TODAY.isoformat(), "evidence_file": fake},
    )
    assert response.status_code == 400
    assert "HTML or SVG" in " ".join(response.context["form"].errors["evidence_file"])
    assert not CommitmentReport.objects.filter(commitment=commitment).exists()
    assert StoredFile.objects.count() == 1  # only the fixture's report


def test_evidence_over_the_size_limit_is_refused(client, personas, world, settings):
    settings.COMMONTABLE_UPLOAD_MAX_BYTES = 20
    login_as(client, personas, "staff")
    commitment = world.commitments[Compliance.NO_DATA]
    response = client.post(
        url("commitment_report_add", commitment),
        {"value": "5", "as_of": TODAY.isoformat(), "evidence_file": pdf_upload()},
    )
    assert response.status_code == 400 and "the limit is" in " ".join(
        response.context["form"].errors["evidence_file"]
    )


# --- escalation -----------------------------------------------------------------------------------


def test_commitment_escalate_permission_matrix(client, personas, world):
    escalate = url("commitment_escalate", world.commitments[Compliance.MISSED])
    expected = {"anonymous": 302, "public_user": 404, "staff": 200, "admin": 200}
    assert_permission_matrix(client, personas, "get", escalate, expected, default=403)
    assert_permission_matrix(
        client, personas, "post", escalate, {**expected, "staff": 400, "admin": 400}, data={}, default=403
    )


def test_only_the_next_steps_are_offered_and_each_step_is_audited(client, personas, world):
    commitment = world.commitments[Compliance.MISSED]
    escalate = url("commitment_escalate", commitment)
    login_as(client, personas, "staff")

    def offered():
        return [value for value, _label in client.get(escalate).context["form"].fields["step"].choices]

    assert offered() == [Escalation.FLAGGED]
    assert (
        client.post(
            escalate, {"step": "flagged", "on": TODAY.isoformat(), "note": "Missed by 60"}
        ).status_code
        == 302
    )
    assert offered() == [Escalation.LETTER_SENT, Escalation.RESOLVED]
    assert client.post(escalate, {"step": "letter_sent", "on": TODAY.isoformat()}).status_code == 302
    commitment.refresh_from_db()
    assert commitment.escalation == Escalation.LETTER_SENT
    assert ActivityLog.objects.filter(action="investments.commitment.escalated").count() == 2
    body = client.get(url("commitment_detail", commitment)).content.decode()
    assert "Missed by 60" in body and "Letter sent" in body


def test_a_skipped_escalation_step_is_refused(client, personas, world):
    commitment = world.commitments[Compliance.MISSED]
    login_as(client, personas, "staff")
    response = client.post(
        url("commitment_escalate", commitment), {"step": "public", "on": TODAY.isoformat()}
    )
    assert response.status_code == 400 and "no step may be skipped" in " ".join(
        response.context["form"].errors["step"]
    )
    response = client.post(url("commitment_escalate", commitment), {"step": "flagged", "on": "2099-01-01"})
    assert response.status_code == 400 and "future" in " ".join(response.context["form"].errors["on"])
    commitment.refresh_from_db()
    assert commitment.escalation == Escalation.NONE and not commitment.escalation_steps.exists()
