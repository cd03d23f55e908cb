"""Introduction pages: introduce people, my introductions, one introduction, answer it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commonground.core.errors import ApplicationError, NotFound, RateLimited
from commonground.core.forms import add_application_error
from commonground.core.http import member_of
from commonground.network import services
from commonground.network.forms import IntroduceForm
from commonground.network.models import INTRODUCTION_MAX_PEOPLE
from commonground.network.selectors import connection_list
from commonground.network.selectors_introductions import (
    introduction_candidates,
    introduction_get,
    introduction_list,
    introduction_reason_draft,
)
from commonground.profiles.selectors import MemberView, Viewer

SEARCH_MAX_LENGTH = 80


def _choices(
    viewer: Viewer, *, selected: list[str], query: str
) -> tuple[list[MemberView], list[MemberView]]:
    """The chosen connections, then others to pick from (by name, or matching a search)."""
    chosen = introduction_candidates(viewer=viewer, public_ids=selected)
    ids = {m.public_id for m in chosen}
    page = connection_list(viewer=viewer, query=query, size=60)
    return chosen, [m for m in page.items if m.public_id not in ids]


@login_required
@require_http_methods(["GET", "POST"])
def introduce(request: HttpRequest) -> HttpResponse:
    viewer = Viewer.for_user(request.user)
    source = request.POST if request.method == "POST" else request.GET
    query = source.get("q", "")[:SEARCH_MAX_LENGTH].strip()
    if any(ord(ch) < 32 for ch in query):
        query = ""  # control characters name nobody (and PostgreSQL refuses NUL)
    selected = source.getlist("members" if request.method == "POST" else "m")[:8]
    chosen, others = _choices(viewer, selected=selected, query=query)
    people = chosen + others
    choices = [(m.public_id, m.display_name) for m in people]
    drafting = request.method == "GET" or "draft" in request.POST
    draft = introduction_reason_draft(people=chosen[:INTRODUCTION_MAX_PEOPLE])
    if drafting:
        reason = draft or (request.POST.get("reason", "") if request.method == "POST" else "")
        form = IntroduceForm(
            initial={"members": [m.public_id for m in chosen], "reason": reason},
            choices=choices,
        )
    else:
        form = IntroduceForm(request.POST, choices=choices)
    status = 200
    if not drafting and form.is_valid():
        try:
            made = services.introduction_create(
                introducer=member_of(request),
                member_public_ids=form.cleaned_data["members"],
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as error:
            if isinstance(error, NotFound):
                form.add_error("members", "Choose among your connections.")
            else:
                add_application_error(form, error)
            status = 429 if isinstance(error, RateLimited) else 200
        else:
            messages.success(
                request,
                "Introduction sent. Each person is asked first; we'll tell you how it goes.",
            )
            return redirect("network:introduction", made.public_id)
    return render(
        request,
        "network/introduce.html",
        {
            "form": form,
            "people": people,
            "chosen": {m.public_id for m in chosen},
            "query": query,
            "draft": draft,
        },
        status=status,
    )


@login_required
@require_GET
def introductions(request: HttpRequest) -> HttpResponse:
    found = introduction_list(viewer=Viewer.for_user(request.user))
    return render(request, "network/introductions.html", {"found": found})


@login_required
@require_GET
def introduction(request: HttpRequest, public_id: str) -> HttpResponse:
    try:
        view = introduction_get(viewer=Viewer.for_user(request.user), public_id=public_id)
    except NotFound:
        raise Http404 from None
    return render(request, "network/introduction.html", {"intro": view})


@login_required
@require_POST
def introduction_accept(request: HttpRequest, public_id: str) -> HttpResponse:
    try:
        done = services.introduction_accept(
            user=member_of(request), introduction_public_id=public_id
        )
    except NotFound:
        raise Http404 from None
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        if done.state == "accepted":
            messages.success(request, "Everyone said yes: you can now see each other's names.")
        else:
            messages.success(request, "You said yes. We'll let you know when everyone has.")
    return redirect(reverse("network:introduction", args=[public_id]))


@login_required
@require_POST
def introduction_decline(request: HttpRequest, public_id: str) -> HttpResponse:
    try:
        services.introduction_decline(user=member_of(request), introduction_public_id=public_id)
    except NotFound:
        raise Http404 from None
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "You said no thanks. Nobody is told who declined.")
    return redirect(reverse("network:introductions"))
