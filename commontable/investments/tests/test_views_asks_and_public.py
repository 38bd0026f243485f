"""Campaign asks (recording one, its actions and its outcome) and the public accountability page
with its PDF: only public commitments of a public investment, their status in words, no names."""

import pytest
from django.urls import reverse

from commontable.core.testing import assert_permission_matrix, login_as
from commontable.core.visibility import Visibility
from commontable.investments.choices import AskOutcome, Compliance
from commontable.investments.models import AskAction, CampaignAsk
from commontable.investments.tests.conftest import TODAY

# --- asks -----------------------------------------------------------------------------------------


def ask_url(name, ask):
    return reverse(f"investments:{name}", args=[ask.public_id])


def test_ask_create_permission_matrix(client, personas, world):
    create = reverse("investments:ask_create", args=[world.investment.slug])
    expected = {"anonymous": 302, "public_user": 404, "staff": 200, "admin": 200}
    assert_permission_matrix(client, personas, "get", create, expected, default=403)
    assert_permission_matrix(
        client, personas, "post", create, {**expected, "staff": 400, "admin": 400}, data={}, default=403
    )


def test_staff_record_an_ask_and_an_empty_one_is_refused(client, personas, world):
    create = reverse("investments:ask_create", args=[world.investment.slug])
    login_as(client, personas, "staff")
    response = client.post(create, {"asked_of": "", "ask": "Hire locally", "visibility": "members"})
    assert response.status_code == 400 and "Say who the ask is to" in " ".join(
        response.context["form"].errors["asked_of"]
    )
    response = client.post(
        create, {"asked_of_organization": world.obligor.slug, "ask": "Hire locally", "visibility": "members"}
    )
    assert response.status_code == 302
    assert CampaignAsk.objects.get(ask="Hire locally").asked_of == "Northside Builders"


def test_ask_action_add_permission_matrix(client, personas, world):
    action = ask_url("ask_action_add", world.ask)
    expected = {"anonymous": 302, "public_user": 404, "member_a": 200, "staff": 200, "admin": 200}
    assert_permission_matrix(client, personas, "get", action, expected, default=403)
    assert_permission_matrix(
        client,
        personas,
        "post",
        action,
        {**expected, "member_a": 400, "staff": 400, "admin": 400},
        data={},
        default=403,
    )


def test_a_representative_records_a_sign_on_and_a_future_date_is_refused(client, personas, world):
    action = ask_url("ask_action_add", world.ask)
    login_as(client, personas, "member_a")
    response = client.post(action, {"kind": "letter", "on": "2099-01-01"})
    assert response.status_code == 400 and "future" in " ".join(response.context["form"].errors["on"])
    response = client.post(
        action,
        {
            "kind": "testimony",
            "on": TODAY.isoformat(),
            "note": "Testified at council",
            "organizations": [personas.org_a.slug],
        },
    )
    assert response.status_code == 302
    added = AskAction.objects.get(note="Testified at council")
    assert list(added.organizations.all()) == [personas.org_a] and added.recorded_by == personas.user(
        "member_a"
    )


def test_ask_outcome_set_permission_matrix(client, personas, world):
    outcome = ask_url("ask_outcome_set", world.ask)
    expected = {"anonymous": 302, "public_user": 404, "staff": 200, "admin": 200}
    assert_permission_matrix(client, personas, "get", outcome, expected, default=403)
    assert_permission_matrix(
        client, personas, "post", outcome, {**expected, "staff": 400, "admin": 400}, data={}, default=403
    )


def test_staff_record_an_outcome_that_the_plans_link_then_finds(client, personas, world):
    outcome = ask_url("ask_outcome_set", world.ask)
    login_as(client, personas, "staff")
    response = client.post(outcome, {"outcome": "won", "outcome_on": "2099-01-01"})
    assert response.status_code == 400 and "future" in " ".join(response.context["form"].errors["outcome_on"])
    response = client.post(outcome, {"outcome": "won", "evidence": "Council resolution 2026-114"})
    assert response.status_code == 302
    world.ask.refresh_from_db()
    assert world.ask.outcome == AskOutcome.WON and world.ask.outcome_on == TODAY
    listed = client.get(reverse("investments:investment_list"), {"has_ask": "won"}).context["investments"]
    assert [i.slug for i in listed] == [world.investment.slug]


# --- the public accountability page ----------------------------------------------------------------


@pytest.fixture
def public(world):
    world.investment.visibility = Visibility.PUBLIC
    world.investment.save()
    return world.investment


def page(investment):
    return reverse("investments:investment_accountability", args=[investment.slug])


def pdf(investment):
    return reverse("investments:investment_accountability_pdf", args=[investment.slug])


def test_investment_accountability_permission_matrix(client, personas, world):
    # only for a public investment, whoever asks (staff see the other pages)
    assert_permission_matrix(client, personas, "get", page(world.investment), {}, default=404)
    assert_permission_matrix(client, personas, "get", pdf(world.hidden), {}, default=404)
    world.investment.visibility = Visibility.PUBLIC
    world.investment.save()
    assert_permission_matrix(client, personas, "get", page(world.investment), {}, default=200)


def test_the_public_page_shows_only_public_commitments_with_their_status_and_no_names(
    client, personas, world, public
):
    response = client.get(page(public))
    body = response.content.decode()
    assert [row.commitment.text for row in response.context["rows"]] == [
        "Missed: community space",
        "Met: 100 affordable units",
    ]
    for hidden in (
        "On track: local hire hours",
        "At risk: BIPOC contracting",
        "No data: anti-displacement fund",
        "Staff only: side letter",
    ):
        assert hidden not in body
    assert ">Met</span>" in body and ">Missed</span>" in body and "Northside Builders" in body
    assert "40 units as of" in body and "https://example.org/units.pdf" in body
    download = reverse(
        "core:file_download", args=[response.context["rows"][0].commitment.latest_evidence_file]
    )
    assert download in body and client.get(download).status_code == 200
    # nobody is named: not who reported, not the note that named someone, not the actors
    for name in [str(u) for u in personas.users.values() if u is not None] + ["Ayaan", "Counted by"]:
        assert name not in body
    assert "Fund an anti-displacement trust" not in body  # asks are for members


def test_the_pdf_is_a_pdf_download_of_the_same_page(client, personas, world, public):
    response = client.get(pdf(public))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf" and response["Content-Disposition"].startswith(
        "attachment"
    )
    assert "snelling-station-accountability" in response["Content-Disposition"]


def test_the_public_page_counts_commitments_by_status(client, world, public):
    response = client.get(page(public))
    assert response.context["counts"] == [(Compliance.MET, 1), (Compliance.MISSED, 1)]
