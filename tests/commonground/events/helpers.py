"""Small builders for event tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from commonground.events import services
from commonground.events.models import Event
from commonground.events.recurrence import Rule
from commonground.events.services import EventInput
from commonground.profiles.models import Profile


def local_in(days: float, *, hour: int = 18, minute: int = 30) -> datetime:
    """A naive local wall-clock time some days from now."""
    day = (timezone.now() + timedelta(days=days)).date()
    return datetime(day.year, day.month, day.day, hour, minute)


def event_input(**fields: Any) -> EventInput:
    starts = fields.pop("starts_local", local_in(7))
    fields.setdefault("title", "Kittens & Bacon meetup")
    fields.setdefault("venue", "The Cat Café")
    fields.setdefault("tz_name", "Europe/Paris")
    return EventInput(
        starts_local=starts,
        ends_local=fields.pop("ends_local", starts + timedelta(hours=2)),
        **fields,
    )


def make_event(
    creator: Profile, *, group_slug: str | None = None, rule: Rule | None = None, **fields: Any
) -> Event:
    return services.event_create(
        user=creator.user, data=event_input(**fields), group_slug=group_slug, rule=rule
    )
