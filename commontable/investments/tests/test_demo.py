"""The demo investments: a handful in the region, commitments in every status, one escalated to
"letter sent", loaded once, and only with DEBUG on (or when asked to)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from commontable.investments import selectors
from commontable.investments.choices import Compliance, Escalation
from commontable.investments.geo import region_bbox
from commontable.investments.models import Commitment, Investment


def load(*args: str) -> str:
    out = StringIO()
    call_command("investments_demo_load", *args, stdout=out)
    return out.getvalue()


def test_the_demo_has_investments_in_the_region_with_commitments_in_every_status(personas):
    out = load("--allow-without-debug")
    assert "Loaded 5 investments" in out
    investments = list(Investment.objects.all())
    west, south, east, north = region_bbox()
    assert all(
        west <= i.min_lon <= i.max_lon <= east and south <= i.min_lat <= i.max_lat <= north
        for i in investments
    )
    assert all(i.funding_sources.exists() for i in investments)
    assert {i.stage for i in investments} >= {"proposed", "planning", "funded", "design", "construction"}
    statuses = {c.status for c in selectors.commitment_list(personas.user("staff"))}
    assert statuses == set(Compliance.values)
    escalated = Commitment.objects.get(escalation=Escalation.LETTER_SENT)
    assert selectors.commitment_page(escalated).status == Compliance.MISSED
    assert [s.step for s in selectors.commitment_page(escalated).steps] == [
        Escalation.FLAGGED,
        Escalation.LETTER_SENT,
    ]
    assert "already loaded" in load("--allow-without-debug")
    assert Investment.objects.count() == 5


@pytest.mark.django_db
def test_the_demo_is_refused_without_debug():
    with pytest.raises(CommandError, match="DEBUG is off"):
        load()
    assert not Investment.objects.exists()
