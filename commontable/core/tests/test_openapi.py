"""The committed OpenAPI schema (docs/openapi.json) is the API as the code defines it."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from commontable.core.management.commands.openapi_export import openapi_json

COMMITTED = Path(settings.BASE_DIR) / "docs" / "openapi.json"


def test_committed_openapi_schema_matches_the_code():
    generated = openapi_json()
    committed = COMMITTED.read_text(encoding="utf-8") if COMMITTED.exists() else ""
    assert committed == generated, (
        "docs/openapi.json differs from the schema the code generates. "
        "Run `make openapi` and commit docs/openapi.json."
    )


def test_export_is_stable_and_sorted(capsys):
    call_command("openapi_export")
    first = capsys.readouterr().out
    call_command("openapi_export")
    assert capsys.readouterr().out == first
    assert first.startswith('{\n  "components"') and first.endswith("}\n")
