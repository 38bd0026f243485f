"""Notifying the businesses that match an opportunity: each consenting business with an address
gets one email in its language; a second click sends nothing twice; no consent, a withdrawn
consent, an unsubscribe or a closed opportunity means no email."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from commontable.businesses import services
from commontable.businesses.models import Business
from commontable.core import notifications
from commontable.core.models import ActivityLog, Subscription
from commontable.core.testing import assert_permission_matrix, login_as


def test_each_consenting_match_gets_one_email_in_its_language(personas, world):
    counts = services.opportunity_notify(actor=personas.user("staff"), opportunity=world.opportunity)
    # The plumber consents (in Somali); the electrician matches but never agreed.
    assert (counts.sent, counts.already_sent, counts.skipped) == (1, 0, 1)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["office@aurora-plumbing.example"]
    assert message.extra_headers["Content-Language"] == "so"
    assert "Station mechanical work" in message.subject
    assert "2382" in message.body and "List-Unsubscribe" in message.extra_headers
    entry = ActivityLog.objects.get(action="businesses.opportunity.notified")
    assert entry.data == {"sent": 1, "already_sent": 0, "skipped": 1}


def test_clicking_twice_sends_nothing_twice(personas, world):
    staff = personas.user("staff")
    services.opportunity_notify(actor=staff, opportunity=world.opportunity)
    counts = services.opportunity_notify(actor=staff, opportunity=world.opportunity)
    assert (counts.sent, counts.already_sent) == (0, 1)
    assert len(mail.outbox) == 1


def test_a_business_that_consents_later_is_written_to_on_the_next_click(personas, world):
    staff = personas.user("staff")
    services.opportunity_notify(actor=staff, opportunity=world.opportunity)
    services.business_notices_consent_set(actor=staff, business=world.electrician, consent=True)
    counts = services.opportunity_notify(actor=staff, opportunity=world.opportunity)
    assert (counts.sent, counts.already_sent) == (1, 1)
    assert [m.to for m in mail.outbox] == [["office@aurora-plumbing.example"], ["hello@bright.example"]]


def test_a_withdrawn_consent_or_no_address_means_no_email(personas, world):
    staff = personas.user("staff")
    services.business_notices_consent_set(actor=staff, business=world.plumber, consent=False)
    Business.objects.filter(pk=world.electrician.pk).update(notices_consent_at=timezone.now(), email="")
    counts = services.opportunity_notify(actor=staff, opportunity=world.opportunity)
    assert (counts.sent, counts.skipped) == (0, 2)
    assert mail.outbox == []


def test_an_unsubscribed_business_is_not_written_to_again(personas, world):
    subscription = notifications.subscribe(topic="businesses.opportunities", email=world.plumber.email, language="so",
                                           object_id=world.plumber.pk)
    notifications.unsubscribe(subscription)
    counts = services.opportunity_notify(actor=personas.user("staff"), opportunity=world.opportunity)
    assert counts.sent == 0 and mail.outbox == []


def test_a_closed_opportunity_sends_nothing(personas, world):
    staff = personas.user("staff")
    services.opportunity_close(actor=staff, opportunity=world.opportunity)
    world.opportunity.refresh_from_db()
    with pytest.raises(ValidationError):
        services.opportunity_notify(actor=staff, opportunity=world.opportunity)
    assert mail.outbox == [] and not Subscription.objects.exists()


def test_the_notify_button_is_for_staff(client, personas, world):
    url = reverse("businesses:opportunity_notify", args=[world.opportunity.public_id])
    # Sign-in first; the opportunity's investment is for members; only staff may send.
    assert_permission_matrix(client, personas, "post", url, {
        "anonymous": 302, "public_user": 404, "member_a": 403, "member_b": 403, "table_member": 403, "board": 403,
        "staff": 302, "admin": 302,
    })
    assert len(mail.outbox) == 1  # staff, then admin: the second click sent nothing again


def test_the_page_offers_the_button_and_reports_what_was_sent(client, personas, world):
    login_as(client, personas, "staff")
    page = client.get(f"/businesses/opportunities/{world.opportunity.public_id}/")
    assert "Notify the matching businesses" in page.content.decode()
    response = client.post(f"/businesses/opportunities/{world.opportunity.public_id}/notify/", follow=True)
    assert "Sent: 1." in response.content.decode()
    login_as(client, personas, "member_a")
    assert "Notify the matching businesses" not in client.get(f"/businesses/opportunities/{world.opportunity.public_id}/").content.decode()
