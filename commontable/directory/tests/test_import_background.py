"""Applying an import in the background: the progress page, all or nothing still, and a refusal
shown to the person with nothing written."""

import pytest
from django.db import DatabaseError
from django.urls import reverse

from commontable.core import imports
from commontable.core.imports import get_import, import_batch_apply, import_batch_create, import_progress
from commontable.core.models import ImportBatch
from commontable.core.testing import assert_permission_matrix, login_as
from commontable.directory.models import Person

PEOPLE = (
    b"full_name,email,organization\n"
    b"Kaltun Warsame,kaltun@example.org,org-a\n"
    b"Pa Houa Yang,pahoua@example.org,org-a\n"
    b"Rosa Itzel Cruz,rosa@example.org,org-b\n"
)


@pytest.fixture
def batch(personas):
    batch, preview = import_batch_create(
        spec=get_import("people"), data=PEOPLE, filename="people.csv", actor=personas.user("staff")
    )
    assert not preview.has_errors
    return batch


def gone_from_the_file(organization):
    """The file names this organisation; after the preview it is renamed out of reach."""
    organization.slug, organization.name, organization.name_folded = "zeta-renamed", "Zeta Renamed", "zeta renamed"
    organization.save()


def start(client, batch):
    return client.post(reverse("core:import_apply_background", args=[batch.public_id]))


def progress_url(batch):
    return reverse("core:import_progress", args=[batch.public_id])


def test_a_background_import_writes_every_row_and_says_so(client, personas, batch, django_capture_on_commit_callbacks):
    login_as(client, personas, "staff")
    with django_capture_on_commit_callbacks(execute=True):
        response = start(client, batch)
    assert response.status_code == 302 and response["Location"] == progress_url(batch)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED
    assert Person.objects.filter(email__in=["kaltun@example.org", "pahoua@example.org", "rosa@example.org"]).count() == 3
    page = client.get(progress_url(batch)).content.decode()
    assert 'value="100"' in page and "Imported: 3 new" in page
    assert "hx-trigger" not in page  # finished: no more polling
    assert reverse("core:import_detail", args=[batch.public_id]) in page


