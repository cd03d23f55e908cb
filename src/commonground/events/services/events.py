"""Creating, changing and cancelling events and series."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from commonground.accounts.models import User
from commonground.core.validation import clean_text
from commonground.events.errors import EventInvalid, NotEventOrganizer
from commonground.events.models import (
    DESCRIPTION_MAX_LENGTH,
    MAX_CAPACITY,
    MAX_EVENT_TOPICS,
    TITLE_MAX_LENGTH,
    Event,
    EventKind,
    EventMode,
    Series,
)
from commonground.events.recurrence import (
    HORIZON,
    Rule,
    local_to_utc,
    occurrence_instant,
    occurrence_starts,
    resolve_zone,
    validate_rule,
    week_of_month,
)
from commonground.groups.selectors import group_get
from commonground.interests.models import Interest, InterestStatus
from commonground.profiles.selectors import Viewer

MAX_DURATION = timedelta(days=7)
MAX_AHEAD = timedelta(days=5 * 366)


@dataclass(frozen=True)
class EventInput:
    """What an organizer fills in. Times are local wall-clock times in `tz_name`."""

    title: str
    starts_local: datetime
    ends_local: datetime
    tz_name: str = "UTC"
    description: str = ""
    kind: str = EventKind.GET_TOGETHER
    mode: str = EventMode.IN_PERSON
    venue: str = ""
    address: str = ""
    city: str = ""
    country: str = ""
    online_url: str = ""
    topics: Sequence[Interest] = field(default_factory=tuple)
    capacity: int | None = None
    requires_approval: bool = False


def clean_event_input(data: EventInput) -> dict[str, Any]:
    title = clean_text(data.title, field="title", max_length=TITLE_MAX_LENGTH, required=True)
    if len(title) < 3:
        raise EventInvalid("A title needs at least 3 characters.", field="title")
    if data.kind not in EventKind.values:
        raise EventInvalid("Choose get-together, workshop, talk or speed networking.", field="kind")
    if data.mode not in EventMode.values:
        raise EventInvalid("Choose in person, virtual or hybrid.", field="mode")
    fields: dict[str, Any] = {
        "title": title,
        "description": clean_text(
            data.description, field="description", max_length=DESCRIPTION_MAX_LENGTH
        ),
        "kind": data.kind,
        "mode": data.mode,
        "venue": clean_text(data.venue, field="venue", max_length=120),
        "address": clean_text(data.address, field="address", max_length=300),
        "city": clean_text(data.city, field="city", max_length=80),
        "country": clean_text(data.country, field="country", max_length=80),
        "online_url": clean_text(data.online_url, field="online_url", max_length=500),
        "requires_approval": bool(data.requires_approval),
    }
    if data.mode != EventMode.VIRTUAL and not (fields["venue"] or fields["address"]):
        raise EventInvalid("An in-person event needs a venue or an address.", field="venue")
    if data.mode == EventMode.VIRTUAL:
        fields.update(venue="", address="")
    if data.mode != EventMode.IN_PERSON:
        if not fields["online_url"]:
            raise EventInvalid(
                "A virtual or hybrid event needs its online link.", field="online_url"
            )
        try:
            URLValidator(schemes=["https", "http"])(fields["online_url"])
        except ValidationError:
            raise EventInvalid(
                "Give the full link, starting with https://.", field="online_url"
            ) from None
    else:
        fields["online_url"] = ""
    fields["city_key"] = fields["city"].casefold()
    fields["country_key"] = fields["country"].casefold()
    if data.capacity is not None and not 1 <= data.capacity <= MAX_CAPACITY:
        raise EventInvalid(
            f"Capacity is a number of seats from 1 to {MAX_CAPACITY:,}, or empty for no limit.",
            field="capacity",
        )
    fields["capacity"] = data.capacity
    fields.update(_times(data))
    topics = list({t.pk: t for t in data.topics}.values())
    if len(topics) > MAX_EVENT_TOPICS:
        raise EventInvalid(f"Choose at most {MAX_EVENT_TOPICS} topics.", field="topics")
    if any(t.status == InterestStatus.MERGED for t in topics):
        raise EventInvalid("Use the interest it was merged into.", field="topics")
    fields["topics"] = topics
    return fields


def _times(data: EventInput) -> dict[str, Any]:
    zone = resolve_zone(data.tz_name)
    starts_local = _naive_in(data.starts_local, zone)
    ends_local = _naive_in(data.ends_local, zone)
    if not 2000 <= starts_local.year <= 2100 or not 2000 <= ends_local.year <= 2100:
        raise EventInvalid("Choose a start between the years 2000 and 2100.", field="starts_at")
    starts_at = local_to_utc(starts_local, zone, field="starts_at")
    ends_at = local_to_utc(ends_local, zone, field="ends_at")
    if ends_at <= starts_at:
        raise EventInvalid("The event must end after it starts.", field="ends_at")
    if ends_at - starts_at > MAX_DURATION:
        raise EventInvalid("An event lasts at most 7 days.", field="ends_at")
    if starts_at - timezone.now() > MAX_AHEAD:
        raise EventInvalid("Plan at most 5 years ahead.", field="starts_at")
    return {"starts_at": starts_at, "ends_at": ends_at, "tz_name": zone.key}


def _naive_in(value: datetime, zone: ZoneInfo) -> datetime:
    """A datetime given with an offset is read in the event's zone; a naive one is local."""
    if value.tzinfo is not None:
        try:
            value = value.astimezone(zone)
        except (OverflowError, ValueError):
            raise EventInvalid("Choose a date between the years 2000 and 2100.") from None
    return value.replace(tzinfo=None, second=0, microsecond=0)


