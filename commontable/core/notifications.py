"""Notifications: opt-in subscriptions and messages sent once, in the recipient's language (ADR 9).

How to use it from any app (services and tasks; never from a view directly):

    from commontable.core import notifications

    # 1. Opt in. A signed-in person, to one record of a topic (here: one investment's decisions):
    sub = notifications.subscribe(user=user, topic="investments.decisions", object_id=investment.pk)
    #    ...or an address outside the site, with the language to write to it in:
    sub = notifications.subscribe(email="owner@shop.example", language="so",
                                  topic="businesses.opportunities")
    notifications.unsubscribe(sub)                         # or the recipient's one-click link
    notifications.subscribers("investments.decisions", investment.pk)   # active ones, a QuerySet

    # 2. Send one message once. `render` is called in the recipient's language, at send time,
    #    only if the subscription is still active and the key was not sent before. It re-checks
    #    the content (is the hearing still on? is the opportunity still open?) and returns
    #    `Message(subject, body)`, or None to send nothing (cancelled, or nothing to say).
    def render(recipient: notifications.Recipient) -> notifications.Message | None:
        opportunity = Opportunity.objects.filter(pk=opportunity_id, status="open").first()
        if opportunity is None:
            return None
        return notifications.Message(
            subject=gettext("New contracting opportunity: %(title)s") % {"title": opportunity.title},
            body=render_to_string("businesses/email/opportunity_match.txt", {...}),
        )

    result = notifications.deliver(sub, key=f"businesses.opportunity-match:{opportunity_id}:{sub.pk}",
                                   render=render)
    # result is one of Result.SENT, ALREADY_SENT, SKIPPED (render said None), INACTIVE, FAILED.

    # To notify an address with no standing subscription (e.g. "you were matched"):
    notifications.notify_address(email="owner@shop.example", language="so", topic="businesses.matches",
                                 key=f"businesses.opportunity-match:{opportunity_id}:owner@shop.example",
                                 render=render)
    # It subscribes the address on the fly (so the email has its unsubscribe link); one that
    # unsubscribed stays unsubscribed (the person said no: we do not ask again by ourselves).

The key names the message in the sender's words (what, which version of it, to whom): a unique
database row per key, so a re-run of a task or of `notifications_send_due` sends nothing twice.
Include in it whatever should make a new message (a reminder's key holds the hearing's start, so a
postponed hearing gets its reminders again, for the new date).

Every email carries a one-click unsubscribe link (signed, works without signing in, confirmed by a
POST; RFC 8058 `List-Unsubscribe` and `List-Unsubscribe-Post` headers, so mail programs show their
own button) and no tracking of opens or clicks. Mail goes through Django's mailers: the alias is
`settings.NOTIFICATIONS_MAILER` (default "default", see MAILERS), the backend is configured there.

Periodic senders (reminders N days before something) register a function with `register_due`
from a module named `notifications.py` in their app; `manage.py notifications_send_due` (run by
cron or a systemd timer, ADR 9) imports those modules and calls each with the current time.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from commontable.core.models import Delivery, Subscription

log = logging.getLogger(__name__)
UNSUBSCRIBE_SALT = "commontable.core.notifications.unsubscribe"


@dataclass(frozen=True)
class Recipient:
    """Who a message goes to, as `render` sees it: address, language, and the signed-in user if
    there is one (to re-check what they may still see)."""

    email: str
    language: str
    user: object | None = None
    subscription: Subscription | None = None


@dataclass
class Message:
    """A plain-text email (an HTML alternative is optional). No images, no tracking."""

    subject: str
    body: str
    html: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


class Result(enum.StrEnum):
    SENT = "sent"
    ALREADY_SENT = "already_sent"
    SKIPPED = "skipped"
    INACTIVE = "inactive"
    FAILED = "failed"


# --- subscriptions ------------------------------------------------------------------------------------


def _lookup(*, user, email: str, topic: str, object_id: int | None, channel: str) -> dict:
    who = {"user": user} if user is not None else {"user__isnull": True, "email": email.strip().lower()}
    return {**who, "topic": topic, "object_id": object_id, "channel": channel}


def subscribe(*, topic: str, user=None, email: str = "", language: str = "", object_id: int | None = None,
              channel: str = Subscription.Channel.EMAIL, cadence: str = Subscription.Cadence.IMMEDIATE,
              resubscribe: bool = False) -> Subscription:
    """Opt `user` (or the address `email`, in `language`) in to `topic` (narrowed to `object_id`).

    Returns the existing subscription if there is one. One that was ended stays ended unless
    `resubscribe` is true, which only the person's own action may pass (a watch button)."""
    if user is None and not email:
        raise ValueError("a subscription needs a user or an email address")
    with transaction.atomic():
        lookup = _lookup(user=user, email=email, topic=topic, object_id=object_id, channel=channel)
        existing = Subscription.objects.select_for_update().filter(**lookup).first()
        if existing is not None:
            if resubscribe and existing.unsubscribed_at is not None:
                existing.unsubscribed_at = None
                existing.cadence = cadence
                if language:
                    existing.language = language
                existing.save(update_fields=["unsubscribed_at", "cadence", "language", "updated_at"])
            return existing
        values = {k.removesuffix("__isnull"): v for k, v in lookup.items() if not k.endswith("__isnull")}
        try:
            with transaction.atomic():
                return Subscription.objects.create(**values, language=language, cadence=cadence)
        except IntegrityError:  # made at the same moment by another request
            return Subscription.objects.get(**lookup)


