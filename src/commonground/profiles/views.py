"""Profile pages: onboarding, the directory, a member's page, editing and privacy."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from commonground.core.errors import ApplicationError, NotFound
from commonground.core.forms import add_application_error
from commonground.core.http import member_of
from commonground.core.pagination import clamp_page
from commonground.groups.models import Group, MembershipState
from commonground.groups.selectors import groups_visible_to
from commonground.interests.filtering import filter_links, filter_redirect, filter_slugs
from commonground.interests.forms import AddInterestForm
from commonground.interests.selectors import interest_get_many, member_interest_list
from commonground.messaging.selectors import can_message
from commonground.network.services.members import active_user_for
from commonground.profiles import services
from commonground.profiles.directory import MAX_FILTER_INTERESTS, DirectoryFilter, member_search
from commonground.profiles.forms import (
    AboutForm,
    DirectoryForm,
    OpenToForm,
    PrivacyForm,
    ProfileForm,
)
from commonground.profiles.models import VISIBILITY_GROUPS, Profile
from commonground.profiles.selectors import MemberView, Viewer, member_get, profile_for_user

_ABOUT_FIELDS = list(AboutForm.base_fields)
_PROFILE_FIELDS = list(ProfileForm.base_fields)


def _initial(profile: Profile, fields: list[str]) -> dict[str, object]:
    return {name: getattr(profile, name) for name in fields}


@login_required
@require_http_methods(["GET", "POST"])
def onboarding(request: HttpRequest) -> HttpResponse:
    profile = profile_for_user(user=member_of(request))
    step = profile.onboarding_step
    if step >= Profile.OnboardingStep.DONE:
        return redirect("web:home")
    if step == Profile.OnboardingStep.ABOUT:
        return _onboarding_about(request, profile)
    if step == Profile.OnboardingStep.INTERESTS:
        return _onboarding_interests(request, profile)
    return _onboarding_open_to(request, profile)


def _onboarding_about(request: HttpRequest, profile: Profile) -> HttpResponse:
    form = AboutForm(request.POST or None, initial=_initial(profile, _ABOUT_FIELDS))
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(user=member_of(request), **form.cleaned_data)
            services.onboarding_complete_step(user=member_of(request), step=1)
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            return redirect("profiles:onboarding")
    return render(request, "profiles/onboarding_about.html", {"form": form, "step": 1})


def _onboarding_interests(request: HttpRequest, profile: Profile) -> HttpResponse:
    error = None
    if request.method == "POST":
        if "back" in request.POST:
            Profile.objects.filter(pk=profile.pk).update(onboarding_step=1)
            return redirect("profiles:onboarding")
        try:
            services.onboarding_complete_step(user=member_of(request), step=2)
        except ApplicationError as exc:
            error = exc.message
        else:
            return redirect("profiles:onboarding")
    return render(
        request,
        "profiles/onboarding_interests.html",
        {
            "step": 2,
            "interest_form": AddInterestForm(),
            "mine": member_interest_list(user_id=member_of(request).pk),
            "error": error,
            "next": request.path,
        },
    )


def _onboarding_open_to(request: HttpRequest, profile: Profile) -> HttpResponse:
    form = OpenToForm(request.POST or None, initial={"open_to": profile.open_to})
    if request.method == "POST":
        if "back" in request.POST:
            Profile.objects.filter(pk=profile.pk).update(onboarding_step=2)
            return redirect("profiles:onboarding")
        if form.is_valid():
            try:
                services.profile_update(
                    user=member_of(request), open_to=form.cleaned_data["open_to"]
                )
                services.onboarding_complete_step(user=member_of(request), step=3)
            except ApplicationError as error:
                add_application_error(form, error)
            else:
                messages.success(request, "Welcome! Here are people who share what you love.")
                return redirect("web:home")
    return render(request, "profiles/onboarding_open_to.html", {"form": form, "step": 3})


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    if response := filter_redirect(
        request, limit=MAX_FILTER_INTERESTS, keep=("near", "profession")
    ):
        return response
    slugs = filter_slugs(request.GET.getlist("i"), limit=MAX_FILTER_INTERESTS)
    # Always bound: every filter is optional, so the bare page is a valid, unfiltered search.
    form = DirectoryForm(request.GET)
    return render(request, "profiles/directory.html", _directory_context(request, form, slugs))


def _directory_context(
    request: HttpRequest, form: DirectoryForm, slugs: list[str]
) -> dict[str, object]:
    viewer = Viewer.for_user(request.user)
    context: dict[str, object] = {"form": form, "filters": [], "results": None, "error": None}
    if not form.is_valid():
        context["error"] = "Check the filters below."
        return context
    try:
        filters = interest_get_many(slugs=slugs)
        context["filters"] = filters
        page, size = clamp_page(form.cleaned_data.get("page"), 20)
        context["results"] = member_search(
            viewer=viewer,
            viewer_profile=profile_for_user(user=member_of(request)),
            flt=DirectoryFilter(
                interest_ids=tuple(i.pk for i in filters),
                near=form.cleaned_data.get("near") or "",
                profession=(form.cleaned_data.get("profession") or "").strip(),
            ),
            page=page,
            size=size,
        )
    except ApplicationError as error:
        context["error"] = error.message
    context.update(
        filter_links(
            slugs,
            [
                (k, str(form.cleaned_data[k]))
                for k in ("near", "profession")
                if form.cleaned_data.get(k)
            ],
        )
    )
    return context


@dataclass(frozen=True)
class MemberActions:
    """What the viewer may do with the member whose page it is."""

    can_message: bool = False
    can_introduce: bool = False
    groups_in_common: list[Group] = field(default_factory=list)


# Shown on a member's page at most; the rest are a click away on each group's page.
GROUPS_IN_COMMON_SHOWN = 12


def _member_actions(viewer: Viewer, member: MemberView) -> MemberActions:
    """Each action asks its own app's rule: messaging's for Message, the network's
    connection for introductions, the groups' visibility for the groups shown."""
    if viewer.user_id is None or member.is_self:
        return MemberActions()
    other = active_user_for(public_id=member.public_id)
    if other is None:
        return MemberActions()
    common = (
        groups_visible_to(viewer)
        .filter(memberships__user_id=viewer.user_id, memberships__state=MembershipState.ACTIVE)
        .filter(memberships__user_id=other.pk, memberships__state=MembershipState.ACTIVE)
        .order_by("name", "pk")[:GROUPS_IN_COMMON_SHOWN]
    )
    return MemberActions(
        can_message=can_message(sender_id=viewer.user_id, recipient_id=other.pk),
        can_introduce=member.is_connection,
        groups_in_common=list(common),
    )


def member_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    viewer = Viewer.for_user(request.user)
    try:
        member = member_get(viewer=viewer, public_id=public_id)
    except NotFound:
        raise Http404 from None
    return render(
        request,
        "profiles/member_detail.html",
        {"member": member, "actions": _member_actions(viewer, member)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    profile = profile_for_user(user=member_of(request))
    form = ProfileForm(request.POST or None, initial=_initial(profile, _PROFILE_FIELDS))
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(user=member_of(request), **form.cleaned_data)
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("profiles:edit")
    return render(
        request,
        "profiles/profile_edit.html",
        {
            "form": form,
            "profile": profile,
            "interest_form": AddInterestForm(),
            "mine": member_interest_list(user_id=member_of(request).pk),
            "next": request.path,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def privacy(request: HttpRequest) -> HttpResponse:
    profile = profile_for_user(user=member_of(request))
    initial = {group: profile.visibility_of(group) for group in VISIBILITY_GROUPS}
    form = PrivacyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_set_visibility(user=member_of(request), **form.cleaned_data)
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, "Privacy settings saved.")
            return redirect("profiles:privacy")
    return render(request, "profiles/privacy.html", {"form": form, "profile": profile})
