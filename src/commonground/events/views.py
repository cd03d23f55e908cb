"""Event pages: discovery, creating and editing, an event's page, RSVPs and organizer tools."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from commonground.core.errors import ApplicationError, NotFound
from commonground.core.forms import add_application_error
from commonground.core.http import member_of
from commonground.core.pagination import clamp_page, page_param
from commonground.events import services
from commonground.events.forms import EditEventForm, EventForm, NewEventForm, SpeedPlanForm
from commonground.events.models import Event
from commonground.events.people import follow_ups, people_to_meet, speed_plan_for
from commonground.events.recurrence import Rule
from commonground.events.selectors import (
    EventView,
    event_attendees,
    event_get,
    event_list_for,
    event_list_mine,
    event_list_recent,
)
from commonground.events.services import EventInput
from commonground.groups.selectors import group_get
from commonground.interests.models import Interest
from commonground.interests.services import interest_for_text
from commonground.profiles.selectors import Viewer, profile_for_user


@login_required
def index(request: HttpRequest) -> HttpResponse:
    viewer = Viewer.for_user(request.user)
    page, size = clamp_page(page_param(request.GET.get("page")), 20)
    return render(
        request,
        "events/index.html",
        {
            "results": event_list_for(viewer=viewer, page=page, size=size),
            "mine": event_list_mine(viewer=viewer),
            "recent": event_list_recent(viewer=viewer),
        },
    )


def _topics(text: str, request: HttpRequest) -> list[Interest]:
    parts = [p.strip() for p in text.split(",") if p.strip()]
    return [
        interest_for_text(text=part, user=member_of(request), allow_new=False) for part in parts
    ]


def _input(form: EventForm, request: HttpRequest) -> EventInput:
    data = form.cleaned_data
    return EventInput(
        title=data["title"],
        starts_local=data["starts"],
        ends_local=data["ends"],
        tz_name=data["time_zone"],
        description=data["description"],
        kind=data["kind"],
        mode=data["mode"],
        venue=data["venue"],
        address=data["address"],
        city=data["city"],
        country=data["country"],
        online_url=data["online_url"],
        topics=_topics(data["topics"], request),
        capacity=data["capacity"],
        requires_approval=data["requires_approval"],
    )


def _show_error(form: EventForm, error: ApplicationError) -> None:
    if error.field in ("interest", "interests"):
        error.field = "topics"
    elif error.field == "starts_at":
        error.field = "starts"
    elif error.field == "ends_at":
        error.field = "ends"
    add_application_error(form, error)


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    user = member_of(request)
    group_slug = request.GET.get("group") or ""
    group = None
    if group_slug and not re.fullmatch(r"[A-Za-z0-9_-]{1,16}", group_slug):
        raise Http404
    if group_slug:
        try:
            group = group_get(viewer=Viewer.for_user(user), slug=group_slug).group
        except NotFound:
            raise Http404 from None
    initial = {"time_zone": profile_for_user(user=user).time_zone or "UTC", "interval": 1}
    form = NewEventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        rule = None
        if data["repeat"]:
            rule = Rule(
                frequency=data["repeat"],
                interval=data["interval"] or 1,
                count=data["count"],
                until=data["until"],
            )
        try:
            event = services.event_create(
                user=user, data=_input(form, request), group_slug=group_slug or None, rule=rule
            )
        except ApplicationError as error:
            _show_error(form, error)
        else:
            messages.success(request, "Your event is up. Share it with the people who'd love it.")
            return redirect("events:detail", public_id=event.public_id)
    return render(request, "events/form.html", {"form": form, "group": group, "event": None})


def _visible_or_404(request: HttpRequest, public_id: str) -> EventView:
    try:
        return event_get(viewer=Viewer.for_user(request.user), public_id=public_id)
    except NotFound:
        raise Http404 from None


@login_required
def detail(request: HttpRequest, public_id: str) -> HttpResponse:
    view = _visible_or_404(request, public_id)
    viewer = Viewer.for_user(request.user)
    attendees = event_attendees(viewer=viewer, view=view)
    return render(
        request,
        "events/detail.html",
        {
            "view": view,
            "event": view.event,
            "going": [a for a in attendees if a.state == "going"],
            "pending": [a for a in attendees if a.state == "pending"],
            "waitlist": [a for a in attendees if a.state == "waitlisted"],
            "to_meet": people_to_meet(viewer=viewer, view=view) if not view.is_past else [],
            "follow_ups": follow_ups(viewer=viewer, view=view),
        },
    )


def _initial(event: Event) -> dict[str, object]:
    zone = ZoneInfo(event.tz_name)
    return {
        "title": event.title,
        "kind": event.kind,
        "starts": event.starts_at.astimezone(zone).strftime("%Y-%m-%dT%H:%M"),
        "ends": event.ends_at.astimezone(zone).strftime("%Y-%m-%dT%H:%M"),
        "time_zone": event.tz_name,
        "mode": event.mode,
        "venue": event.venue,
        "address": event.address,
        "city": event.city,
        "country": event.country,
        "online_url": event.online_url,
        "topics": ", ".join(t.name for t in event.topics.order_by("name")),
        "description": event.description,
        "capacity": event.capacity,
        "requires_approval": event.requires_approval,
        "scope": "one",
    }


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, public_id: str) -> HttpResponse:
    view = _visible_or_404(request, public_id)
    if not view.is_organizer:
        raise PermissionDenied
    form = EditEventForm(request.POST or None, initial=_initial(view.event))
    if view.event.series_id is None:
        del form.fields["scope"]
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(
                user=member_of(request),
                public_id=public_id,
                data=_input(form, request),
                scope=form.cleaned_data.get("scope") or "one",
            )
        except ApplicationError as error:
            _show_error(form, error)
        else:
            messages.success(request, "Saved. People going hear about a new time or place.")
            return redirect("events:detail", public_id=public_id)
    return render(
        request, "events/form.html", {"form": form, "group": view.event.group, "event": view.event}
    )


@login_required
@require_POST
def rsvp(request: HttpRequest, public_id: str) -> HttpResponse:
    user = member_of(request)
    answer = request.POST.get("answer", "")
    try:
        if answer == "going":
            row = services.event_rsvp(user=user, public_id=public_id)
            messages.success(
                request,
                {
                    "going": "You're going. See you there!",
                    "waitlisted": "It's full: you're on the waitlist. A freed seat comes to you.",
                    "pending": "Request sent: the organizers approve attendees.",
                }.get(row.state, "Saved."),
            )
        elif answer == "not_going":
            services.event_rsvp_cancel(user=user, public_id=public_id)
            messages.success(request, "Got it: you're not going.")
        else:
            raise Http404
    except NotFound as error:
        if error.code == "event_not_found":
            raise Http404 from None
        messages.error(request, error.message)
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("events:detail", public_id=public_id)


_MANAGE = {
    "approve": "Approved.",
    "decline": "Request declined.",
    "check_in": "Checked in.",
    "undo_check_in": "Check-in undone.",
    "cancel": "The event is cancelled; everyone who answered is told.",
    "cancel_series": "This and every later event in the series are cancelled.",
}


@login_required
@require_POST
def manage(request: HttpRequest, public_id: str, action: str) -> HttpResponse:
    if action not in _MANAGE:
        raise Http404
    user = member_of(request)
    member = request.POST.get("member", "")[:32]
    try:
        if action == "approve":
            services.event_rsvp_approve(user=user, public_id=public_id, member_public_id=member)
        elif action == "decline":
            services.event_rsvp_decline(user=user, public_id=public_id, member_public_id=member)
        elif action in ("check_in", "undo_check_in"):
            services.event_check_in(
                user=user,
                public_id=public_id,
                member_public_id=member,
                undo=action == "undo_check_in",
            )
        else:
            scope = "series" if action == "cancel_series" else "one"
            services.event_cancel(user=user, public_id=public_id, scope=scope)
    except NotFound as error:
        if error.code == "event_not_found":
            raise Http404 from None
        messages.error(request, error.message)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _MANAGE[action])
    return redirect("events:detail", public_id=public_id)


@login_required
@require_http_methods(["GET", "POST"])
def speed(request: HttpRequest, public_id: str) -> HttpResponse:
    view = _visible_or_404(request, public_id)
    form = SpeedPlanForm(request.POST or None)
    if request.method == "POST":
        if not view.is_organizer:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.speed_networking_generate(
                    user=member_of(request), public_id=public_id, rounds=form.cleaned_data["rounds"]
                )
            except ApplicationError as error:
                add_application_error(form, error)
            else:
                messages.success(request, "The plan is ready: everyone sees their table.")
                return redirect("events:speed", public_id=public_id)
    viewer = Viewer.for_user(request.user)
    checked_in = [a for a in event_attendees(viewer=viewer, view=view) if a.checked_in]
    return render(
        request,
        "events/speed.html",
        {
            "view": view,
            "event": view.event,
            "plan": speed_plan_for(viewer=viewer, view=view),
            "form": form if view.is_organizer else None,
            "checked_in": checked_in,
        },
    )