def _allowed_to_create(*, user: User, group_slug: str | None) -> int | None:
    if not group_slug:
        return None
    view = group_get(viewer=Viewer.for_user(user), slug=group_slug)
    if not view.is_organizer:
        raise NotEventOrganizer("Only the group's organizers can create its events.")
    return view.group.pk


def event_create(
    *, user: User, data: EventInput, group_slug: str | None = None, rule: Rule | None = None
) -> Event:
    """A new event of a group (its organizers) or for the creator's connections; with a rule,
    a series whose occurrences are made for the next six months."""
    fields = clean_event_input(data)
    if fields["starts_at"] <= timezone.now():
        raise EventInvalid("Choose a start in the future.", field="starts_at")
    group_id = _allowed_to_create(user=user, group_slug=group_slug)
    topics = fields.pop("topics")
    zone = ZoneInfo(fields["tz_name"])
    first_local = fields["starts_at"].astimezone(zone).replace(tzinfo=None)
    if rule is not None:
        rule = validate_rule(rule, first_local=first_local)
    with transaction.atomic():
        if rule is None:
            event = Event.objects.create(**fields, group_id=group_id, creator=user)
            event.topics.set(topics)
            return event
        series = Series.objects.create(
            creator=user,
            group_id=group_id,
            frequency=rule.frequency,
            interval=rule.interval,
            week_of_month=week_of_month(first_local.date())
            if rule.frequency == "monthly"
            else None,
            until=rule.until,
            count=rule.count,
            first_local_start=first_local.replace(tzinfo=UTC),
            tz_name=zone.key,
            duration_minutes=int((fields["ends_at"] - fields["starts_at"]).total_seconds() // 60),
        )
        template = Event(**fields, group_id=group_id, creator=user)
        made = _materialize(series=series, template=template, topics=topics, start_index=0)
        return made[0]


def series_rule(series: Series) -> Rule:
    return Rule(
        frequency=series.frequency,
        interval=series.interval,
        until=series.until,
        count=series.count,
    )


_COPIED = (
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
    "group_id",
    "creator_id",
)


def _materialize(
    *, series: Series, template: Event, topics: Sequence[Interest], start_index: int
) -> list[Event]:
    zone = ZoneInfo(series.tz_name)
    # Six months past now, or past the first occurrence for a series that starts later.
    first_at = occurrence_instant(series.first_local_start.replace(tzinfo=None), zone)
    horizon = (max(timezone.now(), first_at) + HORIZON).astimezone(zone)
    starts = occurrence_starts(
        rule=series_rule(series),
        first_local=series.first_local_start.replace(tzinfo=None),
        week_of_month_=series.week_of_month,
        start_index=start_index,
        horizon_local=horizon,
    )
    if start_index == 0 and not starts:
        starts = [(0, series.first_local_start.replace(tzinfo=None))]
    length = timedelta(minutes=series.duration_minutes)
    made = []
    for index, local in starts:
        starts_at = occurrence_instant(local, zone)
        event = Event(
            **{name: getattr(template, name) for name in _COPIED},
            starts_at=starts_at,
            ends_at=occurrence_instant(local + length, zone),
            tz_name=series.tz_name,
            series=series,
            series_index=index,
        )
        made.append(event)
    # Running twice (or two extenders at once) makes each occurrence once.
    Event.objects.bulk_create(made, ignore_conflicts=True)
    made = list(
        Event.objects.filter(
            series=series, series_index__in=[index for index, _ in starts]
        ).order_by("series_index")
    )
    through = Event.topics.through
    through.objects.bulk_create(
        [through(event_id=e.pk, interest_id=t.pk) for e in made for t in topics],
        ignore_conflicts=True,
    )
    return made


def event_series_extend() -> int:
    """Make the occurrences of every series that fall within the next six months; safe to run
    again (the database keeps one event per series index). The number made."""
    before = Event.objects.filter(series__isnull=False).count()
    for series in Series.objects.all():
        last = series.occurrences.order_by("-series_index").first()
        if last is None or last.series_index is None:
            continue
        template = (
            series.occurrences.filter(detached=False).order_by("-series_index").first() or last
        )
        if template.is_cancelled:
            continue
        with transaction.atomic():
            _materialize(
                series=series,
                template=template,
                topics=list(template.topics.all()),
                start_index=last.series_index + 1,
            )
    return Event.objects.filter(series__isnull=False).count() - before
