from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from commonground.core.errors import ApplicationError
from commonground.core.http import member_of
from commonground.profiles.selectors import Viewer
from commonground.suggestions.selectors import suggestion_list
from commonground.suggestions.services import suggestion_dismiss


@login_required
@require_GET
def for_you(request: HttpRequest) -> HttpResponse:
    viewer = Viewer.for_user(request.user)
    return render(
        request, "suggestions/for_you.html", {"suggestions": suggestion_list(viewer=viewer)}
    )


@login_required
@require_POST
def dismiss(request: HttpRequest, public_id: str) -> HttpResponse:
    try:
        suggestion_dismiss(user=member_of(request), candidate_public_id=public_id)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Got it. We won't suggest them again.")
    return redirect("suggestions:for_you")
