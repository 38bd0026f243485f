"""Stored files follow the visibility of the record they belong to (here, an organisation)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commontable.core.audit import activity_for
from commontable.core.models import StoredFile
from commontable.core.services import stored_file_create
from commontable.core.testing import assert_permission_matrix
from commontable.core.visibility import Visibility
from commontable.directory.tests.factories import OrganizationFactory

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF"


@pytest.fixture
def staff_only_file(personas):
    org = OrganizationFactory(visibility=Visibility.STAFF)
    return stored_file_create(actor=personas.user("staff"), owner=org, uploaded=SimpleUploadedFile("cba.pdf", PDF))


def test_storing_a_file_is_audited_on_its_owner(personas):
    stored = stored_file_create(actor=None, owner=personas.org_a, uploaded=SimpleUploadedFile("minutes.pdf", PDF))
    assert stored.kind == "PDF" and stored.size == len(PDF)
    assert activity_for(personas.org_a).filter(action="core.file.uploaded").exists()


def test_a_refused_file_leaves_nothing_behind(personas):
    with pytest.raises(ValidationError):
        stored_file_create(actor=None, owner=personas.org_a, uploaded=SimpleUploadedFile("x.pdf", b"<svg/>"))
    assert not StoredFile.objects.exists()


def test_download_follows_the_owners_visibility(client, personas):
    stored = stored_file_create(actor=None, owner=personas.org_a, uploaded=SimpleUploadedFile("minutes.pdf", PDF))
    url = reverse("core:file_download", args=[stored.public_id])
    expected = {"anonymous": 404, "public_user": 404}
    assert_permission_matrix(client, personas, "get", url, expected, default=200)


def test_staff_only_files_are_hidden_from_members(client, personas, staff_only_file):
    url = reverse("core:file_download", args=[staff_only_file.public_id])
    expected = {"staff": 200, "admin": 200}
    assert_permission_matrix(client, personas, "get", url, expected, default=404)


def test_downloads_are_attachments_that_are_never_sniffed(client, personas, staff_only_file):
    client.force_login(personas.user("staff"))
    response = client.get(reverse("core:file_download", args=[staff_only_file.public_id]))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF
