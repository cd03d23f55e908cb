"""A member's private calendar subscription URL: made on first use, revocable."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from commonground.accounts.models import User
from commonground.events.models import CalendarFeed, new_feed_token


def calendar_feed_get_or_create(*, user: User) -> CalendarFeed:
    try:
        with transaction.atomic():
            feed, _ = CalendarFeed.objects.get_or_create(user=user)
    except IntegrityError:
        feed = CalendarFeed.objects.get(user=user)
    return feed


def calendar_feed_regenerate(*, user: User) -> CalendarFeed:
    """A new secret URL; the old one stops working at once."""
    feed = calendar_feed_get_or_create(user=user)
    CalendarFeed.objects.filter(pk=feed.pk).update(token=new_feed_token())
    feed.refresh_from_db()
    return feed


def calendar_feed_revoke(*, user: User) -> None:
    """Turn the subscription off; the next visit to the settings page makes a new URL."""
    CalendarFeed.objects.filter(user=user).delete()
