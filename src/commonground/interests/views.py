"""Interest pages, autocomplete, and a member adding or removing their interests."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from commonground.core.errors import ApplicationError, NotFound
from commonground.core.forms import add_application_error
from commonground.core.http import member_of, next_path_or
from commonground.interests import selectors, services
from commonground.interests.forms import AddInterestForm
from commonground.interests.models import InterestKind
from commonground.profiles.directory import DirectoryFilter, member_search
from commonground.profiles.selectors import Viewer, profile_for_user


def _next_url(request: HttpRequest) -> str:
    return next_path_or(request, "/me/")


@require_GET
def interest_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    if kind not in InterestKind.values:
        kind = ""
    query = request.GET.get("q", "").strip()[:80]
    results = selectors.interest_autocomplete(text=query, limit=24) if query else None
    return render(
        request,
        "interests/interest_list.html",
        {
            "popular": selectors.interest_list_popular(limit=60, kind=kind or None),
            "kinds": InterestKind.choices,
            "kind": kind,
            "query": query,
            "results": results,
        },
    )


def interest_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        interest = selectors.interest_get(slug=slug)
    except NotFound:
        raise Http404 from None
    if interest.merged_into_id:
        return redirect("interests:detail", slug=interest.merged_into.slug)  # type: ignore[union-attr]
    viewer = Viewer.for_user(request.user)
    members = None
    if viewer.is_member:
        members = member_search(
            viewer=viewer,
            viewer_profile=profile_for_user(user=member_of(request)),
            flt=DirectoryFilter(interest_ids=(interest.pk,)),
            size=12,
        )
    return render(
        request,
        "interests/interest_detail.html",
        {
            "interest": interest,
            "members": members,
            "related": selectors.interest_related(interest=interest),
            "is_mine": viewer.is_member
            and selectors.member_interest_list(user_id=member_of(request).pk)
            .filter(interest=interest)
            .exists(),
        },
    )


@login_required
@require_GET
def interest_suggest(request: HttpRequest) -> HttpResponse:
    """htmx: suggestions while typing, for the add-interest box and the directory filter."""
    text = (request.GET.get("interest") or request.GET.get("add") or "")[:80]
    target = "directory" if request.GET.get("target") == "directory" else "add"
    suggestions = selectors.interest_autocomplete(text=text) if len(text.strip()) >= 2 else []
    return render(
        request,
        "interests/partials/suggestions.html",
        {"suggestions": suggestions, "text": text, "target": target},
    )


def _my_interests_response(
    request: HttpRequest, form: AddInterestForm, *, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "interests/partials/my_interests.html",
        {
            "interest_form": form,
            "mine": selectors.member_interest_list(user_id=member_of(request).pk),
            "next": _next_url(request),
        },
        status=status,
    )


@login_required
@require_POST
def my_interest_add(request: HttpRequest) -> HttpResponse:
    data = request.POST.copy()
    if data.get("pick"):
        # A suggestion was chosen: its exact canonical name wins over the half-typed text.
        data["interest"] = str(data["pick"])
    form = AddInterestForm(data)
    if form.is_valid():
        try:
            interest = services.interest_for_text(
                text=form.cleaned_data["interest"],
                user=member_of(request),
                allow_new=form.cleaned_data["new"],
            )
            services.member_interest_add(
                user=member_of(request),
                interest=interest,
                kind=form.cleaned_data["kind"],
                intensity=form.cleaned_data["intensity"],
            )
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            note = " (new: a moderator will review it)" if interest.is_pending else ""
            if request.htmx:  # type: ignore[attr-defined]
                fresh = AddInterestForm(initial={"kind": form.cleaned_data["kind"]})
                response = _my_interests_response(request, fresh)
                response["HX-Trigger"] = "interestsChanged"
                return response
            messages.success(request, f"Added {interest.name}{note}.")
            return redirect(_next_url(request))
    if request.htmx:  # type: ignore[attr-defined]
        return _my_interests_response(request, form)
    return render(
        request, "interests/add_interest.html", {"interest_form": form, "next": _next_url(request)}
    )


@login_required
@require_POST
def my_interest_remove(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        services.member_interest_remove(user=member_of(request), interest_slug=slug)
    except ApplicationError as error:
        messages.error(request, error.message)
    if request.htmx:  # type: ignore[attr-defined]
        return _my_interests_response(request, AddInterestForm())
    return redirect(_next_url(request))
