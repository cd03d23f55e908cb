"""Changing and cancelling an event, or every later occurrence of its series."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F

from commonground.accounts.models import User
from commonground.events.errors import CapacityTooLow, EventClosed, EventInvalid
from commonground.events.models import Event, EventStatus, Rsvp, RsvpState, Series
from commonground.events.recurrence import occurrence_instant
from commonground.events.services.common import as_organizer, locked, notify_on_commit
from commonground.events.services.events import EventInput, clean_event_input
from commonground.events.services.rsvps import promote_waitlist

SCOPES = ("one", "series")
# Changing any of these tells everyone going.
_NOTICED = ("starts_at", "ends_at", "tz_name", "mode", "venue", "address", "city", "online_url")
_UPDATABLE = (
    "title",
    "description",
    "kind",
    "mode",
    "venue",
    "address",
    "city",
    "country",
    "city_key",
    "country_key",
    "online_url",
    "capacity",
    "requires_approval",
)


def _targets(event: Event, scope: str) -> list[Event]:
    if scope not in SCOPES:
        raise EventInvalid("Choose this event or the whole series.", field="scope")
    if scope == "one" or event.series_id is None:
        return [event]
    later = (
        Event.objects.select_for_update()
        .filter(
            series_id=event.series_id,
            starts_at__gte=event.starts_at,
            detached=False,
            status=EventStatus.SCHEDULED,
        )
        .exclude(pk=event.pk)
        .order_by("starts_at")
    )
    return [event, *later]


def _going(event_ids: list[int], *states: str) -> list[int]:
    return list(
        Rsvp.objects.filter(event_id__in=event_ids, state__in=states or (RsvpState.GOING,))
        .values_list("user_id", flat=True)
        .distinct()
    )


def event_update(*, user: User, public_id: str, data: EventInput, scope: str = "one") -> Event:
    """Change an event, or (scope="series") it and every later occurrence not edited on its
    own. A new time moves each occurrence by the same local wall-clock shift. Going members
    hear of a new time or place; a bigger capacity seats the waitlist at once."""
    view = as_organizer(user=user, public_id=public_id)
    fields = clean_event_input(data)
    topics = fields.pop("topics")
    with transaction.atomic():
        event = locked(view.event.pk)
        if event.is_cancelled:
            raise EventClosed("This event is cancelled; it can't be changed.")
        targets = _targets(event, scope)
        zone = ZoneInfo(fields["tz_name"])
        old_zone = ZoneInfo(event.tz_name)
        shift = fields["starts_at"].astimezone(zone).replace(
            tzinfo=None
        ) - event.starts_at.astimezone(old_zone).replace(tzinfo=None)
        length = fields["ends_at"] - fields["starts_at"]
        noticed: list[Event] = []
        for target in targets:
            changes: dict[str, Any] = {name: fields[name] for name in _UPDATABLE}
            if target.pk == event.pk:
                changes.update(
                    starts_at=fields["starts_at"], ends_at=fields["ends_at"], tz_name=zone.key
                )
            else:
                local = target.starts_at.astimezone(ZoneInfo(target.tz_name)).replace(tzinfo=None)
                starts_at = occurrence_instant(local + shift, zone)
                changes.update(starts_at=starts_at, ends_at=starts_at + length, tz_name=zone.key)
            if changes["capacity"] is not None and changes["capacity"] < target.seats_taken:
                raise CapacityTooLow(
                    f"{target.seats_taken} people are going on "
                    f"{target.starts_at.astimezone(zone):%d %b %Y}: capacity can't go below that.",
                    field="capacity",
                )
            if any(getattr(target, name) != changes[name] for name in _NOTICED):
                noticed.append(target)
            if scope == "one" and target.series_id is not None:
                changes["detached"] = True
            Event.objects.filter(pk=target.pk).update(**changes, sequence=F("sequence") + 1)
            target.refresh_from_db()
            target.topics.set(topics)
            promote_waitlist(target)
        if scope == "series" and event.series_id is not None:
            _move_series(event.series_id, shift=shift, length=length, zone=zone)
        for target in noticed:
            notify_on_commit(
                recipients=_going([target.pk]),
                kind="events.update",
                text=f"{target.title} changed: check the new time and place.",
                event=target,
                actor=user,
            )
    event.refresh_from_db()
    return event


def _move_series(series_id: int, *, shift: timedelta, length: timedelta, zone: ZoneInfo) -> None:
    series = Series.objects.get(pk=series_id)
    series.first_local_start = series.first_local_start + shift
    series.duration_minutes = int(length.total_seconds() // 60)
    series.tz_name = zone.key
    series.save(update_fields=["first_local_start", "duration_minutes", "tz_name"])


def _local_day(event: Event) -> str:
    return f"{event.starts_at.astimezone(ZoneInfo(event.tz_name)):%d %b}"


def event_cancel(*, user: User, public_id: str, scope: str = "one") -> Event:
    """Cancel an event, or it and every later occurrence; everyone who answered is told."""
    view = as_organizer(user=user, public_id=public_id)
    with transaction.atomic():
        event = locked(view.event.pk)
        if event.is_cancelled:
            return event
        targets = _targets(event, scope)
        for target in targets:
            Event.objects.filter(pk=target.pk).update(
                status=EventStatus.CANCELLED, sequence=F("sequence") + 1
            )
            notify_on_commit(
                recipients=_going(
                    [target.pk], RsvpState.GOING, RsvpState.WAITLISTED, RsvpState.PENDING
                ),
                kind="events.update",
                text=f"{target.title} on {_local_day(target)} is cancelled.",
                event=target,
                actor=user,
            )
    event.refresh_from_db()
    return event
