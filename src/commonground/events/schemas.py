"""Wire formats of /api/v1/events. Inputs validate lengths, enums and NUL bytes at the edge;
dates, time zones and recurrence rules are checked again by the services."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from commonground.api.schemas import Text
from commonground.events.models import (
    DESCRIPTION_MAX_LENGTH,
    MAX_CAPACITY,
    MAX_EVENT_TOPICS,
    TITLE_MAX_LENGTH,
)
from commonground.events.recurrence import MAX_COUNT, MAX_INTERVAL
from commonground.events.services.speed import MAX_ROUNDS
from commonground.profiles.api import PUBLIC_ID_PATTERN

EventId = Annotated[str, Field(max_length=16, pattern=PUBLIC_ID_PATTERN)]
MemberId = Annotated[str, Field(max_length=32, pattern=PUBLIC_ID_PATTERN)]
InterestSlug = Annotated[str, Field(max_length=90, pattern=r"^[a-z0-9_-]+$")]
KindChoice = Literal["get_together", "workshop", "talk", "speed_networking"]
ModeChoice = Literal["in_person", "virtual", "hybrid"]
ScopeChoice = Literal["one", "series"]


class TopicOut(Schema):
    slug: str
    name: str


class EventOut(Schema):
    id: str
    title: str
    description: str
    kind: KindChoice
    mode: ModeChoice
    venue: str
    address: str
    city: str
    country: str
    online_url: str | None = Field(None, description="Only for attendees going and organizers")
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    starts_local: str = Field(description="Local wall-clock start in the event's time zone")
    topics: list[TopicOut]
    capacity: int | None
    seats_taken: int
    requires_approval: bool
    status: Literal["scheduled", "cancelled"]
    group: str | None
    series: str | None
    my_state: str | None = None
    waitlist_position: int | None = None
    is_organizer: bool = False
    score: float = 0.0


class EventPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[EventOut]


class PageQuery(Schema):
    page: Annotated[int, Field(1, ge=1, le=10_000)] = 1
    page_size: Annotated[int, Field(20, ge=1, le=100)] = 20


class RecurrenceIn(Schema):
    frequency: Literal["weekly", "monthly"]
    interval: int = Field(1, ge=1, le=MAX_INTERVAL, description="Every N weeks or months")
    count: int | None = Field(None, ge=2, le=MAX_COUNT)
    until: date | None = None


class EventIn(Schema):
    title: Text = Field(max_length=TITLE_MAX_LENGTH)
    description: Text = Field("", max_length=DESCRIPTION_MAX_LENGTH)
    kind: KindChoice = "get_together"
    mode: ModeChoice = "in_person"
    venue: Text = Field("", max_length=120)
    address: Text = Field("", max_length=300)
    city: Text = Field("", max_length=80)
    country: Text = Field("", max_length=80)
    online_url: Text = Field("", max_length=500)
    starts_at: datetime = Field(description="Local time in time_zone, e.g. 2031-10-21T18:30")
    ends_at: datetime
    time_zone: Text = Field("UTC", max_length=64, description="IANA name, e.g. Europe/Paris")
    topics: list[InterestSlug] = Field([], max_length=MAX_EVENT_TOPICS)
    capacity: int | None = Field(None, ge=1, le=MAX_CAPACITY)
    requires_approval: bool = False


class EventCreateIn(EventIn):
    group: Annotated[str, Field(max_length=16, pattern=PUBLIC_ID_PATTERN)] | None = None
    recurrence: RecurrenceIn | None = None


class ScopeQuery(Schema):
    scope: ScopeChoice = "one"


class RsvpOut(Schema):
    event: str
    state: str
    waitlist_position: int | None = None
    checked_in: bool = False


class AttendeeOut(Schema):
    id: str
    display_name: str
    state: str
    checked_in: bool


class PersonOut(Schema):
    id: str
    display_name: str
    shared_interests: list[str]
    score: float
    met: bool = False


class SeatOut(Schema):
    id: str | None
    display_name: str
    shared_interests: list[str] = []


class SittingOut(Schema):
    round: int
    table: int
    partners: list[SeatOut]


class TableOut(Schema):
    table: int
    seats: list[SeatOut]


class PlanOut(Schema):
    people: int
    seed: int
    total_weight: float
    mine: list[SittingOut]
    rounds: list[list[TableOut]] = Field(description="The whole plan: organizers only")


class PlanIn(Schema):
    rounds: int = Field(ge=1, le=MAX_ROUNDS)
    seed: int | None = Field(None, ge=0, le=2**31 - 1)


class FeedOut(Schema):
    url: str | None
