"""Loading census files through the staff pages and the command: checked and shown first, then
written all or nothing; a bad file writes nothing and says why."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from commontable.core.models import ImportBatch
from commontable.core.testing import login_as
from commontable.displacement.models import SourceLoad, SurveyValues, Tract, TractRelationship

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


def _tracts_geojson(geoids: list[str]) -> bytes:
    features = []
    for i, geoid in enumerate(geoids):
        x, y = -93.2 + i * 0.01, 44.95
        ring = [[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]
        features.append({"type": "Feature", "properties": {"GEOID": geoid, "NAMELSAD": f"Census Tract {i}",
                                                          "ALAND": 1_000_000, "AWATER": 0},
                         "geometry": {"type": "Polygon", "coordinates": [ring]}})
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def _upload(client, kind: str, name: str, data: bytes, year: int | None = None):
    payload = {"kind": kind, "file": SimpleUploadedFile(name, data)}
    if year:
        payload["year"] = year
    return client.post(reverse("displacement:source_upload"), payload)


def test_staff_upload_previews_then_loads_survey_values(client, personas):
    login_as(client, personas, "staff")
    data = (DATA / "ACSDT5Y2022.B19013-Data.csv").read_bytes()
    response = _upload(client, "acs", "ACSDT5Y2022.B19013-Data.csv", data)
    assert response.status_code == 302
    batch = ImportBatch.objects.get(kind="displacement.acs")
    assert SurveyValues.objects.count() == 0  # nothing written by the preview
    preview = client.get(response["Location"])
    assert preview.status_code == 200 and "2022" in preview.content.decode()
    applied = client.post(reverse("displacement:source_apply", args=[batch.public_id]))
    assert applied.status_code == 302
    rows = SurveyValues.objects.filter(year=2022, geography_year=2020)
    assert rows.count() >= 1
    # Annotated cells are kept as missing (None), never as zero.
    values = [row.values["B19013_001"] for row in rows]
    assert all(value[0] is None or value[0] > 0 for value in values)
    assert SourceLoad.objects.get().rows == rows.count()
    # Applying the same batch again is refused.
    again = client.post(reverse("displacement:source_apply", args=[batch.public_id]))
    assert again.status_code == 302
    assert SourceLoad.objects.count() == 1


def test_a_bad_file_is_refused_with_reasons_and_nothing_is_kept(client, personas):
    login_as(client, personas, "staff")
    response = _upload(client, "acs", "broken.csv", b"NOT,A,CENSUS,FILE\n1,2,3,4\n")
    assert response.status_code == 400
    assert response.context["check"]["problems"]
    assert not ImportBatch.objects.exists() and not SurveyValues.objects.exists()


def test_tract_boundaries_load_and_replace_by_geoid(client, personas):
    login_as(client, personas, "staff")
    data = _tracts_geojson(["27053000101", "27053000102"])
    response = _upload(client, "tracts", "tl_2020_27_tract.geojson", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    batch = ImportBatch.objects.get(kind="displacement.tracts")
    client.post(reverse("displacement:source_apply", args=[batch.public_id]))
    tracts = Tract.objects.filter(geography_year=2020).order_by("geoid")
    assert [t.geoid for t in tracts] == ["27053000101", "27053000102"]
    assert tracts[0].county_fips == "27053" and -93.2 < tracts[0].centroid_lon < -93.19


def test_upload_pages_are_staff_only(client, personas):
    for name in ("member_a", "board"):
        login_as(client, personas, name)
        response = _upload(client, "acs", "x.csv", b"x")
        assert response.status_code == 403
    batch = ImportBatch.objects.create(kind="displacement.acs", filename="x.csv", content=b"x", sha256="0" * 64)
    login_as(client, personas, "member_a")
    assert client.get(reverse("displacement:source_preview", args=[batch.public_id])).status_code == 403
    assert client.post(reverse("displacement:source_apply", args=[batch.public_id])).status_code == 403
    # Another kind of import is not reachable through these pages.
    other = ImportBatch.objects.create(kind="directory.people", filename="x.csv", content=b"x", sha256="0" * 64)
    login_as(client, personas, "staff")
    assert client.get(reverse("displacement:source_preview", args=[other.public_id])).status_code == 404


def test_import_command_loads_relationship_and_refuses_bad_files(tmp_path):
    out = io.StringIO()
    call_command("displacement_import", "relationship", str(DATA / "tab20_tract20_tract10_st27.txt"), stdout=out)
    assert TractRelationship.objects.exists()
    assert "loaded" in out.getvalue()
    bad = tmp_path / "bad.txt"
    bad.write_text("nothing|here\n1|2\n")
    before = TractRelationship.objects.count()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("displacement_import", "relationship", str(bad))
    assert TractRelationship.objects.count() == before
    with pytest.raises(CommandError, match="No such file"):
        call_command("displacement_import", "acs", str(tmp_path / "missing.csv"))
