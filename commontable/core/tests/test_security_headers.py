import re

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy_with_a_nonce(client):
    response = client.get(reverse("account_login"))
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce, policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert f'nonce="{nonce.group(1)}"'.encode() in response.content  # htmx script tag carries it
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_htmx_is_configured_without_eval(client):
    response = client.get(reverse("core:home"))
    assert b'"allowEval":false' in response.content


@pytest.mark.django_db
def test_health_check_answers_without_signing_in(client):
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert client.post(reverse("core:healthz")).status_code == 405
