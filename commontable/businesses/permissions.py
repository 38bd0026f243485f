"""Who may do what in the business directory. One decision per action, used by pages, API and
templates. Anyone may look (what they see follows each record's visibility); staff keep the
directory and the opportunities; a representative of the organisation a business is linked to
keeps that business's profile and certifications."""

from __future__ import annotations

import rules
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404

from commontable.businesses.models import Business, Certification, ContractingOpportunity
from commontable.core.visibility import viewer_for


@rules.predicate
def is_staff(user) -> bool:
    return viewer_for(user).is_staff


@rules.predicate
def represents_business_organization(user, business: Business | None) -> bool:
    return business is not None and business.organization_id is not None and (
        business.organization_id in viewer_for(user).represented_organization_ids
    )


can_create_business = is_staff
can_edit_business = is_staff | represents_business_organization
can_manage_opportunities = is_staff

rules.add_perm("businesses.create_business", can_create_business)
rules.add_perm("businesses.change_business", can_edit_business)
rules.add_perm("businesses.manage_opportunities", can_manage_opportunities)


def can_see_contacts(user, business: Business) -> bool:
    """Email and phone: staff and the business's own organisation; other members only when the
    business agreed to share them (`shares_contacts`); never anonymous visitors."""
    viewer = viewer_for(user)
    if viewer.is_staff:
        return True
    if business.organization_id is not None and business.organization_id in viewer.organization_ids:
        return True
    return viewer.is_member and business.shares_contacts


def visible_businesses(user):
    return Business.objects.visible_to(user)


def visible_opportunities(user):
    return ContractingOpportunity.objects.visible_to(user)


def business_get_for_user(user, slug: str) -> Business:
    return get_object_or_404(visible_businesses(user).select_related("organization", "visibility_table"), slug=slug)


def opportunity_get_for_user(user, public_id) -> ContractingOpportunity:
    """An opportunity the user may see, on an investment the user may see."""
    try:
        return get_object_or_404(
            visible_opportunities(user).select_related("investment", "awarded_to", "visibility_table"), public_id=public_id
        )
    except (ValueError, TypeError, ValidationError) as exc:
        raise Http404 from exc


def certification_get_for_user(user, public_id) -> Certification:
    """A certification of a business the user may see."""
    try:
        return get_object_or_404(
            Certification.objects.filter(business__in=visible_businesses(user)).select_related("business"), public_id=public_id
        )
    except (ValueError, TypeError, ValidationError) as exc:
        raise Http404 from exc
