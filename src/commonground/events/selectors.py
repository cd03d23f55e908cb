"""Event reads. The one visibility rule for events lives here; every channel uses it.

- a group's event: visible to signed-in members when the group is public; when the group is
  private or secret, only to the group's active members (an invitation is not enough);
- a member's event for their connections (no group): visible to the creator and the
  creator's connections.

Nobody else learns it exists: the same 404 as a missing event, absent from every list, feed,
search and count. Anonymous visitors see no events.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from commonground.accounts.models import User
from commonground.core.markdown import render_markdown
from commonground.core.pagination import Page
from commonground.events.errors import EventNotFound
from commonground.events.models import Event, EventStatus, Rsvp, RsvpState
from commonground.groups.models import GroupVisibility, Membership, MembershipState
from commonground.groups.selectors import (
    Place,
    group_visible,
    membership_of,
    place_fits,
    q_group_visible_to,
    viewer_place,
)
from commonground.interests.models import Interest
from commonground.profiles.models import Profile
from commonground.profiles.selectors import Viewer, rarity_weight, total_members

# Discovery ranks at most this many of the soonest visible events in Python.
RANK_WINDOW = 300
GROUP_BONUS = 1.0
CONNECTION_BONUS = 0.5
# In-person events elsewhere still show, well below those near the viewer.
ELSEWHERE_FACTOR = 0.25
NEAR_FACTOR = 0.6


def q_event_visible_to(viewer: Viewer, *, prefix: str = "") -> Q:
    """The rule as a filter, for lists, search, feeds and counts."""
    if not viewer.is_member:
        return Q(**{f"{prefix}pk__in": []})
    user_id: int = viewer.user_id  # type: ignore[assignment]
    active = Membership.objects.filter(user_id=user_id, state=MembershipState.ACTIVE).values(
        "group_id"
    )
    in_group = (
        Q(**{f"{prefix}group__isnull": False})
        & q_group_visible_to(viewer, prefix=f"{prefix}group__")
        & (
            Q(**{f"{prefix}group__visibility": GroupVisibility.PUBLIC})
            | Q(**{f"{prefix}group_id__in": active})
        )
    )
    for_connections = Q(**{f"{prefix}group__isnull": True}) & (
        Q(**{f"{prefix}creator_id": user_id})
        | Q(**{f"{prefix}creator_id__in": sorted(viewer.connections)})
    )
    return in_group | for_connections


def event_visible(*, event: Event, membership: Membership | None, viewer: Viewer) -> bool:
    """The same rule for one event, for the detail channel. `membership` is the viewer's in
    the event's group (None without one)."""
    if not viewer.is_member:
        return False
    if event.group_id is None:
        return event.creator_id == viewer.user_id or event.creator_id in viewer.connections
    group = event.group
    if group is None or not group_visible(group=group, membership=membership, viewer=viewer):
        return False
    return group.visibility == GroupVisibility.PUBLIC or (
        membership is not None and membership.is_active
    )


def events_visible_to(viewer: Viewer) -> QuerySet[Event]:
    return Event.objects.filter(q_event_visible_to(viewer))


@dataclass
class EventView:
    """An event as one viewer may see it."""

    event: Event
    topics: list[Interest]
    membership: Membership | None
    rsvp: Rsvp | None
    is_organizer: bool
    waitlist_position: int | None = None
    score: float = 0.0
    shared: list[Interest] = field(default_factory=list)

    @property
    def public_id(self) -> str:
        return self.event.public_id

    @property
    def description_html(self) -> str:
        return render_markdown(self.event.description)

    @property
    def state(self) -> str | None:
        return self.rsvp.state if self.rsvp else None

    @property
    def is_going(self) -> bool:
        return self.state == RsvpState.GOING

    @property
    def checked_in(self) -> bool:
        return self.rsvp is not None and self.rsvp.checked_in_at is not None

    @property
    def can_see_link(self) -> bool:
        """The online link is for attendees who are going, and the organizers."""
        return bool(self.event.online_url) and (self.is_going or self.is_organizer)

    @property
    def is_past(self) -> bool:
        return self.event.ends_at <= timezone.now()

    @property
    def is_open(self) -> bool:
        return not self.event.is_cancelled and not self.is_past

    @property
    def starts_local(self) -> datetime:
        return timezone.localtime(self.event.starts_at, ZoneInfo(self.event.tz_name))

    @property
    def ends_local(self) -> datetime:
        return timezone.localtime(self.event.ends_at, ZoneInfo(self.event.tz_name))


