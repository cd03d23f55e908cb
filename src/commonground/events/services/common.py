"""Helpers shared by the event services: the organizer check, locking, notifications."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commonground.accounts.models import User
from commonground.events.errors import EventClosed, NotEventOrganizer
from commonground.events.models import Event
from commonground.events.selectors import EventView, event_get, events_visible_to
from commonground.notifications.services import notify
from commonground.profiles.selectors import Viewer


def view_for(*, user: User, public_id: str) -> EventView:
    return event_get(viewer=Viewer.for_user(user), public_id=public_id)


def as_organizer(*, user: User, public_id: str) -> EventView:
    view = view_for(user=user, public_id=public_id)
    if not view.is_organizer:
        raise NotEventOrganizer("Only the event's organizers can do that.")
    return view


def locked(event_id: int) -> Event:
    """The event row, locked until the transaction ends (PostgreSQL; SQLite's IMMEDIATE
    transactions already hold the one write lock), so seat counts and the waitlist change
    one writer at a time."""
    return Event.objects.select_for_update().get(pk=event_id)


def ensure_open(event: Event) -> None:
    if event.is_cancelled:
        raise EventClosed("This event is cancelled.")
    if event.ends_at <= timezone.now():
        raise EventClosed("This event is over.")


def event_url(event: Event) -> str:
    return reverse("events:detail", args=[event.public_id])


def notify_on_commit(
    *, recipients: Iterable[int], kind: str, text: str, event: Event, actor: User | None = None
) -> None:
    """Tell members after the transaction commits (never about a change that rolled back)."""
    ids = sorted(set(recipients))
    if not ids:
        return
    url = event_url(event)
    key = f"event:{event.public_id}"

    def send() -> None:
        for user in User.objects.filter(pk__in=ids, is_active=True):
            # The one visibility rule, again: someone who left a secret group since
            # answering hears nothing about its events.
            if not events_visible_to(Viewer.for_user(user)).filter(pk=event.pk).exists():
                continue
            notify(recipient=user, kind=kind, text=text, url=url, actor=actor, thread_key=key)

    transaction.on_commit(send)
