"""Personal calendar-feed links: made by their owner (shown once), revoked by their owner only."""

from django.urls import reverse

from commontable.core import feeds
from commontable.core.models import ActivityLog, FeedToken
from commontable.core.testing import assert_permission_matrix, login_as


def test_the_feed_link_page_needs_sign_in(client, personas):
    assert_permission_matrix(client, personas, "get", reverse("core:feed_token_list"), {"anonymous": 302}, default=200)


def test_a_new_link_is_shown_once_with_its_feeds_and_stored_hashed(client, personas):
    login_as(client, personas, "member_a")
    html = client.post(reverse("core:feed_token_list")).content.decode()
    token = FeedToken.objects.get(user=personas.user("member_a"))
    assert "/investments/calendar/feeds/" in html and "watchlist.ics" in html
    raw = html.split("/investments/calendar/feeds/", 1)[1].split("/", 1)[0]
    assert raw.startswith(token.prefix) and raw not in token.token_hash
    assert feeds.feed_token_user(raw) == personas.user("member_a")
    assert raw not in client.get(reverse("core:feed_token_list")).content.decode()


def test_only_the_owner_revokes_a_link(client, personas):
    token, raw = feeds.feed_token_create(user=personas.user("member_a"))
    url = reverse("core:feed_token_revoke", args=[token.pk])
    assert_permission_matrix(client, personas, "post", url, {"anonymous": 302, "member_a": 302}, default=404)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert feeds.feed_token_user(raw) is None
    assert ActivityLog.objects.filter(action="core.feed-token.revoked").count() == 1


def test_a_deactivated_users_link_stops(personas):
    user = personas.user("member_b")
    _token, raw = feeds.feed_token_create(user=user)
    user.is_active = False
    user.save()
    assert feeds.feed_token_user(raw) is None