def is_organizer(*, event: Event, membership: Membership | None, user_id: int | None) -> bool:
    """The creator, and for a group's event the group's organizers."""
    if user_id is None:
        return False
    if event.creator_id == user_id:
        return True
    return event.group_id is not None and membership is not None and membership.is_organizer


def waitlist_position(rsvp: Rsvp) -> int | None:
    if rsvp.state != RsvpState.WAITLISTED or rsvp.waitlisted_at is None:
        return None
    ahead = (
        Rsvp.objects.filter(event_id=rsvp.event_id, state=RsvpState.WAITLISTED)
        .filter(
            Q(waitlisted_at__lt=rsvp.waitlisted_at)
            | Q(waitlisted_at=rsvp.waitlisted_at, pk__lt=rsvp.pk)
        )
        .count()
    )
    return ahead + 1


def event_get(*, viewer: Viewer, public_id: str) -> EventView:
    """One event as this viewer may see it; EventNotFound when hidden or missing alike."""
    event = (
        Event.objects.select_related("group", "creator__profile", "series")
        .filter(public_id=public_id)
        .first()
    )
    membership = (
        membership_of(group=event.group, user_id=viewer.user_id)
        if event is not None and event.group is not None
        else None
    )
    if event is None or not event_visible(event=event, membership=membership, viewer=viewer):
        raise EventNotFound("No such event.")
    # Visible events have signed-in viewers only.
    user_id: int = viewer.user_id  # type: ignore[assignment]
    rsvp = Rsvp.objects.filter(event=event, user_id=user_id).first()
    return EventView(
        event=event,
        topics=list(event.topics.order_by("name")),
        membership=membership,
        rsvp=rsvp,
        is_organizer=is_organizer(event=event, membership=membership, user_id=viewer.user_id),
        waitlist_position=waitlist_position(rsvp) if rsvp else None,
    )


def _place_factor(*, event: Event, place: Place) -> float:
    if event.mode != "in_person":
        return 1.0
    if event.group is not None and event.group.scope == "virtual" and not event.city_key:
        return 1.0
    if event.city_key and place.city and event.city_key == place.city:
        return 1.0
    if event.country_key and place.country and event.country_key == place.country:
        return NEAR_FACTOR
    if not event.city_key and not event.country_key and event.group is not None:
        return 1.0 if place_fits(group=event.group, place=place) else ELSEWHERE_FACTOR
    return ELSEWHERE_FACTOR


def _views(*, viewer: Viewer, events: Sequence[Event], rank: bool) -> list[EventView]:
    total = total_members()
    mine: dict[int, float] = {}
    if viewer.user_id is not None:
        rows = Interest.objects.filter(members__user_id=viewer.user_id).values_list(
            "id", "member_count"
        )
        mine = {pk: rarity_weight(count, total) for pk, count in rows}
    group_ids = {e.group_id for e in events if e.group_id is not None}
    memberships = (
        {
            m.group_id: m
            for m in Membership.objects.filter(user_id=viewer.user_id, group_id__in=group_ids)
        }
        if viewer.user_id is not None and group_ids
        else {}
    )
    rsvps = (
        {r.event_id: r for r in Rsvp.objects.filter(user_id=viewer.user_id, event__in=events)}
        if viewer.user_id is not None and events
        else {}
    )
    place = viewer_place(viewer) if rank else Place()
    views = []
    for event in events:
        topics = sorted(event.topics.all(), key=lambda i: i.name)
        membership = memberships.get(event.group_id) if event.group_id else None
        shared = [t for t in topics if t.pk in mine]
        score = 0.0
        if rank:
            # The rarer a shared topic, the more it counts (as for people and groups).
            score = sum(mine[t.pk] for t in shared)
            if membership is not None and membership.is_active:
                score += GROUP_BONUS
            elif event.group_id is None and event.creator_id in viewer.connections:
                score += CONNECTION_BONUS
            score *= _place_factor(event=event, place=place)
        views.append(
            EventView(
                event=event,
                topics=topics,
                membership=membership,
                rsvp=rsvps.get(event.pk),
                is_organizer=is_organizer(
                    event=event, membership=membership, user_id=viewer.user_id
                ),
                score=score,
                shared=shared,
            )
        )
    return views


def _upcoming(viewer: Viewer) -> QuerySet[Event]:
    return (
        events_visible_to(viewer)
        .filter(status=EventStatus.SCHEDULED, ends_at__gt=timezone.now())
        .select_related("group")
        .prefetch_related("topics")
    )


