"""Notification pages: the list, marking read, settings, and unsubscribing from an email."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commonground.core.errors import ApplicationError, NotFound
from commonground.core.http import member_of, next_path_or
from commonground.core.pagination import page_param
from commonground.notifications import selectors, services
from commonground.notifications.forms import PreferencesForm, email_field, in_app_field
from commonground.notifications.preferences import Choice
from commonground.notifications.services import PreferenceChange

PAGE_SIZE = 20


def _page_number(request: HttpRequest) -> int:
    return page_param(request.GET.get("page")) or 1


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = member_of(request)
    unread_only = request.GET.get("show") == "unread"
    page = selectors.notification_list(
        user=user, page=_page_number(request), size=PAGE_SIZE, unread_only=unread_only
    )
    unread = selectors.notification_unread_count(user=user)
    return render(
        request,
        "notifications/index.html",
        # The header badge reads the same count instead of asking again.
        {
            "page": page,
            "unread_only": unread_only,
            "unread": unread,
            "unread_notifications": unread,
        },
    )


@login_required
@require_POST
def mark_read(request: HttpRequest, public_id: str) -> HttpResponse:
    user = member_of(request)
    try:
        services.notification_mark_read(user=user, public_id=public_id)
        view = selectors.notification_get(user=user, public_id=public_id)
    except NotFound:
        raise Http404 from None
    if request.headers.get("HX-Request"):
        unread = selectors.notification_unread_count(user=user)
        return render(request, "notifications/partials/read.html", {"n": view, "unread": unread})
    return redirect(next_path_or(request, "notifications:index"))


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.notification_mark_all_read(user=member_of(request))
    messages.success(
        request,
        f"Marked {count} notification{'s' if count != 1 else ''} read."
        if count
        else "Nothing unread.",
    )
    return redirect("notifications:index")


@login_required
@require_GET
def open_notification(request: HttpRequest, public_id: str) -> HttpResponse:
    """Follow a notification's link, marking it read on the way."""
    user = member_of(request)
    try:
        view = selectors.notification_get(user=user, public_id=public_id)
        services.notification_mark_read(user=user, public_id=public_id)
    except NotFound:
        raise Http404 from None
    return redirect(view.url or "notifications:index")


def _grouped(form: PreferencesForm, by_kind: dict[str, Choice]) -> list[dict[str, object]]:
    areas: dict[str, list[dict[str, object]]] = {}
    for kind, choice in by_kind.items():
        areas.setdefault(choice.area, []).append(
            {
                "choice": choice,
                "in_app": form[in_app_field(kind)],
                "email": form[email_field(kind)],
            }
        )
    return [{"area": area, "rows": rows} for area, rows in areas.items()]


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user = member_of(request)
    choices = selectors.notification_preferences(user=user)
    form = PreferencesForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Only what the member changed is saved: untouched kinds keep following the defaults.
        changes = {
            kind: PreferenceChange(in_app=data[in_app_field(kind)], email=data[email_field(kind)])
            for kind, choice in choices.by_kind.items()
            if (data[in_app_field(kind)], data[email_field(kind)]) != (choice.in_app, choice.email)
        }
        paused = data["email_paused"]
        try:
            services.notification_preferences_set(
                user=user,
                changes=changes,
                email_paused=paused if paused != choices.email_paused else None,
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Your notification settings are saved.")
            return redirect("notifications:settings")
    return render(
        request,
        "notifications/settings.html",
        {"form": form, "areas": _grouped(form, choices.by_kind)},
    )


@csrf_exempt  # the signed token is the proof; mail clients' one-click POST has no CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm; POST (the page's button, or RFC 8058 one-click) applies."""
    try:
        if request.method == "POST":
            subject = services.notification_unsubscribe(token=token)
            return render(
                request, "notifications/unsubscribed.html", {"subject": subject, "done": True}
            )
        subject = selectors.unsubscribe_subject(token=token)
    except ApplicationError as error:
        return render(
            request,
            "notifications/unsubscribed.html",
            {"error": error.message, "expired": error.code == "unsubscribe_link_expired"},
            status=400,
        )
    return render(request, "notifications/unsubscribed.html", {"subject": subject, "done": False})
