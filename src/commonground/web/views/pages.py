from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from commonground.asks.selectors import AskCard, ask_list_for
from commonground.core.http import member_of
from commonground.events.selectors import EventView, event_list_for, event_list_mine
from commonground.groups.models import NicheLevel
from commonground.groups.niches import NicheView, niche_list_for
from commonground.interests.selectors import interest_list_popular, member_interest_list
from commonground.network.selectors_followups import (
    KeepInTouchView,
    ThankYouView,
    followup_list,
)
from commonground.network.selectors_introductions import IntroductionView, introduction_list
from commonground.opportunities.selectors import OpportunityView, opportunity_list_for_you
from commonground.profiles.directory import DirectoryFilter, member_search
from commonground.profiles.selectors import Viewer, profile_for_user, total_members
from commonground.profiles.services import profile_warmup_show
from commonground.suggestions.selectors import suggestion_list
from commonground.web.warmup import warmup_path

# Each block of the home page shows this many items at most, and links to its full page.
HOME_BLOCK_SIZE = 3


def landing(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("web:home")
    return render(
        request,
        "web/landing.html",
        {"popular": interest_list_popular(limit=18), "member_count": total_members()},
    )


@dataclass(frozen=True)
class FollowupsDue:
    """What waits for the member in their network: reminders due, introductions to answer."""

    thank_yous: list[ThankYouView]
    keep_in_touch: list[KeepInTouchView]
    introductions: list[IntroductionView]

    def __bool__(self) -> bool:
        return bool(self.thank_yous or self.keep_in_touch or self.introductions)


def _next_events(viewer: Viewer) -> list[EventView]:
    """Upcoming events the member is going to (or organizes) first, then the best ranked
    ones that share something with them."""
    chosen = event_list_mine(viewer=viewer, limit=HOME_BLOCK_SIZE)
    # Read even when the member's own events fill the block, so the page's query count
    # stays the same whatever they signed up for.
    ranked = event_list_for(viewer=viewer, size=HOME_BLOCK_SIZE * 2).items
    seen = {v.public_id for v in chosen}
    chosen += [v for v in ranked if v.score > 0 and v.public_id not in seen]
    return chosen[:HOME_BLOCK_SIZE]


def _followups_due(viewer: Viewer) -> FollowupsDue:
    found = followup_list(viewer=viewer)
    proposed = introduction_list(viewer=viewer, limit=20).proposed
    return FollowupsDue(
        thank_yous=[t for t in found.thank_yous if t.is_due][:HOME_BLOCK_SIZE],
        keep_in_touch=[k for k in found.keep_in_touch if k.is_due][:HOME_BLOCK_SIZE],
        introductions=[i for i in proposed if i.state == "pending" and i.my_answer == "pending"][
            :HOME_BLOCK_SIZE
        ],
    )


def _asks_for(viewer: Viewer) -> list[AskCard]:
    """Open asks routed to the member or sharing their interests, not yet answered."""
    cards = ask_list_for(viewer=viewer, tab="asks", size=HOME_BLOCK_SIZE * 2).items
    fitting = [c for c in cards if not c.answered and (c.routed_reason or c.score > 0)]
    return fitting[:HOME_BLOCK_SIZE]


def _opportunities_for(viewer: Viewer) -> list[OpportunityView]:
    found = opportunity_list_for_you(viewer=viewer, size=HOME_BLOCK_SIZE).items
    return [v for v in found if v.score > 0]


def _niche_nearby(viewer: Viewer) -> NicheView | None:
    """The best unmet niche of the member's own region: a nudge to start that group."""
    found = niche_list_for(viewer=viewer, limit=1)
    if found and found[0].niche.level == NicheLevel.REGION:
        return found[0]
    return None


@login_required
def home(request: HttpRequest) -> HttpResponse:
    profile = profile_for_user(user=member_of(request))
    viewer = Viewer.for_user(request.user)
    suggested = suggestion_list(viewer=viewer, limit=6)
    people = (
        None
        if suggested
        else member_search(viewer=viewer, viewer_profile=profile, flt=DirectoryFilter(), size=6)
    )
    return render(
        request,
        "web/home.html",
        {
            "profile": profile,
            "people": people,
            "suggested": suggested,
            "mine": member_interest_list(user_id=member_of(request).pk),
            "popular": interest_list_popular(limit=14),
            "warmup": warmup_path(user=member_of(request)) if profile.show_warmup else None,
            "events": _next_events(viewer),
            "followups": _followups_due(viewer),
            "asks": _asks_for(viewer),
            "opportunities": _opportunities_for(viewer),
            "niche": _niche_nearby(viewer),
        },
    )


@login_required
def warmup(request: HttpRequest) -> HttpResponse:
    user = member_of(request)
    return render(
        request,
        "web/warmup.html",
        {"path": warmup_path(user=user), "profile": profile_for_user(user=user)},
    )


@login_required
@require_POST
def warmup_toggle(request: HttpRequest) -> HttpResponse:
    show = request.POST.get("show") == "1"
    profile_warmup_show(user=member_of(request), show=show)
    return redirect("web:warmup" if request.POST.get("next") == "warmup" else "web:home")