def event_list_for(*, viewer: Viewer, page: int = 1, size: int = 20) -> Page[EventView]:
    """Upcoming events this viewer may see, ranked by shared interests (rarity-weighted),
    their groups and connections, and distance; sooner first among equals. A series shows
    once, by its next occurrence."""
    later_in_series = Event.objects.filter(
        series=OuterRef("series"), status=EventStatus.SCHEDULED, ends_at__gt=timezone.now()
    ).order_by("starts_at", "pk")
    events = (
        _upcoming(viewer)
        .annotate(next_in_series=Subquery(later_in_series.values("pk")[:1]))
        .filter(Q(series__isnull=True) | Q(pk=F("next_in_series")))
    )
    count = events.count()
    candidates = list(events.order_by("starts_at", "pk")[:RANK_WINDOW])
    views = _views(viewer=viewer, events=candidates, rank=True)
    views.sort(key=lambda v: (-round(v.score, 6), v.event.starts_at, v.event.pk))
    start = (page - 1) * size
    return Page(items=views[start : start + size], number=page, size=size, total=count)


def event_list_mine(*, viewer: Viewer, limit: int = 50) -> list[EventView]:
    """Upcoming events the viewer organizes or has answered (going, waitlisted, pending)."""
    if viewer.user_id is None:
        return []
    answered = Rsvp.objects.filter(
        user_id=viewer.user_id,
        state__in=[RsvpState.GOING, RsvpState.WAITLISTED, RsvpState.PENDING],
    ).values("event_id")
    events = list(
        events_visible_to(viewer)
        .filter(ends_at__gt=timezone.now())
        .filter(Q(creator_id=viewer.user_id) | Q(pk__in=answered))
        .select_related("group")
        .prefetch_related("topics")
        .order_by("starts_at", "pk")[:limit]
    )
    return _views(viewer=viewer, events=events, rank=False)


def event_list_recent(*, viewer: Viewer, days: int = 30, limit: int = 10) -> list[EventView]:
    """Events the viewer went to that ended in the last `days` days, latest first: where
    their follow-ups wait."""
    if viewer.user_id is None:
        return []
    now = timezone.now()
    went = Rsvp.objects.filter(user_id=viewer.user_id, state=RsvpState.GOING).values("event_id")
    events = list(
        events_visible_to(viewer)
        .filter(pk__in=went, ends_at__lte=now, ends_at__gt=now - timedelta(days=days))
        .exclude(status=EventStatus.CANCELLED)
        .select_related("group")
        .prefetch_related("topics")
        .order_by("-ends_at", "pk")[:limit]
    )
    return _views(viewer=viewer, events=events, rank=False)


def event_list_of_group(*, viewer: Viewer, group_id: int, limit: int = 20) -> list[EventView]:
    """A group's upcoming events, as this viewer may see them."""
    events = list(_upcoming(viewer).filter(group_id=group_id).order_by("starts_at", "pk")[:limit])
    return _views(viewer=viewer, events=events, rank=False)


def events_going_for_feed(*, user_id: int, since_days: int = 60) -> list[Event]:
    """What a member is going to (and may still see), for their calendar subscription."""

    user = User.objects.filter(pk=user_id, is_active=True).first()
    viewer = Viewer.for_user(user)
    going = Rsvp.objects.filter(user_id=user_id, state=RsvpState.GOING).values("event_id")
    return list(
        events_visible_to(viewer)
        .filter(pk__in=going, ends_at__gt=timezone.now() - timedelta(days=since_days))
        .select_related("group", "creator__profile")
        .order_by("starts_at", "pk")
    )


@dataclass(frozen=True)
class AttendeeRef:
    user_id: int
    public_id: str
    display_name: str
    state: str
    checked_in: bool


def event_attendees(*, viewer: Viewer, view: EventView) -> list[AttendeeRef]:
    """Who is going, in RSVP order; organizers also see the waitlist and requests."""
    states = [RsvpState.GOING]
    if view.is_organizer:
        states += [RsvpState.PENDING, RsvpState.WAITLISTED]
    rows = (
        Rsvp.objects.filter(event=view.event, state__in=states)
        .exclude(user_id__in=sorted(viewer.blocked))
        .select_related("user__profile")
        .order_by("waitlisted_at", "created_at", "pk")
    )
    refs = []
    for row in rows:
        profile: Profile | None = getattr(row.user, "profile", None)
        refs.append(
            AttendeeRef(
                user_id=row.user_id,
                public_id=row.user.public_id,
                display_name=(profile.display_name if profile else "") or "Member",
                state=row.state,
                checked_in=row.checked_in_at is not None,
            )
        )
    order = {RsvpState.GOING: 0, RsvpState.PENDING: 1, RsvpState.WAITLISTED: 2}
    return sorted(refs, key=lambda r: order.get(RsvpState(r.state), 3))
