"""Follow-up pages: reminders due, private notes and keep-in-touch on a member's page,
thank-yous, and sharing an article with a connection."""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commonground.core.errors import ApplicationError, NotFound, RateLimited
from commonground.core.forms import add_application_error
from commonground.core.http import member_of, next_path_or
from commonground.network import services
from commonground.network.errors import KeepInTouchNotFound
from commonground.network.forms import ArticleForm, KeepInTouchForm, NoteForm
from commonground.network.selectors_followups import (
    article_list,
    followup_list,
    reciprocity_get,
)
from commonground.network.views import run_write
from commonground.profiles.selectors import Viewer, member_get


@login_required
@require_GET
def followups(request: HttpRequest) -> HttpResponse:
    viewer = Viewer.for_user(request.user)
    return render(
        request,
        "network/followups.html",
        {
            "found": followup_list(viewer=viewer),
            "reciprocity": reciprocity_get(viewer=viewer),
        },
    )


def _profile_url(public_id: str) -> str:
    return reverse("profiles:detail", args=[public_id])


@login_required
@require_POST
def note_add(request: HttpRequest, public_id: str) -> HttpResponse:
    owner = member_of(request)
    form = NoteForm(request.POST)

    def act() -> str:
        if not form.is_valid():
            errors = form.errors.get("body") or ["Write a note first."]
            raise ApplicationError(str(errors[0]), field="body")
        services.contact_note_create(
            owner=owner, contact_public_id=public_id, body=form.cleaned_data["body"]
        )
        return "Note saved. Only you can read it."

    return run_write(request, act, fallback=_profile_url(public_id))


@login_required
@require_POST
def note_delete(request: HttpRequest, note_id: str) -> HttpResponse:
    owner = member_of(request)

    def act() -> str:
        services.contact_note_delete(owner=owner, note_public_id=note_id)
        return "Note deleted."

    return run_write(request, act, fallback=reverse("network:followups"))


@login_required
@require_POST
def keep_in_touch(request: HttpRequest, public_id: str) -> HttpResponse:
    owner = member_of(request)
    form = KeepInTouchForm(request.POST)

    def act() -> str:
        if not form.is_valid():
            raise ApplicationError("Choose how often to keep in touch.", field="cadence_days")
        days = form.cleaned_data["cadence_days"]
        if not days:
            with contextlib.suppress(KeepInTouchNotFound):
                services.keep_in_touch_clear(owner=owner, contact_public_id=public_id)
            return "No more keep-in-touch reminders for this member."
        services.keep_in_touch_set(owner=owner, contact_public_id=public_id, cadence_days=days)
        return f"We'll remind you to get in touch every {days} days."

    return run_write(request, act, fallback=_profile_url(public_id))


@login_required
@require_POST
def contacted(request: HttpRequest, public_id: str) -> HttpResponse:
    owner = member_of(request)

    def act() -> str:
        row = services.contact_mark_contacted(owner=owner, contact_public_id=public_id)
        return f"Marked as contacted. Next reminder in {row.cadence_days} days."

    return run_write(request, act, fallback=reverse("network:followups"))


@login_required
@require_POST
def snooze(request: HttpRequest, public_id: str) -> HttpResponse:
    owner = member_of(request)

    def act() -> str:
        services.keep_in_touch_snooze(owner=owner, contact_public_id=public_id)
        return "Snoozed for a week."

    return run_write(request, act, fallback=reverse("network:followups"))


@login_required
@require_POST
def thank_you_done(request: HttpRequest, reminder_id: str) -> HttpResponse:
    owner = member_of(request)

    def act() -> str:
        services.thank_you_done(owner=owner, reminder_public_id=reminder_id)
        return "Lovely. Marked as thanked."

    return run_write(request, act, fallback=reverse("network:followups"))


@login_required
@require_POST
def thank_you_dismiss(request: HttpRequest, reminder_id: str) -> HttpResponse:
    owner = member_of(request)

    def act() -> str:
        services.thank_you_dismiss(owner=owner, reminder_public_id=reminder_id)
        return "Reminder dismissed."

    return run_write(request, act, fallback=reverse("network:followups"))


@login_required
@require_http_methods(["GET", "POST"])
def share(request: HttpRequest, public_id: str) -> HttpResponse:
    try:
        member = member_get(viewer=Viewer.for_user(request.user), public_id=public_id)
    except NotFound:
        raise Http404 from None
    if member.is_self:
        raise Http404
    form = ArticleForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.article_share(
                sender=member_of(request),
                contact_public_id=public_id,
                url=form.cleaned_data["url"],
                note=form.cleaned_data["note"],
            )
        except NotFound:
            raise Http404 from None
        except ApplicationError as error:
            add_application_error(form, error)
            status = 429 if isinstance(error, RateLimited) else 200
        else:
            messages.success(request, f"Shared with {member.display_name}.")
            return redirect(next_path_or(request, _profile_url(public_id)))
    return render(request, "network/share.html", {"member": member, "form": form}, status=status)


@login_required
@require_GET
def articles(request: HttpRequest) -> HttpResponse:
    found = article_list(viewer=Viewer.for_user(request.user))
    return render(request, "network/articles.html", {"found": found})
