"""RFC 5545 calendars, built with the `icalendar` package.

Each event is a VEVENT with a stable UID, DTSTART/DTEND carrying the event's TZID, a VTIMEZONE
for each zone used (so calendar programs place it right across daylight-saving changes),
SEQUENCE bumped on every change, and STATUS:CANCELLED once cancelled. The online link goes
only into calendars of members who may see it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from commonground.events.models import Event

PRODID = "-//Common Ground//Events//EN"


def _uid(event: Event) -> str:
    host = getattr(settings, "COMMONGROUND_CALENDAR_HOST", "") or "commonground"
    return f"event-{event.public_id}@{host}"


def _vevent(event: Event, *, base_url: str, with_link: bool) -> VEvent:
    zone = ZoneInfo(event.tz_name)
    vevent = VEvent()
    vevent.add("uid", _uid(event))
    vevent.add("dtstamp", event.updated_at or timezone.now())
    vevent.add("dtstart", event.starts_at.astimezone(zone))
    vevent.add("dtend", event.ends_at.astimezone(zone))
    vevent.add("summary", event.title)
    vevent.add("sequence", event.sequence)
    vevent.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    page = f"{base_url}/events/{event.public_id}/"
    vevent.add("url", page)
    description = event.description
    if with_link and event.online_url:
        description = f"{description}\n\nJoin online: {event.online_url}".strip()
    vevent.add("description", f"{description}\n\n{page}".strip())
    place = event.place if event.is_in_person else ""
    if event.is_virtual:
        place = ", ".join(p for p in (place, "Online") if p)
    if place:
        vevent.add("location", place)
    return vevent


def calendar_for(
    events: Iterable[Event],
    *,
    base_url: str,
    name: str,
    may_see_link: Callable[[Event], bool],
    refresh_hours: int | None = None,
) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    if refresh_hours:
        # How often subscribed calendar programs should fetch the feed again.
        cal.add(
            "refresh-interval", timedelta(hours=refresh_hours), parameters={"VALUE": "DURATION"}
        )
        cal.add("x-published-ttl", f"PT{refresh_hours}H")
    for event in events:
        cal.add_component(_vevent(event, base_url=base_url, with_link=may_see_link(event)))
    cal.add_missing_timezones()
    return bytes(cal.to_ical())
