"""The investment import pages: who may use them, upload → preview → apply, refusals."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from commontable.core.imports import get_import, import_batch_create
from commontable.core.models import ImportBatch
from commontable.core.testing import assert_permission_matrix, login_as
from commontable.investments.models import FundingSource, Investment
from commontable.investments.tests.test_imports import SAMPLES, region  # noqa: F401  (the region fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("region")]
PLAN = SAMPLES / "capital_plan_by_year_columns.csv"
AWARDS = SAMPLES / "Assistance_PrimeAwardSummaries_sample.csv"
STAFF_ONLY = {"anonymous": 302, "staff": 200, "admin": 200}


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def _batch(path=PLAN, kind="capital-plan"):
    batch, _preview = import_batch_create(spec=get_import(kind), data=path.read_bytes(), filename=path.name, actor=None)
    return batch


@pytest.mark.parametrize("format", ["capital-plan", "usaspending"])
def test_only_staff_open_the_upload_page(client, personas, format):
    url = reverse("investments:investment_import", args=[format])
    assert_permission_matrix(client, personas, "get", url, STAFF_ONLY, default=403)


def test_an_unknown_format_is_404(client, personas):
    login_as(client, personas, "staff")
    assert client.get(reverse("investments:investment_import", args=["people"])).status_code == 404


def test_only_staff_see_a_preview_others_get_404_or_the_login(client, personas):
    url = reverse("investments:investment_import_detail", args=[_batch().public_id])
    assert_permission_matrix(client, personas, "get", url, {"anonymous": 302, "staff": 200, "admin": 200}, default=404)


def test_only_staff_apply(client, personas):
    batch = _batch()
    url = reverse("investments:investment_import_apply", args=[batch.public_id])
    expected = {"anonymous": 302, "staff": 302, "admin": 302}
    assert_permission_matrix(client, personas, "post", url, expected, default=404)
    assert Investment.objects.count() == 3  # staff applied it; the second apply was refused


def test_an_unknown_import_is_404(client, personas):
    login_as(client, personas, "staff")
    url = reverse("investments:investment_import_detail", args=[uuid.uuid4()])
    assert client.get(url).status_code == 404


def test_upload_preview_apply_happy_path(client, personas):
    login_as(client, personas, "staff")
    page = client.get(reverse("investments:investment_import", args=["capital-plan"]))
    assert b"Project ID" in page.content or b"project_id" in page.content
    response = client.post(reverse("investments:investment_import", args=["capital-plan"]),
                           {"file": SimpleUploadedFile(PLAN.name, PLAN.read_bytes(), content_type="text/csv")})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/imports/{batch.public_id}/")
    preview = client.get(response["Location"])
    assert "Ready to import" in preview.text and "3 new" in preview.text
    assert "Lake Street Reconstruction" in preview.text
    assert not Investment.objects.exists()
    applied = client.post(reverse("investments:investment_import_apply", args=[batch.public_id]), follow=True)
    assert "Imported: 3 new" in applied.text
    assert Investment.objects.count() == 3 and FundingSource.objects.count() == 7


def test_the_award_preview_labels_skipped_rows(client, personas):
    login_as(client, personas, "staff")
    response = client.get(reverse("investments:investment_import_detail", args=[_batch(AWARDS, "usaspending").public_id]))
    assert "2 skipped" in response.text
    assert "Skipped: performed in another state (FIPS 55)." in response.text
    skipped = client.get(reverse("investments:investment_import_detail", args=[_batch(AWARDS, "usaspending").public_id]),
                         {"show": "skipped"}, headers={"HX-Request": "true"})
    assert skipped.status_code == 200 and "MADISON" in skipped.text and "<h1>" not in skipped.text


def test_a_file_with_errors_shows_them_and_cannot_be_applied(client, personas):
    login_as(client, personas, "staff")
    bad = PLAN.read_text().replace('"$1,250,000.00"', '"(1,250,000)"').encode()
    response = client.post(reverse("investments:investment_import", args=["capital-plan"]),
                           {"file": SimpleUploadedFile("bad.csv", bad, content_type="text/csv")}, follow=True)
    assert "1 problem must be fixed" in response.text
    assert "The amount cannot be negative." in response.text
    batch = ImportBatch.objects.get()
    client.post(reverse("investments:investment_import_apply", args=[batch.public_id]))
    assert not Investment.objects.exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED


@pytest.mark.parametrize(("content", "message"), [
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n" + bytes(64), "PNG"),
])
def test_an_unreadable_upload_is_refused_on_the_upload_page(client, personas, content, message):
    login_as(client, personas, "staff")
    response = client.post(reverse("investments:investment_import", args=["capital-plan"]),
                           {"file": SimpleUploadedFile("plan.csv", content, content_type="text/csv")})
    assert response.status_code == 400
    assert message.lower() in response.text.lower()
    assert not ImportBatch.objects.exists()


def test_the_investment_list_offers_imports_to_staff_only(client, personas):
    url = reverse("investments:investment_list")
    login_as(client, personas, "staff")
    assert reverse("investments:investment_import", args=["usaspending"]) in client.get(url).text
    login_as(client, personas, "member_a")
    assert reverse("investments:investment_import", args=["usaspending"]) not in client.get(url).text


def test_a_file_over_the_upload_limit_is_refused_before_it_is_read(client, personas, settings):
    settings.COMMONTABLE_UPLOAD_MAX_BYTES = 1_000
    login_as(client, personas, "staff")
    response = client.post(reverse("investments:investment_import", args=["capital-plan"]),
                           {"file": SimpleUploadedFile("plan.csv", PLAN.read_bytes() * 10, content_type="text/csv")})
    assert response.status_code == 400 and "the limit is" in response.text
    assert not ImportBatch.objects.exists()


def test_a_utf8_file_with_a_bom_and_semicolons_is_read(client, personas):
    login_as(client, personas, "staff")
    data = "\ufeffProject ID;Project Name;Department;2026\r\nA-1;Plaza Café;Obras Públicas;100\r\n".encode()
    response = client.post(reverse("investments:investment_import", args=["capital-plan"]),
                           {"file": SimpleUploadedFile("plan.csv", data, content_type="text/csv")}, follow=True)
    assert "Ready to import" in response.text and "Plaza Café" in response.text


@pytest.mark.parametrize("format", ["capital-plan", "usaspending"])
def test_only_staff_download_the_example_file(client, personas, format):
    url = reverse("investments:investment_import_example", args=[format])
    assert_permission_matrix(client, personas, "get", url, STAFF_ONLY, default=403)
    login_as(client, personas, "staff")
    response = client.get(url)
    assert response["Content-Disposition"].startswith("attachment;")
    assert get_import(format).column("investment" if format == "usaspending" else "project_id")
    assert response.content.startswith(b"assistance_award_unique_key," if format == "usaspending" else b"Project ID,")
