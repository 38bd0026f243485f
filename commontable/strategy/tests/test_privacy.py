from django.urls import reverse

from commontable.core.testing import login_as
from commontable.core.visibility import Visibility


def test_a_public_plan_does_not_name_owners_to_anonymous_visitors(client, personas, plan, objective):
    plan.visibility = Visibility.PUBLIC
    plan.save()
    owner = personas.users["staff"]
    owner.full_name = ""  # shown by address then
    owner.save()
    objective.owners.add(owner)
    for url in (reverse("strategy:plan_dashboard", args=[plan.slug]), reverse("strategy:objective_detail", args=[objective.public_id])):
        page = client.get(url).content.decode()
        assert "staff@example.org" not in page
        login_as(client, personas, "member_a")
        assert "staff@example.org" in client.get(url).content.decode()
        client.logout()
