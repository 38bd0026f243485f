"""Production settings: `check --deploy` is clean once the documented variables are set, and a
missing SECRET_KEY outside development is a clear error, not a silent default."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SECURE_SSL_REDIRECT", "SECURE_COOKIES", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    clean.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120)


def test_deploy_check_is_clean_with_production_settings():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING",
        SECRET_KEY="a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
        DEBUG="false", ALLOWED_HOSTS="commontable.example.org", EMAIL_BACKEND="smtp",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_missing_secret_key_in_production_is_a_clear_error():
    result = _manage("check", DEBUG="false")
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


@pytest.mark.parametrize("app_label", ["core", "accounts", "directory"])
def test_every_model_says_what_it_is_for(app_label):
    for model in apps.get_app_config(app_label).get_models():
        if model.__name__.startswith("Historical"):
            continue
        doc = model.__doc__ or ""
        assert doc and not doc.startswith(f"{model.__name__}("), f"{model.__name__} has no docstring"
