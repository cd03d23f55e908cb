"""Calendar files: one event's .ics, and a member's private subscription feed."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from commonground.core.http import member_of
from commonground.events import services
from commonground.events.ics import calendar_for
from commonground.events.models import CalendarFeed
from commonground.events.selectors import events_going_for_feed
from commonground.events.views import _visible_or_404

CALENDAR = "text/calendar; charset=utf-8"


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@login_required
def event_ics(request: HttpRequest, public_id: str) -> HttpResponse:
    view = _visible_or_404(request, public_id)
    body = calendar_for(
        [view.event],
        base_url=_base(request),
        name=view.event.title,
        may_see_link=lambda _event: view.can_see_link,
    )
    response = HttpResponse(body, content_type=CALENDAR)
    response["Content-Disposition"] = f'attachment; filename="event-{public_id}.ics"'
    return response


def feed_ics(request: HttpRequest, token: str) -> HttpResponse:
    """No session here: calendar programs fetch it. The secret token is the key, and the
    events in it pass the owner's visibility rule at every fetch."""
    if not re.fullmatch(r"[A-Za-z0-9_-]{16,64}", token):
        raise Http404
    feed = CalendarFeed.objects.filter(token=token).select_related("user").first()
    if feed is None or not feed.user.is_active:
        raise Http404
    events = events_going_for_feed(user_id=feed.user_id)
    body = calendar_for(
        events,
        base_url=_base(request),
        name="My events",
        may_see_link=lambda _event: True,
        refresh_hours=1,
    )
    response = HttpResponse(body, content_type=CALENDAR)
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request: HttpRequest) -> HttpResponse:
    user = member_of(request)
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_feed_revoke(user=user)
            messages.success(request, "Your old calendar link no longer works.")
        else:
            services.calendar_feed_regenerate(user=user)
            messages.success(request, "New link made: the old one no longer works.")
        return redirect("events:calendar")
    feed = CalendarFeed.objects.filter(user=user).first()
    url = request.build_absolute_uri(f"/events/feed/{feed.token}.ics") if feed is not None else None
    return render(request, "events/calendar.html", {"feed_url": url})