def unsubscribe(subscription: Subscription) -> bool:
    """End a subscription (kept, dated). True if it was active."""
    return bool(Subscription.objects.filter(pk=subscription.pk, unsubscribed_at__isnull=True)
                .update(unsubscribed_at=timezone.now(), updated_at=timezone.now()))


def subscribers(topic: str, object_id: int | None = None):
    """The active subscriptions to a topic (narrowed to one record when `object_id` is given),
    with their users, in a stable order."""
    return (Subscription.objects.filter(topic=topic, object_id=object_id, unsubscribed_at__isnull=True)
            .select_related("user").order_by("id"))


def subscription_for(user, topic: str, object_id: int | None = None,
                     channel: str = Subscription.Channel.EMAIL) -> Subscription | None:
    """The user's active subscription to this topic/record, or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Subscription.objects.filter(user=user, topic=topic, object_id=object_id, channel=channel,
                                       unsubscribed_at__isnull=True).first()


def subscribed_object_ids(user, topic: str):
    """A subquery of the record ids a user actively follows under a topic (e.g. their watchlist)."""
    return Subscription.objects.filter(user=user, topic=topic, unsubscribed_at__isnull=True,
                                       object_id__isnull=False).values("object_id")


# --- what a topic is called (the unsubscribe page shows it) -------------------------------------------

_topic_labels: dict[str, Callable[[Subscription], str]] = {}


def register_topic(topic: str, label: Callable[[Subscription], str]) -> None:
    """How the unsubscribe page names a subscription to `topic` ("decisions on Snelling Station")."""
    _topic_labels[topic] = label


def discover() -> None:
    """Import every app's `notifications.py`, where topics, due senders and feeds register."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("notifications")


def describe(subscription: Subscription) -> str:
    discover()
    label = _topic_labels.get(subscription.topic)
    if label is not None:
        try:
            return label(subscription)
        except Exception:  # noqa: BLE001 - the record may be gone; the generic label still helps
            log.exception("label for topic %s failed", subscription.topic)
    return _("messages about “%(topic)s”") % {"topic": subscription.topic}


# --- periodic senders ------------------------------------------------------------------------------------

_due_senders: dict[str, Callable] = {}


def register_due(name: str, sender: Callable) -> None:
    """A function `sender(now) -> int` (messages queued) that `notifications_send_due` calls."""
    _due_senders[name] = sender


