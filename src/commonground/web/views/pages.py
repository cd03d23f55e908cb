from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from commonground.core.http import member_of
from commonground.interests.selectors import interest_list_popular, member_interest_list
from commonground.profiles.directory import DirectoryFilter, member_search
from commonground.profiles.selectors import Viewer, profile_for_user, total_members
from commonground.profiles.services import profile_warmup_show
from commonground.suggestions.selectors import suggestion_list
from commonground.web.warmup import warmup_path


def landing(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("web:home")
    return render(
        request,
        "web/landing.html",
        {"popular": interest_list_popular(limit=18), "member_count": total_members()},
    )


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
