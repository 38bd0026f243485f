"""What the business directory sends, through core's shared notifications (ADR 9): one email to
each matched business about a contracting opportunity, once, in the business's language, only
while the business consents and the opportunity is still open. The unsubscribe page names the
subscription."""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from commontable.businesses.choices import PROGRAM_SHORT, OpportunityStatus
from commontable.businesses.models import Business, ContractingOpportunity
from commontable.core import notifications
from commontable.core.models import Subscription
from commontable.core.visibility import Visibility

TOPIC = "businesses.opportunities"


def _label(subscription) -> str:
    name = Business.objects.filter(pk=subscription.object_id).values_list("name", flat=True).first()
    return _("contracting opportunities that match %(name)s") % {"name": name or "?"}


notifications.register_topic(TOPIC, _label)


@dataclass
class NoticeCounts:
    sent: int = 0
    already_sent: int = 0
    skipped: int = 0


def notice_key(opportunity: ContractingOpportunity, business: Business) -> str:
    """One message per opportunity and business, whatever address or language it has later."""
    return f"businesses.opportunity-match:{opportunity.pk}:{business.pk}"


def _render(opportunity_id: int, business_id: int):
    def render(recipient: notifications.Recipient) -> notifications.Message | None:
        # Re-checked at send time: still open, and the business still consents.
        opportunity = (ContractingOpportunity.objects.select_related("investment")
                       .filter(pk=opportunity_id, status=OpportunityStatus.OPEN).first())
        business = Business.objects.consenting().filter(pk=business_id).first()
        if opportunity is None or business is None:
            return None
        public = opportunity.visibility == Visibility.PUBLIC and opportunity.investment.visibility == Visibility.PUBLIC
        page_url = (notifications.absolute(reverse("businesses:opportunity_detail", kwargs={"public_id": opportunity.public_id}))
                    if public else "")
        body = render_to_string("businesses/email/opportunity_match.txt", {
            "business": business, "opportunity": opportunity, "page_url": page_url,
            "codes": list(opportunity.trades.order_by("code").values_list("code", flat=True)),
            "programs": [PROGRAM_SHORT.get(p, p) for p in opportunity.certifications_wanted or []],
        })
        return notifications.Message(subject=_("Contracting opportunity: %(title)s") % {"title": opportunity.title}, body=body)

    return render


def send_opportunity_notices(opportunity: ContractingOpportunity, businesses) -> NoticeCounts:
    """Email each business (that consents and has an address) once about the opportunity. A
    business that unsubscribed by its link is not written to again."""
    counts = NoticeCounts()
    for business in businesses:
        if not business.consents_to_notices or not business.email:
            counts.skipped += 1
            continue
        subscription = notifications.subscribe(topic=TOPIC, email=business.email, language=business.preferred_language,
                                               object_id=business.pk)
        if subscription.language != business.preferred_language:
            # The business chose another language since it was first written to.
            Subscription.objects.filter(pk=subscription.pk).update(language=business.preferred_language)
        result = notifications.deliver(subscription, key=notice_key(opportunity, business),
                                       render=_render(opportunity.pk, business.pk))
        if result == notifications.Result.SENT:
            counts.sent += 1
        elif result == notifications.Result.ALREADY_SENT:
            counts.already_sent += 1
        else:
            counts.skipped += 1
    return counts
