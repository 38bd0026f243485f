"""Subscriptions and deliveries: opt-in, once per key, in the recipient's language, skipped when
there is nothing to say, one-click unsubscribe without signing in (RFC 8058)."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils.translation import get_language

from commontable.core import notifications
from commontable.core.models import Delivery, Subscription
from commontable.core.notifications import Message, Result
from commontable.core.testing import assert_permission_matrix

TOPIC = "tests.things"


def _render(recipient):
    return Message(subject=f"Hello in {get_language()}", body="Something happened.")


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user("watcher@example.org", preferred_language="es")


def test_subscribe_is_idempotent_and_keeps_an_ended_subscription_ended(user):
    first = notifications.subscribe(user=user, topic=TOPIC, object_id=7)
    assert notifications.subscribe(user=user, topic=TOPIC, object_id=7) == first
    notifications.unsubscribe(first)
    again = notifications.subscribe(user=user, topic=TOPIC, object_id=7)
    assert again.pk == first.pk and again.unsubscribed_at is not None
    chosen = notifications.subscribe(user=user, topic=TOPIC, object_id=7, resubscribe=True)
    assert chosen.pk == first.pk and chosen.is_active
    assert list(notifications.subscribers(TOPIC, 7)) == [chosen]
    assert Subscription.objects.count() == 1


def test_an_address_outside_the_site_can_subscribe_with_its_language(db):
    sub = notifications.subscribe(email="Owner@Shop.example", language="so", topic=TOPIC)
    assert sub.user is None and sub.email == "owner@shop.example"
    assert notifications.subscribe(email="owner@shop.example", topic=TOPIC) == sub
    assert notifications.deliver(sub, key="k-1", render=_render) == Result.SENT
    assert mail.outbox[0].to == ["owner@shop.example"] and mail.outbox[0].subject == "Hello in so"


def test_a_subscription_needs_a_recipient(db):
    with pytest.raises(ValueError):
        notifications.subscribe(topic=TOPIC)


def test_delivery_goes_once_per_key_in_the_users_language_with_unsubscribe_headers(user):
    sub = notifications.subscribe(user=user, topic=TOPIC, object_id=1)
    assert notifications.deliver(sub, key="thing:1:reminder", render=_render) == Result.SENT
    assert notifications.deliver(sub, key="thing:1:reminder", render=_render) == Result.ALREADY_SENT
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Hello in es"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link in message.body
    assert "<img" not in message.body  # no open tracking
    assert Delivery.objects.get(key="thing:1:reminder").status == Delivery.Status.SENT


def test_nothing_to_say_sends_nothing_and_records_nothing(user):
    sub = notifications.subscribe(user=user, topic=TOPIC)
    assert notifications.deliver(sub, key="empty", render=lambda r: None) == Result.SKIPPED
    assert not mail.outbox and not Delivery.objects.exists()


def test_ended_subscription_or_inactive_user_gets_nothing(user):
    sub = notifications.subscribe(user=user, topic=TOPIC)
    user.is_active = False
    user.save()
    assert notifications.deliver(sub, key="a", render=_render) == Result.INACTIVE
    user.is_active = True
    user.save()
    notifications.unsubscribe(sub)
    assert notifications.deliver(sub, key="b", render=_render) == Result.INACTIVE
    assert not mail.outbox


def test_a_failed_send_is_retried_by_the_next_run(user, settings):
    sub = notifications.subscribe(user=user, topic=TOPIC)
    settings.NOTIFICATIONS_MAILER = "missing"
    assert notifications.deliver(sub, key="retry", render=_render) == Result.FAILED
    assert Delivery.objects.get(key="retry").status == Delivery.Status.FAILED
    del settings.NOTIFICATIONS_MAILER
    assert notifications.deliver(sub, key="retry", render=_render) == Result.SENT
    assert len(mail.outbox) == 1


def test_unsubscribe_link_works_without_signing_in_and_a_get_changes_nothing(client, user):
    sub = notifications.subscribe(user=user, topic=TOPIC)
    url = reverse("core:unsubscribe", kwargs={"token": notifications.unsubscribe_token(sub)})
    assert client.get(url).status_code == 200
    sub.refresh_from_db()
    assert sub.is_active
    # A mail program's one-click POST (RFC 8058) carries no CSRF token.
    client.handler.enforce_csrf_checks = True
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    sub.refresh_from_db()
    assert not sub.is_active
    assert "already" in client.get(url).content.decode()


def test_a_tampered_unsubscribe_link_is_404(client, user):
    sub = notifications.subscribe(user=user, topic=TOPIC)
    token = notifications.unsubscribe_token(sub)
    other = token.replace(str(sub.pk), str(sub.pk + 1), 1)
    assert client.post(reverse("core:unsubscribe", kwargs={"token": other})).status_code == 404


def test_unsubscribe_answers_everyone(client, personas, user):
    sub = notifications.subscribe(user=user, topic=TOPIC)
    url = reverse("core:unsubscribe", kwargs={"token": notifications.unsubscribe_token(sub)})
    assert_permission_matrix(client, personas, "get", url, {}, default=200)


def test_notify_address_sends_once_and_respects_an_unsubscribe(db):
    result = notifications.notify_address(email="shop@example.org", language="es", topic=TOPIC, key="m-1",
                                          render=_render)
    assert result == Result.SENT and mail.outbox[0].subject == "Hello in es"
    assert notifications.notify_address(email="shop@example.org", language="es", topic=TOPIC, key="m-1",
                                        render=_render) == Result.ALREADY_SENT
    notifications.unsubscribe(Subscription.objects.get(email="shop@example.org"))
    assert notifications.notify_address(email="shop@example.org", language="es", topic=TOPIC, key="m-2",
                                        render=_render) == Result.INACTIVE
    assert len(mail.outbox) == 1