def test_a_queued_import_shows_its_progress_and_asks_again(client, personas, batch, django_capture_on_commit_callbacks):
    login_as(client, personas, "staff")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        start(client, batch)
    assert len(callbacks) == 1  # enqueued only once the request's transaction commits
    page = client.get(progress_url(batch)).content.decode()
    assert "Waiting for its turn." in page and 'value="0"' in page
    assert 'hx-trigger="every 2s"' in page and "Check again" in page
    partial = client.get(progress_url(batch), headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and 'id="import-progress"' in partial
    assert Person.objects.filter(email="kaltun@example.org").count() == 0


def test_the_stages_are_reported_in_order(personas, batch):
    stages = []
    import_batch_apply(batch=batch, actor=personas.user("staff"), progress=stages.append)
    assert stages == [imports.STAGE_CHECKING, imports.STAGE_WRITING]


def test_a_file_that_went_wrong_since_the_preview_writes_nothing_and_says_why(
    client, personas, batch, django_capture_on_commit_callbacks
):
    gone_from_the_file(personas.org_b)
    login_as(client, personas, "staff")
    with django_capture_on_commit_callbacks(execute=True):
        start(client, batch)
    assert Person.objects.filter(email__in=["kaltun@example.org", "rosa@example.org"]).count() == 0
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    page = client.get(progress_url(batch)).content.decode()
    assert "Nothing was imported." in page and "the file now has 1 problem" in page
    assert "See the problems" in page


def test_a_database_failure_half_way_writes_nothing(client, personas, batch, django_capture_on_commit_callbacks, monkeypatch):
    spec = get_import("people")
    original = spec.write

    def write_then_fail(rows, *, actor, batch):
        original(rows, actor=actor, batch=batch)
        raise DatabaseError("disk full")

    monkeypatch.setattr(spec, "write", write_then_fail)
    login_as(client, personas, "staff")
    with django_capture_on_commit_callbacks(execute=True):
        start(client, batch)
    assert Person.objects.filter(email="kaltun@example.org").count() == 0
    assert import_progress(batch).stage == imports.STAGE_FAILED
    assert "nothing was written" in client.get(progress_url(batch)).content.decode()


def test_the_refusal_is_in_the_language_of_the_person_who_started_it(personas, batch):
    staff = personas.user("staff")
    staff.preferred_language = "es"
    staff.save()
    gone_from_the_file(personas.org_b)
    imports.import_batch_apply_task.call(batch.pk, staff.pk)
    progress = import_progress(batch)
    assert progress.stage == imports.STAGE_FAILED
    assert progress.message == "No se importó nada: ahora el archivo tiene 1 problema."


def test_an_applied_batch_is_not_started_again(client, personas, batch):
    import_batch_apply(batch=batch, actor=personas.user("staff"))
    login_as(client, personas, "staff")
    response = start(client, batch)
    assert response["Location"] == reverse("core:import_detail", args=[batch.public_id])
    assert import_progress(batch) is None


def test_without_a_background_import_the_progress_page_sends_to_the_import(client, personas, batch):
    login_as(client, personas, "staff")
    response = client.get(progress_url(batch))
    assert response.status_code == 302
    assert response["Location"] == reverse("core:import_detail", args=[batch.public_id])


def test_start_permission_matrix(client, personas, batch, django_capture_on_commit_callbacks):
    url = reverse("core:import_apply_background", args=[batch.public_id])
    with django_capture_on_commit_callbacks(execute=False):
        assert_permission_matrix(
            client, personas, "post", url, {"anonymous": 302, "staff": 302, "admin": 302}, default=404
        )


def test_progress_permission_matrix(client, personas, batch):
    imports._set_progress(batch, imports.STAGE_QUEUED)
    assert_permission_matrix(
        client, personas, "get", progress_url(batch), {"anonymous": 302, "staff": 200, "admin": 200}, default=404
    )


def test_an_unknown_batch_is_not_found(client, personas):
    login_as(client, personas, "staff")
    url = reverse("core:import_progress", args=["00000000-0000-0000-0000-000000000000"])
    assert client.get(url).status_code == 404


def test_progress_is_kept_outside_the_database_when_the_cache_is_in_it(personas, batch, settings, tmp_path, monkeypatch):
    # Stages are reported from inside the import's transaction: a database cache would show them
    # only at the end (and SQLite's write lock would refuse them), so a file cache is used.
    from django.core.cache.backends.filebased import FileBasedCache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "commontable_cache"}}
    settings.COMMONTABLE_PROGRESS_DIR = str(tmp_path)
    monkeypatch.setattr(imports, "_file_cache", None)
    assert isinstance(imports.progress_cache(), FileBasedCache)
    imports._set_progress(batch, imports.STAGE_WRITING)
    assert import_progress(batch).stage == imports.STAGE_WRITING
    assert any(tmp_path.iterdir())


def test_the_preview_of_a_long_file_applies_it_in_the_background(client, personas, batch, monkeypatch):
    login_as(client, personas, "staff")
    detail = reverse("core:import_detail", args=[batch.public_id])
    page = client.get(detail).content.decode()
    assert f'action="{reverse("core:import_apply", args=[batch.public_id])}"' in page
    monkeypatch.setattr(imports, "BACKGROUND_ROWS", 3)  # this file's length
    page = client.get(detail).content.decode()
    assert f'action="{reverse("core:import_apply_background", args=[batch.public_id])}"' in page
    assert "imported in the background" in page


def test_the_refusal_is_in_the_language_the_person_was_reading(client, personas, batch,
                                                                 django_capture_on_commit_callbacks):
    """No language chosen in their profile: the page they started it from was in Spanish."""
    staff = personas.user("staff")
    staff.preferred_language = ""
    staff.save()
    gone_from_the_file(personas.org_b)
    login_as(client, personas, "staff")
    client.cookies["ct_language"] = "es"
    with django_capture_on_commit_callbacks(execute=True):
        start(client, batch)
    assert import_progress(batch).message == "No se importó nada: ahora el archivo tiene 1 problema."
