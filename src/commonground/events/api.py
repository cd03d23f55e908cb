"""/api/v1/events: discovery, creation and series, RSVPs and the waitlist, organizer tools,
calendar files and subscription, speed networking."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router
from ninja.responses import Status

from commonground.api.errors import ERRORS, WRITE_ERRORS, ErrorOut
from commonground.core.errors import NotFound
from commonground.core.http import member_of
from commonground.events import services
from commonground.events.errors import NotEventOrganizer
from commonground.events.ics import calendar_for
from commonground.events.models import (
    CalendarFeed,
    Rsvp,
)
from commonground.events.people import Seat, follow_ups, people_to_meet, speed_plan_for
from commonground.events.recurrence import Rule
from commonground.events.schemas import (
    AttendeeOut,
    EventCreateIn,
    EventId,
    EventIn,
    EventOut,
    EventPageOut,
    FeedOut,
    MemberId,
    PageQuery,
    PersonOut,
    PlanIn,
    PlanOut,
    RsvpOut,
    ScopeQuery,
)
from commonground.events.selectors import (
    EventView,
    event_attendees,
    event_get,
    event_list_for,
    event_list_mine,
    waitlist_position,
)
from commonground.events.services import EventInput
from commonground.interests.selectors import interest_get_many
from commonground.profiles.selectors import MemberView, Viewer

router = Router(tags=["events"])


def event_out(view: EventView) -> dict[str, object]:
    event = view.event
    return {
        "id": event.public_id,
        "title": event.title,
        "description": event.description,
        "kind": event.kind,
        "mode": event.mode,
        "venue": event.venue,
        "address": event.address,
        "city": event.city,
        "country": event.country,
        "online_url": event.online_url if view.can_see_link else None,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "time_zone": event.tz_name,
        "starts_local": view.starts_local.strftime("%Y-%m-%dT%H:%M"),
        "topics": [{"slug": t.slug, "name": t.name} for t in view.topics],
        "capacity": event.capacity,
        "seats_taken": event.seats_taken,
        "requires_approval": event.requires_approval,
        "status": event.status,
        "group": event.group.slug if event.group else None,
        "series": event.series.public_id if event.series else None,
        "my_state": view.state,
        "waitlist_position": view.waitlist_position,
        "is_organizer": view.is_organizer,
        "score": round(view.score, 4),
    }


def _input(payload: EventIn) -> EventInput:
    return EventInput(
        title=payload.title,
        starts_local=payload.starts_at,
        ends_local=payload.ends_at,
        tz_name=payload.time_zone,
        description=payload.description,
        kind=payload.kind,
        mode=payload.mode,
        venue=payload.venue,
        address=payload.address,
        city=payload.city,
        country=payload.country,
        online_url=payload.online_url,
        topics=interest_get_many(slugs=list(dict.fromkeys(payload.topics))),
        capacity=payload.capacity,
        requires_approval=payload.requires_approval,
    )


def _view(request: HttpRequest, public_id: str) -> EventView:
    return event_get(viewer=Viewer.for_user(request.user), public_id=public_id)


def _rsvp_out(row: Rsvp, public_id: str) -> dict[str, object]:
    return {
        "event": public_id,
        "state": row.state,
        "waitlist_position": waitlist_position(row),
        "checked_in": row.checked_in_at is not None,
    }


def _person_out(member: MemberView, *, met: bool = False) -> dict[str, object]:
    return {
        "id": member.public_id,
        "display_name": member.display_name,
        "shared_interests": [ref.name for ref in member.shared],
        "score": round(member.score, 4),
        "met": met,
    }


@router.get(
    "/events",
    response={200: EventPageOut, **ERRORS},
    summary="Upcoming events for you, ranked by shared interests, your groups and distance",
)
def events_list(request: HttpRequest, query: Query[PageQuery]) -> dict[str, object]:
    page = event_list_for(
        viewer=Viewer.for_user(request.user), page=query.page, size=query.page_size
    )
    return {
        "count": page.total,
        "page": page.number,
        "pages": page.pages,
        "results": [event_out(v) for v in page.items],
    }


@router.get(
    "/events/mine",
    response={200: list[EventOut], **ERRORS},
    summary="Upcoming events you organize or answered (going, waitlisted, requested)",
)
def events_mine(request: HttpRequest) -> list[dict[str, object]]:
    return [event_out(v) for v in event_list_mine(viewer=Viewer.for_user(request.user))]


@router.get(
    "/events/calendar-feed",
    response={200: FeedOut, **ERRORS},
    summary="Your private calendar subscription URL (null when turned off)",
)
def feed_get(request: HttpRequest) -> dict[str, object]:
    feed = CalendarFeed.objects.filter(user=member_of(request)).first()
    url = request.build_absolute_uri(f"/events/feed/{feed.token}.ics") if feed else None
    return {"url": url}


@router.post(
    "/events/calendar-feed",
    response={200: FeedOut, **WRITE_ERRORS},
    summary="Make a new subscription URL; the old one stops working",
)
def feed_regenerate(request: HttpRequest) -> dict[str, object]:
    feed = services.calendar_feed_regenerate(user=member_of(request))
    return {"url": request.build_absolute_uri(f"/events/feed/{feed.token}.ics")}


@router.delete(
    "/events/calendar-feed",
    response={204: None, **WRITE_ERRORS},
    summary="Turn the subscription URL off",
)
def feed_revoke(request: HttpRequest) -> Status:
    services.calendar_feed_revoke(user=member_of(request))
    return Status(204, None)


@router.post(
    "/events",
    response={201: EventOut, **WRITE_ERRORS},
    summary="Create an event for your connections, or for a group you organize; with a "
    "recurrence, a series (its first occurrence is answered)",
)
def event_create(request: HttpRequest, payload: EventCreateIn) -> Status:
    rule = None
    if payload.recurrence is not None:
        rule = Rule(
            frequency=payload.recurrence.frequency,
            interval=payload.recurrence.interval,
            count=payload.recurrence.count,
            until=payload.recurrence.until,
        )
    event = services.event_create(
        user=member_of(request), data=_input(payload), group_slug=payload.group, rule=rule
    )
    return Status(201, event_out(_view(request, event.public_id)))


@router.get("/events/{event_id}", response={200: EventOut, **ERRORS}, summary="One event")
def event_detail(request: HttpRequest, event_id: EventId) -> dict[str, object]:
    return event_out(_view(request, event_id))


@router.put(
    "/events/{event_id}",
    response={200: EventOut, **WRITE_ERRORS},
    summary="Change an event, or (scope=series) it and every later occurrence (organizers)",
)
def event_update(
    request: HttpRequest, event_id: EventId, payload: EventIn, query: Query[ScopeQuery]
) -> dict[str, object]:
    services.event_update(
        user=member_of(request), public_id=event_id, data=_input(payload), scope=query.scope
    )
    return event_out(_view(request, event_id))


@router.post(
    "/events/{event_id}/cancel",
    response={200: EventOut, **WRITE_ERRORS},
    summary="Cancel an event, or (scope=series) the rest of its series (organizers)",
)
def event_cancel(
    request: HttpRequest, event_id: EventId, query: Query[ScopeQuery]
) -> dict[str, object]:
    services.event_cancel(user=member_of(request), public_id=event_id, scope=query.scope)
    return event_out(_view(request, event_id))


@router.post(
    "/events/{event_id}/rsvp",
    response={200: RsvpOut, **WRITE_ERRORS},
    summary="Going: a seat, else the waitlist; a request when organizers approve attendees",
)
def rsvp_going(request: HttpRequest, event_id: EventId) -> dict[str, object]:
    row = services.event_rsvp(user=member_of(request), public_id=event_id)
    return _rsvp_out(row, event_id)


@router.delete(
    "/events/{event_id}/rsvp",
    response={200: RsvpOut, **WRITE_ERRORS},
    summary="Not going (or leave the waitlist); a freed seat goes to the first waiting",
)
def rsvp_cancel(request: HttpRequest, event_id: EventId) -> dict[str, object]:
    row = services.event_rsvp_cancel(user=member_of(request), public_id=event_id)
    return _rsvp_out(row, event_id)


@router.get(
    "/events/{event_id}/attendees",
    response={200: list[AttendeeOut], **ERRORS},
    summary="Who is going; organizers also see requests and the waitlist, in order",
)
def attendees(request: HttpRequest, event_id: EventId) -> list[dict[str, object]]:
    viewer = Viewer.for_user(request.user)
    view = event_get(viewer=viewer, public_id=event_id)
    return [
        {
            "id": a.public_id,
            "display_name": a.display_name,
            "state": a.state,
            "checked_in": a.checked_in,
        }
        for a in event_attendees(viewer=viewer, view=view)
    ]


@router.get(
    "/events/{event_id}/waitlist",
    response={200: list[AttendeeOut], **ERRORS, 403: ErrorOut},
    summary="The waitlist in order (organizers)",
)
def waitlist(request: HttpRequest, event_id: EventId) -> list[dict[str, object]]:
    viewer = Viewer.for_user(request.user)
    view = event_get(viewer=viewer, public_id=event_id)
    if not view.is_organizer:
        raise NotEventOrganizer("Only the event's organizers see the waitlist.")
    return [
        {"id": a.public_id, "display_name": a.display_name, "state": a.state, "checked_in": False}
        for a in event_attendees(viewer=viewer, view=view)
        if a.state == "waitlisted"
    ]


@router.post(
    "/events/{event_id}/attendees/{member_id}/approve",
    response={200: RsvpOut, **WRITE_ERRORS},
    summary="Let in a member who asked (organizers)",
)
def approve(request: HttpRequest, event_id: EventId, member_id: MemberId) -> dict[str, object]:
    row = services.event_rsvp_approve(
        user=member_of(request), public_id=event_id, member_public_id=member_id
    )
    return _rsvp_out(row, event_id)


@router.post(
    "/events/{event_id}/attendees/{member_id}/decline",
    response={200: RsvpOut, **WRITE_ERRORS},
    summary="Turn down a request to attend (organizers)",
)
def decline(request: HttpRequest, event_id: EventId, member_id: MemberId) -> dict[str, object]:
    row = services.event_rsvp_decline(
        user=member_of(request), public_id=event_id, member_public_id=member_id
    )
    return _rsvp_out(row, event_id)


@router.post(
    "/events/{event_id}/attendees/{member_id}/check-in",
    response={200: RsvpOut, **WRITE_ERRORS},
    summary="Check in a member who is going (organizers)",
)
def check_in(request: HttpRequest, event_id: EventId, member_id: MemberId) -> dict[str, object]:
    row = services.event_check_in(
        user=member_of(request), public_id=event_id, member_public_id=member_id
    )
    return _rsvp_out(row, event_id)


@router.delete(
    "/events/{event_id}/attendees/{member_id}/check-in",
    response={200: RsvpOut, **WRITE_ERRORS},
    summary="Undo a check-in (organizers)",
)
def check_in_undo(
    request: HttpRequest, event_id: EventId, member_id: MemberId
) -> dict[str, object]:
    row = services.event_check_in(
        user=member_of(request), public_id=event_id, member_public_id=member_id, undo=True
    )
    return _rsvp_out(row, event_id)


@router.get(
    "/events/{event_id}/calendar.ics",
    response={200: str, **ERRORS},
    summary="The event as an RFC 5545 calendar file",
)
def event_ics(request: HttpRequest, event_id: EventId) -> HttpResponse:
    view = _view(request, event_id)
    body = calendar_for(
        [view.event],
        base_url=request.build_absolute_uri("/").rstrip("/"),
        name=view.event.title,
        may_see_link=lambda _event: view.can_see_link,
    )
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


@router.get(
    "/events/{event_id}/people-to-meet",
    response={200: list[PersonOut], **ERRORS},
    summary="People going whom you share the rarest interests with",
)
def to_meet(request: HttpRequest, event_id: EventId) -> list[dict[str, object]]:
    viewer = Viewer.for_user(request.user)
    view = event_get(viewer=viewer, public_id=event_id)
    return [_person_out(m) for m in people_to_meet(viewer=viewer, view=view)]


@router.get(
    "/events/{event_id}/follow-ups",
    response={200: list[PersonOut], **ERRORS},
    summary="After the event: people you met or share interests with, to follow up with",
)
def event_follow_ups(request: HttpRequest, event_id: EventId) -> list[dict[str, object]]:
    viewer = Viewer.for_user(request.user)
    view = event_get(viewer=viewer, public_id=event_id)
    return [_person_out(f.member, met=f.met) for f in follow_ups(viewer=viewer, view=view)]


def _plan_out(request: HttpRequest, event_id: str) -> dict[str, object] | None:
    viewer = Viewer.for_user(request.user)
    view = event_get(viewer=viewer, public_id=event_id)
    plan = speed_plan_for(viewer=viewer, view=view)
    if plan is None:
        return None

    def seat(s: Seat) -> dict[str, object]:
        return {
            "id": s.public_id or None,
            "display_name": s.display_name,
            "shared_interests": s.shared,
        }

    return {
        "people": plan.people,
        "seed": plan.seed,
        "total_weight": plan.total_weight,
        "mine": [
            {"round": s.round, "table": s.table, "partners": [seat(p) for p in s.partners]}
            for s in plan.mine
        ],
        "rounds": [
            [{"table": t.number, "seats": [seat(x) for x in t.seats]} for t in tables]
            for tables in plan.rounds
        ],
    }


@router.get(
    "/events/{event_id}/speed-networking",
    response={200: PlanOut, **ERRORS},
    summary="The speed-networking plan: your table per round; organizers see it all",
)
def plan_get(request: HttpRequest, event_id: EventId) -> dict[str, object]:
    out = _plan_out(request, event_id)
    if out is None:
        raise NotFound("No plan yet.", code="plan_not_found")
    return out


@router.post(
    "/events/{event_id}/speed-networking",
    response={200: PlanOut, **WRITE_ERRORS},
    summary="Make (or remake) the plan for the checked-in attendees (organizers)",
)
def plan_generate(request: HttpRequest, event_id: EventId, payload: PlanIn) -> dict[str, object]:
    services.speed_networking_generate(
        user=member_of(request), public_id=event_id, rounds=payload.rounds, seed=payload.seed
    )
    out = _plan_out(request, event_id)
    assert out is not None
    return out
