"""Who may do what in the investment watch. One decision per action, used by pages, API and
templates. Staff keep the register; representatives of organisations engaged in an investment also
report on its commitments and record actions on its asks (community monitors know first)."""

from __future__ import annotations

import rules
from django.shortcuts import get_object_or_404

from commontable.core.visibility import viewer_for
from commontable.investments.models import CampaignAsk, Commitment, Investment


@rules.predicate
def is_staff(user) -> bool:
    return viewer_for(user).is_staff


@rules.predicate
def is_member(user) -> bool:
    return viewer_for(user).is_member


@rules.predicate
def represents_engaged_organization(user, investment: Investment | None) -> bool:
    if investment is None:
        return False
    represented = viewer_for(user).represented_organization_ids
    return bool(represented) and investment.organizations.filter(pk__in=represented).exists()


can_view_investments = is_member
can_edit_investment = is_staff
can_report_commitment = is_staff | represents_engaged_organization
can_escalate_commitment = is_staff
can_record_ask_action = is_staff | represents_engaged_organization

rules.add_perm("investments.edit_investment", can_edit_investment)
rules.add_perm("investments.report_commitment", can_report_commitment)
rules.add_perm("investments.record_ask_action", can_record_ask_action)


def visible_investments(user):
    return Investment.objects.visible_to(user)


def investment_get_for_user(user, slug: str) -> Investment:
    return get_object_or_404(visible_investments(user).select_related("sponsor", "jurisdiction"), slug=slug)


def commitment_get_for_user(user, public_id) -> Commitment:
    """A commitment the user may see, on an investment the user may see."""
    return get_object_or_404(
        Commitment.objects.visible_to(user).select_related("investment", "obligor"),
        public_id=public_id,
    )


def ask_get_for_user(user, public_id) -> CampaignAsk:
    return get_object_or_404(
        CampaignAsk.objects.visible_to(user).select_related("investment"),
        public_id=public_id,
    )
