"""Group pages: discovery and search, starting a group, a group's page, managing it."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from commonground.core.errors import ApplicationError, NotFound
from commonground.core.forms import add_application_error
from commonground.core.http import member_of
from commonground.core.pagination import clamp_page, page_param
from commonground.events.selectors import event_list_of_group
from commonground.groups import services
from commonground.groups.announcements import announcement_offer, group_announce
from commonground.groups.discussions.selectors import post_list_for_group
from commonground.groups.forms import GroupForm, GroupSearchForm, InviteForm, PostForm
from commonground.groups.models import MAX_GROUP_INTERESTS, GroupScope
from commonground.groups.niches import niche_list_for
from commonground.groups.selectors import (
    GroupView,
    group_get,
    group_list_for,
    group_member_list,
    group_pending_list,
    group_search,
    group_start_reach,
)
from commonground.interests.filtering import filter_links, filter_redirect, filter_slugs
from commonground.interests.models import Interest
from commonground.interests.selectors import interest_get_many
from commonground.interests.services import interest_for_text
from commonground.profiles.selectors import Viewer, profile_for_user


@login_required
def group_index(request: HttpRequest) -> HttpResponse:
    if response := filter_redirect(request, limit=MAX_GROUP_INTERESTS, keep=("scope",)):
        return response
    slugs = filter_slugs(request.GET.getlist("i"), limit=MAX_GROUP_INTERESTS)
    form = GroupSearchForm(request.GET)
    return render(request, "groups/index.html", _index_context(request, form, slugs))


def _index_context(
    request: HttpRequest, form: GroupSearchForm, slugs: list[str]
) -> dict[str, object]:
    viewer = Viewer.for_user(request.user)
    context: dict[str, object] = {
        "form": form,
        "filters": [],
        "results": None,
        "error": None,
        "niches": niche_list_for(viewer=viewer, limit=3),
    }
    if not form.is_valid():
        context["error"] = "Check the filters below."
        return context
    scope = form.cleaned_data.get("scope") or ""
    try:
        filters = interest_get_many(slugs=slugs)
        context["filters"] = filters
        page, size = clamp_page(form.cleaned_data.get("page"), 20)
        if filters or scope:
            results = group_search(
                viewer=viewer,
                interest_ids=[i.pk for i in filters],
                scope=scope,
                page=page,
                size=size,
            )
        else:
            results = group_list_for(viewer=viewer, page=page, size=size)
        context["results"] = results
        if filters and results.total == 0:
            context["start_count"] = group_start_reach(
                viewer=viewer, interest_ids=[i.pk for i in filters], scope=scope
            )
            context["start_where"] = _REACH_WORDS.get(
                scope or profile_for_user(user=member_of(request)).reach, "in the community"
            )
            start = [("i", i.slug) for i in filters] + ([("scope", scope)] if scope else [])
            context["start_query"] = urlencode(start)
    except ApplicationError as error:
        context["error"] = error.message
    context.update(filter_links(slugs, [("scope", scope)] if scope else []))
    return context


_REACH_WORDS = {
    "local": "in your city",
    "regional": "in your region",
    "national": "in your country",
    "virtual": "in the community",
}


def _interests_from_text(text: str, request: HttpRequest) -> list[Interest]:
    parts = [p.strip() for p in text.split(",") if p.strip()]
    return [
        interest_for_text(text=part, user=member_of(request), allow_new=False) for part in parts
    ]


@login_required
@require_http_methods(["GET", "POST"])
def group_new(request: HttpRequest) -> HttpResponse:
    initial: dict[str, object] = {}
    slugs = filter_slugs(request.GET.getlist("i"), limit=MAX_GROUP_INTERESTS)
    if slugs:
        by_slug = Interest.objects.in_bulk(slugs, field_name="slug")
        found = [by_slug[s] for s in slugs if s in by_slug]
        initial["interests"] = ", ".join(i.name for i in found)
        initial["name"] = " & ".join(i.name for i in found)[:80]
    if request.GET.get("scope") in GroupScope.values:
        initial["scope"] = request.GET["scope"]
        # A niche suggested for the member's region starts in their place.
        profile = profile_for_user(user=member_of(request))
        initial.update(city=profile.city, region=profile.region, country=profile.country)
    form = GroupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            group = services.group_create(
                user=member_of(request),
                name=data["name"],
                description=data["description"],
                interests=_interests_from_text(data["interests"], request),
                scope=data["scope"],
                city=data["city"],
                region=data["region"],
                country=data["country"],
                visibility=data["visibility"],
            )
        except ApplicationError as error:
            if error.field == "interest":
                error.field = "interests"
            add_application_error(form, error)
        else:
            messages.success(request, "Your group is ready. Invite the people who share it.")
            return redirect("groups:detail", slug=group.slug)
    return render(request, "groups/new.html", {"form": form})


def _visible_or_404(request: HttpRequest, slug: str) -> GroupView:
    try:
        return group_get(viewer=Viewer.for_user(request.user), slug=slug)
    except NotFound:
        raise Http404 from None


@login_required
def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    view = _visible_or_404(request, slug)
    return render(request, "groups/detail.html", group_detail_context(request, view))


def group_detail_context(
    request: HttpRequest, view: GroupView, *, post_form: PostForm | None = None
) -> dict[str, object]:
    viewer = Viewer.for_user(request.user)
    page, size = clamp_page(page_param(request.GET.get("page")), 20)
    return {
        "view": view,
        "group": view.group,
        "members": group_member_list(viewer=viewer, view=view),
        "pending": group_pending_list(viewer=viewer, view=view),
        "invite_form": InviteForm() if view.is_organizer else None,
        "posts": post_list_for_group(viewer=viewer, group_view=view, page=page, size=size),
        "post_form": post_form or (PostForm() if view.is_member else None),
        "announce": announcement_offer(view=view) if view.is_organizer else None,
        "events": event_list_of_group(viewer=viewer, group_id=view.group.pk, limit=5),
    }


_DONE = {
    "join": "Done.",
    "leave": "You left the group.",
    "accept": "Welcome to the group!",
    "decline": "Invitation declined.",
    "invite": "Invitation sent.",
}


@login_required
@require_POST
def group_action(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    if action not in _DONE:
        raise Http404
    user = member_of(request)
    message = _DONE[action]
    try:
        if action == "join":
            row = services.group_join(user=user, slug=slug)
            message = "You joined the group." if row.is_active else "Your request was sent."
        elif action == "leave":
            services.group_leave(user=user, slug=slug)
        elif action == "accept":
            services.group_invite_accept(user=user, slug=slug)
        elif action == "decline":
            services.group_invite_decline(user=user, slug=slug)
        else:
            form = InviteForm(request.POST)
            if not form.is_valid():
                messages.error(request, "Give the member's profile link or id.")
                return redirect("groups:detail", slug=slug)
            services.group_invite(
                user=user, slug=slug, member_public_id=form.cleaned_data["member"]
            )
    except NotFound as error:
        if error.code == "group_not_found":
            raise Http404 from None
        messages.error(request, error.message)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, message)
        if action in ("leave", "decline"):
            return redirect("groups:index")
    return redirect("groups:detail", slug=slug)


_MANAGE = {
    "approve": (services.group_request_approve, "Request approved."),
    "decline": (services.group_request_decline, "Request declined."),
    "remove": (services.group_member_remove, "Removed from the group."),
    "transfer": (services.group_ownership_transfer, "You handed the group over."),
}


@login_required
@require_http_methods(["GET", "POST"])
def group_manage(request: HttpRequest, slug: str) -> HttpResponse:
    view = _visible_or_404(request, slug)
    if not view.is_organizer:
        raise PermissionDenied
    if request.method == "POST":
        action = request.POST.get("action", "")
        member = request.POST.get("member", "")[:32]
        user = member_of(request)
        try:
            if action in ("promote", "demote"):
                role = "organizer" if action == "promote" else "member"
                services.group_role_set(user=user, slug=slug, member_public_id=member, role=role)
                message = "Role changed."
            elif action in _MANAGE:
                service, message = _MANAGE[action]
                service(user=user, slug=slug, member_public_id=member)
            else:
                raise Http404
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, message)
        return redirect("groups:manage", slug=slug)
    viewer = Viewer.for_user(request.user)
    return render(
        request,
        "groups/manage.html",
        {
            "view": view,
            "group": view.group,
            "members": group_member_list(viewer=viewer, view=view),
            "pending": group_pending_list(viewer=viewer, view=view),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, slug: str) -> HttpResponse:
    view = _visible_or_404(request, slug)
    if not view.is_organizer:
        raise PermissionDenied
    group = view.group
    initial = {
        "name": group.name,
        "description": group.description,
        "interests": ", ".join(i.name for i in view.interests),
        "scope": group.scope,
        "city": group.city,
        "region": group.region,
        "country": group.country,
        "visibility": group.visibility,
    }
    form = GroupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.group_update(
                user=member_of(request),
                slug=slug,
                name=data["name"],
                description=data["description"],
                interests=_interests_from_text(data["interests"], request),
                scope=data["scope"],
                city=data["city"],
                region=data["region"],
                country=data["country"],
                visibility=data["visibility"],
            )
        except ApplicationError as error:
            if error.field == "interest":
                error.field = "interests"
            add_application_error(form, error)
        else:
            messages.success(request, "Saved.")
            return redirect("groups:detail", slug=slug)
    return render(request, "groups/edit.html", {"form": form, "view": view, "group": group})


@login_required
@require_POST
def group_announce_view(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        announcement = group_announce(user=member_of(request), slug=slug)
    except NotFound:
        raise Http404 from None
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        reached = announcement.reached
        messages.success(
            request,
            f"Announced to {reached} member{'s' if reached != 1 else ''} who share"
            f" its interests and place."
            if reached
            else "Announced, but nobody matches the group yet: invite people you know.",
        )
    return redirect("groups:detail", slug=slug)


@login_required
def niche_index(request: HttpRequest) -> HttpResponse:
    viewer = Viewer.for_user(request.user)
    return render(
        request, "groups/niches.html", {"niches": niche_list_for(viewer=viewer, limit=12)}
    )