def due_senders() -> dict[str, Callable]:
    discover()
    return dict(_due_senders)


# --- sending ---------------------------------------------------------------------------------------------


def unsubscribe_token(subscription: Subscription) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(subscription.pk))


def subscription_from_token(token: str) -> Subscription | None:
    try:
        pk = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return Subscription.objects.select_related("user").filter(pk=int(pk)).first() if pk.isdigit() else None


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def unsubscribe_url(subscription: Subscription) -> str:
    return absolute(reverse("core:unsubscribe", kwargs={"token": unsubscribe_token(subscription)}))


def recipient_for(subscription: Subscription) -> Recipient | None:
    """The recipient now (their address and language as they are today), or None if they can no
    longer be written to (ended subscription, deactivated account)."""
    if subscription.unsubscribed_at is not None:
        return None
    user = subscription.user
    if user is not None:
        if not user.is_active or not user.email:
            return None
        language = subscription.language or getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE
        return Recipient(email=user.email, language=language, user=user, subscription=subscription)
    return Recipient(email=subscription.email, language=subscription.language or settings.LANGUAGE_CODE,
                     subscription=subscription)


def _claim(key: str, subscription: Subscription, recipient: Recipient) -> Delivery | None:
    """Take the key for this run: a new row, or a failed one retried. None if it is sent or being
    sent already (by this run's twin)."""
    try:
        with transaction.atomic():
            return Delivery.objects.create(key=key, subscription=subscription, topic=subscription.topic,
                                           recipient=recipient.email)
    except IntegrityError:
        retried = Delivery.objects.filter(key=key, status=Delivery.Status.FAILED).update(
            status=Delivery.Status.SENDING, error="")
        return Delivery.objects.get(key=key) if retried else None


def deliver(subscription: Subscription, *, key: str, render: Callable[[Recipient], Message | None]) -> Result:
    """Send the message `render` makes to the subscription's recipient, once per `key` (see the
    module's docstring). Must not run inside a transaction that may roll back after sending."""
    subscription = Subscription.objects.select_related("user").get(pk=subscription.pk)
    recipient = recipient_for(subscription)
    if recipient is None:
        return Result.INACTIVE
    if Delivery.objects.filter(key=key).exclude(status=Delivery.Status.FAILED).exists():
        return Result.ALREADY_SENT
    with translation.override(recipient.language):
        message = render(recipient)
        if message is None:
            return Result.SKIPPED
        unsubscribe_link = unsubscribe_url(subscription)
        footer = _("You get this because you asked to. To stop these messages: %(url)s") % {"url": unsubscribe_link}
    delivery = _claim(key, subscription, recipient)
    if delivery is None:
        return Result.ALREADY_SENT
    email = EmailMessage(
        subject=message.subject,
        body=f"{message.body.rstrip()}\n\n-- \n{footer}\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            "Content-Language": recipient.language,
            **message.headers,
        },
    )
    if message.html:
        from django.core.mail import EmailMultiAlternatives

        email = EmailMultiAlternatives(email.subject, email.body, email.from_email, email.to, headers=email.extra_headers)
        email.attach_alternative(message.html, "text/html")
    try:
        email.send(using=getattr(settings, "NOTIFICATIONS_MAILER", "default"))
    except Exception as exc:  # noqa: BLE001 - recorded; the next run retries a failed key
        log.exception("delivery %s failed", key)
        Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.FAILED, error=str(exc)[:500])
        return Result.FAILED
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.SENT, sent_at=timezone.now())
    return Result.SENT


def notify_address(*, email: str, language: str, topic: str, key: str,
                   render: Callable[[Recipient], Message | None], object_id: int | None = None) -> Result:
    """Send to an address outside the site once per `key`: subscribes it to `topic` if it is not
    yet (so the email carries its unsubscribe link), and sends nothing if it unsubscribed."""
    subscription = subscribe(email=email, language=language, topic=topic, object_id=object_id)
    return deliver(subscription, key=key, render=render)
