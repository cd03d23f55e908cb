"""Network pages: my network, connect with a note, request answers, remove, block, mute."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commonground.core.errors import ApplicationError, NotFound, RateLimited
from commonground.core.forms import add_application_error
from commonground.core.http import member_of, next_path_or
from commonground.network import selectors, services
from commonground.network.forms import ConnectForm, NetworkSearchForm
from commonground.network.models import ConnectionRequest
from commonground.network.selectors_followups import followup_due_count
from commonground.network.selectors_introductions import introduction_pending_count
from commonground.profiles.selectors import Viewer, member_get


def _name_of(user_id: int, request: ConnectionRequest) -> str:
    other = request.recipient if request.sender_id == user_id else request.sender
    profile = getattr(other, "profile", None)
    return (profile.display_name if profile is not None else "") or "this member"


@login_required
@require_GET
def network(request: HttpRequest) -> HttpResponse:
    viewer = Viewer.for_user(request.user)
    form = NetworkSearchForm(request.GET)
    query, page = "", 1
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        page = form.cleaned_data["page"] or 1
    return render(
        request,
        "network/network.html",
        {
            "form": form,
            "query": query,
            "connections": selectors.connection_list(viewer=viewer, query=query, page=page),
            "requests": selectors.connection_request_list(viewer=viewer),
            "blocked": selectors.block_list(viewer=viewer),
            "muted": selectors.mute_list(viewer=viewer),
            "introductions_waiting": introduction_pending_count(viewer=viewer),
            "followups_due": followup_due_count(viewer=viewer),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def connect(request: HttpRequest, public_id: str) -> HttpResponse:
    """The note form on its own page; the member page and 'For you' post to it too."""
    try:
        member = member_get(viewer=Viewer.for_user(request.user), public_id=public_id)
    except NotFound:
        raise Http404 from None
    if member.is_self:
        raise Http404
    note = selectors.connection_note_suggestion(recipient=member)
    form = ConnectForm(request.POST or None, initial={"note": note})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.connection_request_create(
                sender=member_of(request),
                recipient_public_id=public_id,
                note=form.cleaned_data["note"],
            )
        except NotFound:
            raise Http404 from None
        except ApplicationError as error:
            add_application_error(form, error)
            status = 429 if isinstance(error, RateLimited) else 200
        else:
            if sent.state == ConnectionRequest.State.ACCEPTED:
                messages.success(request, f"You and {member.display_name} are now connected.")
            else:
                messages.success(
                    request,
                    f"Request sent to {member.display_name}. You'll be connected when they accept.",
                )
            return redirect(next_path_or(request, reverse("profiles:detail", args=[public_id])))
    return render(
        request,
        "network/connect.html",
        {"member": member, "form": form, "next": next_path_or(request, "")},
        status=status,
    )


def run_write(
    request: HttpRequest, act: Callable[[], str], *, fallback: str, follow_next: bool = True
) -> HttpResponse:
    """Run one write; a hidden or missing thing is a 404, any other refusal a message. Then
    back to `next` (when allowed and safe) or the fallback page."""
    try:
        messages.success(request, act())
    except NotFound:
        raise Http404 from None
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect(next_path_or(request, fallback) if follow_next else fallback)


def _answer(
    request: HttpRequest, act: Callable[[], str], *, follow_next: bool = True
) -> HttpResponse:
    return run_write(request, act, fallback=reverse("network:index"), follow_next=follow_next)


@login_required
@require_POST
def request_accept(request: HttpRequest, request_id: str) -> HttpResponse:
    user = member_of(request)

    def act() -> str:
        accepted = services.connection_request_accept(user=user, request_public_id=request_id)
        return f"You and {_name_of(user.pk, accepted)} are now connected."

    return _answer(request, act)


@login_required
@require_POST
def request_decline(request: HttpRequest, request_id: str) -> HttpResponse:
    user = member_of(request)

    def act() -> str:
        services.connection_request_decline(user=user, request_public_id=request_id)
        return "Request declined. They won't be told."

    return _answer(request, act)


@login_required
@require_POST
def request_withdraw(request: HttpRequest, request_id: str) -> HttpResponse:
    user = member_of(request)

    def act() -> str:
        services.connection_request_withdraw(user=user, request_public_id=request_id)
        return "Request withdrawn."

    return _answer(request, act)


@login_required
@require_POST
def connection_remove(request: HttpRequest, public_id: str) -> HttpResponse:
    user = member_of(request)

    def act() -> str:
        services.connection_remove(user=user, member_public_id=public_id)
        return "Connection removed. They won't be told."

    return _answer(request, act)


@login_required
@require_POST
def block(request: HttpRequest, public_id: str) -> HttpResponse:
    user = member_of(request)

    def act() -> str:
        services.member_block(user=user, member_public_id=public_id)
        return "Blocked. You won't see each other anywhere here; they aren't told."

    # Back to the network page, not to their profile: it is hidden from now on.
    return _answer(request, act, follow_next=False)


@login_required
@require_POST
def unblock(request: HttpRequest, public_id: str) -> HttpResponse:
    user = member_of(request)

    def act() -> str:
        services.member_unblock(user=user, member_public_id=public_id)
        return "Unblocked."

    return _answer(request, act)


@login_required
@require_POST
def mute(request: HttpRequest, public_id: str) -> HttpResponse:
    user = member_of(request)

    def act() -> str:
        services.member_mute(user=user, member_public_id=public_id)
        return "Muted. They stay connected but leave your search and suggestions."

    return _answer(request, act)


@login_required
@require_POST
def unmute(request: HttpRequest, public_id: str) -> HttpResponse:
    user = member_of(request)

    def act() -> str:
        services.member_unmute(user=user, member_public_id=public_id)
        return "Unmuted."

    return _answer(request, act)
