"""Send members who have not finished onboarding to it, from any page but a few."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

EXEMPT_PREFIXES = (
    "/welcome/",
    "/accounts/",
    "/api/",
    "/admin/",
    "/static/",
    "/interests/suggest",
    "/notifications/unsubscribe/",  # an email's link works for anyone, onboarded or not
)


class OnboardingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and request.method == "GET"
            and not request.path.startswith(EXEMPT_PREFIXES)
            and request.path != "/"
        ):
            profile = getattr(user, "profile", None)
            # No profile yet (an account made by createsuperuser): onboarding creates it.
            if profile is None or not profile.is_onboarded:
                return redirect("profiles:onboarding")
        return self.get_response(request)
