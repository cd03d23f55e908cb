"""Messaging pages. They work without JavaScript; live.js upgrades the thread page."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from commonground.core.errors import ApplicationError, NotFound
from commonground.core.forms import add_application_error
from commonground.core.http import member_of
from commonground.core.pagination import clamp_page, page_param
from commonground.messaging import services
from commonground.messaging.forms import (
    AddPeopleForm,
    MessageForm,
    NewConversationForm,
    SettingsForm,
)
from commonground.messaging.selectors import (
    ConversationView,
    allow_from_of,
    conversation_get,
    conversation_list,
    direct_conversation_between,
    message_list,
    message_permission,
)
from commonground.messaging.services.conversations import refusal_error
from commonground.network.services.members import member_for
from commonground.profiles.selectors import Viewer

THREAD_PAGE_SIZE = 50


def _page_number(request: HttpRequest) -> int:
    return clamp_page(page_param(request.GET.get("page")), 1)[0]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    viewer = Viewer.for_user(request.user)
    page = conversation_list(viewer=viewer, page=_page_number(request), size=20)
    return render(request, "messaging/index.html", {"conversations": page})


def _visible_or_404(request: HttpRequest, public_id: str) -> ConversationView:
    try:
        return conversation_get(viewer=Viewer.for_user(request.user), public_id=public_id)
    except NotFound:
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def thread(request: HttpRequest, public_id: str) -> HttpResponse:
    view = _visible_or_404(request, public_id)
    user = member_of(request)
    form = MessageForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.message_send(
                sender=user, conversation_public_id=public_id, body=form.cleaned_data["body"]
            )
        except ApplicationError as error:
            add_application_error(form, error)
            status = error.status
        else:
            return redirect(reverse("messaging:thread", args=[public_id]) + "#latest")
    elif request.method == "POST":
        status = 400
    services.conversation_mark_read(user=user, conversation_public_id=public_id)
    view.seat.unread_count = 0
    viewer = Viewer.for_user(request.user)
    page = message_list(viewer=viewer, view=view, page=_page_number(request), size=THREAD_PAGE_SIZE)
    context = {
        "view": view,
        "form": form,
        "page": page,
        "thread": list(reversed(page.items)),
        "me": user.public_id,
        "add_form": AddPeopleForm() if view.is_group and view.is_creator else None,
    }
    return render(request, "messaging/thread.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    user = member_of(request)
    recipient = None
    refusal = None
    to = request.GET.get("to", "")[:32]
    if to:
        try:
            recipient = member_for(viewer=Viewer.for_user(user), public_id=to)
        except NotFound:
            raise Http404 from None
        existing = direct_conversation_between(user_id=user.pk, other_id=recipient.pk)
        if existing is not None and recipient.pk != user.pk:
            return redirect("messaging:thread", public_id=existing.public_id)
        permission = message_permission(sender_id=user.pk, recipient_id=recipient.pk)
        if not permission.allowed:
            refusal = str(refusal_error(permission, recipient_id=recipient.pk))
    initial = {"to": to} if to else {}
    form = NewConversationForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid() and refusal is None:
        data = form.cleaned_data
        try:
            message = services.conversation_start(
                sender=user,
                recipient_public_ids=data["to"],
                body=data["body"],
                subject=data["subject"],
            )
        except ApplicationError as error:
            add_application_error(form, error)
            status = error.status
        else:
            return redirect(
                reverse("messaging:thread", args=[message.conversation.public_id]) + "#latest"
            )
    elif request.method == "POST":
        status = 400
    display = getattr(getattr(recipient, "profile", None), "display_name", "") or "Member"
    context = {"form": form, "recipient": recipient, "recipient_name": display, "refusal": refusal}
    return render(request, "messaging/new.html", context, status=status)


@login_required
@require_POST
def leave(request: HttpRequest, public_id: str) -> HttpResponse:
    _visible_or_404(request, public_id)
    try:
        services.conversation_leave(user=member_of(request), conversation_public_id=public_id)
    except ApplicationError as error:
        flash.error(request, error.message)
        return redirect("messaging:thread", public_id=public_id)
    flash.success(request, "You left the conversation.")
    return redirect("messaging:index")


@login_required
@require_POST
def add_people(request: HttpRequest, public_id: str) -> HttpResponse:
    _visible_or_404(request, public_id)
    form = AddPeopleForm(request.POST)
    if not form.is_valid():
        flash.error(request, "Give the profile links or member ids of the people to add.")
        return redirect("messaging:thread", public_id=public_id)
    try:
        added = services.conversation_participants_add(
            user=member_of(request),
            conversation_public_id=public_id,
            member_public_ids=form.cleaned_data["to"],
        )
    except ApplicationError as error:
        flash.error(request, error.message)
    else:
        flash.success(
            request,
            f"Added {len(added)} {'person' if len(added) == 1 else 'people'}."
            if added
            else "They are in this conversation already.",
        )
    return redirect("messaging:thread", public_id=public_id)


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    user = member_of(request)
    form = SettingsForm(request.POST or None, initial={"allow_from": allow_from_of(user.pk)})
    if request.method == "POST" and form.is_valid():
        try:
            services.messaging_settings_update(
                user=user, allow_from=form.cleaned_data["allow_from"]
            )
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            flash.success(request, "Saved.")
            return redirect("messaging:settings")
    return render(request, "messaging/settings.html", {"form": form})
