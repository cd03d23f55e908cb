"""Events: created by a group or by a member for their connections; series, RSVPs, waitlists,
check-in, calendar subscriptions and speed-networking plans."""

from __future__ import annotations

import secrets
from typing import ClassVar

from django.conf import settings
from django.db import models

from commonground.accounts.models import new_public_id
from commonground.groups.models import Group
from commonground.interests.models import Interest

TITLE_MAX_LENGTH = 120
DESCRIPTION_MAX_LENGTH = 8000
MAX_EVENT_TOPICS = 8
MAX_CAPACITY = 100_000


class EventKind(models.TextChoices):
    GET_TOGETHER = "get_together", "Get-together"
    WORKSHOP = "workshop", "Workshop"
    TALK = "talk", "Talk"
    SPEED_NETWORKING = "speed_networking", "Speed networking"


class EventMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIRTUAL = "virtual", "Virtual"
    HYBRID = "hybrid", "Hybrid"


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


class Frequency(models.TextChoices):
    WEEKLY = "weekly", "Every N weeks"
    MONTHLY = "monthly", "Monthly, on the same weekday (e.g. 2nd Tuesday)"


class Series(models.Model):
    """A recurrence rule; its occurrences are Event rows materialized ahead of time."""

    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_series"
    )
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.CASCADE, related_name="event_series"
    )
    frequency = models.CharField(max_length=8, choices=Frequency.choices)
    interval = models.PositiveSmallIntegerField(default=1)
    # For monthly series: which weekday of the month (1..4, or -1 for the last one).
    week_of_month = models.SmallIntegerField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)
    count = models.PositiveSmallIntegerField(null=True, blank=True)
    # The first occurrence's local wall-clock start, its zone and its length: later ones keep
    # the same local time across daylight-saving changes.
    first_local_start = models.DateTimeField()
    tz_name = models.CharField(max_length=64)
    duration_minutes = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(frequency__in=["weekly", "monthly"]),
                name="series_frequency_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(interval__gte=1, interval__lte=12),
                name="series_interval_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.frequency}/{self.interval} from {self.first_local_start}"


class Event(models.Model):
    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    # A group's event, or (group is null) a member's event for their connections.
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="events_created"
    )
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    description = models.TextField(max_length=DESCRIPTION_MAX_LENGTH, blank=True)
    kind = models.CharField(
        max_length=20, choices=EventKind.choices, default=EventKind.GET_TOGETHER
    )
    mode = models.CharField(max_length=10, choices=EventMode.choices, default=EventMode.IN_PERSON)
    venue = models.CharField(max_length=120, blank=True)
    address = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=80, blank=True)
    country = models.CharField(max_length=80, blank=True)
    city_key = models.CharField(max_length=80, blank=True)
    country_key = models.CharField(max_length=80, blank=True)
    # Revealed only to attendees who are going.
    online_url = models.URLField(max_length=500, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    tz_name = models.CharField(max_length=64, default="UTC")
    topics = models.ManyToManyField(Interest, related_name="events", blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    # Members going (checked in or not): kept by the RSVP services with conditional UPDATEs.
    seats_taken = models.PositiveIntegerField(default=0)
    requires_approval = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=EventStatus.choices, default=EventStatus.SCHEDULED
    )
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.SET_NULL, related_name="occurrences"
    )
    series_index = models.PositiveIntegerField(null=True, blank=True)
    # An occurrence edited on its own: whole-series edits leave it alone.
    detached = models.BooleanField(default=False)
    # RFC 5545 SEQUENCE: bumped on every change a calendar must pick up.
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True)
                | models.Q(seats_taken__lte=models.F("capacity")),
                name="event_never_overbooked",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gte=1),
                name="event_capacity_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=EventKind.values), name="event_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(mode__in=EventMode.values), name="event_mode_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=EventStatus.values), name="event_status_valid"
            ),
            models.UniqueConstraint(
                fields=["series", "series_index"], name="event_one_per_series_index"
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["starts_at"]),
            models.Index(fields=["group", "starts_at"]),
            models.Index(fields=["creator", "starts_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def is_virtual(self) -> bool:
        return self.mode in (EventMode.VIRTUAL, EventMode.HYBRID)

    @property
    def is_in_person(self) -> bool:
        return self.mode in (EventMode.IN_PERSON, EventMode.HYBRID)

    @property
    def place(self) -> str:
        return ", ".join(p for p in (self.venue, self.address, self.city, self.country) if p)

    @property
    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.seats_taken, 0)


class RsvpState(models.TextChoices):
    GOING = "going", "Going"
    WAITLISTED = "waitlisted", "On the waitlist"
    PENDING = "pending", "Waiting for approval"
    NOT_GOING = "not_going", "Not going"


# States that hold a seat (seats_taken counts them).
SEATED = (RsvpState.GOING,)


class Rsvp(models.Model):
    """One row per (event, member): the database keeps it unique under concurrent RSVPs."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_rsvps"
    )
    state = models.CharField(max_length=10, choices=RsvpState.choices)
    # FIFO order of the waitlist.
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["event", "user"], name="rsvp_unique"),
            models.CheckConstraint(
                condition=models.Q(state__in=RsvpState.values), name="rsvp_state_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(checked_in_at__isnull=True) | models.Q(state="going"),
                name="rsvp_check_in_needs_going",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["event", "state", "waitlisted_at"]),
            models.Index(fields=["user", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.event_id}: {self.state}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A member's private subscription URL; regenerating it revokes the old one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"feed of {self.user_id}"


class SpeedNetworkingPlan(models.Model):
    """Rounds of tables (lists of user ids) for one event, kept as JSON."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="speed_plan")
    rounds = models.JSONField()
    seed = models.PositiveIntegerField(default=0)
    total_weight = models.FloatField(default=0.0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"plan for {self.event_id}"
