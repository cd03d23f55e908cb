"""Opportunity pages: for you / all (search) / mine, posting one, one opportunity, the
quiet open-to signal, and the member's own export."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from commonground.accounts.models import User
from commonground.core.errors import ApplicationError, NotFound
from commonground.core.forms import add_application_error
from commonground.core.http import member_of
from commonground.core.pagination import Page, clamp_page
from commonground.groups.models import Membership, MembershipState
from commonground.interests.models import Interest
from commonground.interests.services import interest_for_text
from commonground.opportunities import services
from commonground.opportunities.exports import member_export
from commonground.opportunities.forms import (
    AskForm,
    InterestForm,
    OpportunityForm,
    ReferForm,
    SearchForm,
    SignalForm,
    public_ids_from_text,
)
from commonground.opportunities.models import InterestExpression, Referral
from commonground.opportunities.selectors import (
    OpportunityView,
    connections_at_organization,
    interest_expressions_for,
    open_to_signal_get,
    opportunity_get,
    opportunity_list,
    opportunity_list_for_you,
    opportunity_list_mine,
    people_who_fit,
    referrals_for_opportunity,
)
from commonground.opportunities.services.referrals import POSTER_MOVES
from commonground.profiles.models import Profile
from commonground.profiles.selectors import Viewer, profile_for_user, q_listed

TABS = ("for-you", "all", "mine")


@login_required
def index(request: HttpRequest) -> HttpResponse:
    viewer = Viewer.for_user(request.user)
    tab = request.GET.get("tab", "for-you")
    if tab not in TABS:
        tab = "for-you"
    form = SearchForm(request.GET)
    context: dict[str, object] = {"tab": tab, "form": form, "error": None, "results": None}
    if not form.is_valid():
        context["error"] = "Check the search filters."
        return render(request, "opportunities/index.html", context)
    page, size = clamp_page(form.cleaned_data.get("page"), 20)
    try:
        if tab == "mine":
            mine = opportunity_list_mine(viewer=viewer)
            context["results"] = Page(items=mine, number=1, size=max(1, len(mine)), total=len(mine))
        elif tab == "all":
            data = form.cleaned_data
            skill_ids = []
            if data.get("skill"):
                skill_ids = [interest_for_text(text=data["skill"], user=None, allow_new=False).pk]
            context["results"] = opportunity_list(
                viewer=viewer,
                text=data.get("q") or "",
                skill_ids=skill_ids,
                kind=data.get("kind") or "",
                remote=True if data.get("remote") else None,
                page=page,
                size=size,
            )
            context["searching"] = any(data.get(k) for k in ("q", "skill", "kind", "remote"))
        else:
            context["results"] = opportunity_list_for_you(viewer=viewer, page=page, size=size)
    except ApplicationError as error:
        context["error"] = error.message
    query = request.GET.copy()
    query.pop("page", None)
    context["query_base"] = query.urlencode()
    return render(request, "opportunities/index.html", context)


def _group_choices(user: User) -> list[tuple[str, str]]:
    rows = (
        Membership.objects.filter(user=user, state=MembershipState.ACTIVE)
        .select_related("group")
        .order_by("group__name")
    )
    return [(m.group.slug, m.group.name) for m in rows]


def _interests(text: str, *, field: str) -> list[Interest]:
    parts = [p.strip() for p in (text or "").split(",") if p.strip()]
    found = []
    for part in parts[:10]:
        try:
            found.append(interest_for_text(text=part, user=None, allow_new=False))
        except ApplicationError as error:
            error.field = field
            raise
    return found


def end_of_day(day: date, *, user: User) -> datetime:
    """The last second of that day in the member's time zone."""
    zone_name = profile_for_user(user=user).time_zone
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return datetime.combine(day, time(23, 59, 59), tzinfo=zone)


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    user = member_of(request)
    form = OpportunityForm(request.POST or None, group_choices=_group_choices(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            opportunity = services.opportunity_create(
                user=user,
                kind=data["kind"],
                title=data["title"],
                organization=data["organization"],
                description=data["description"],
                skills=_interests(data["skills"], field="skills"),
                interests=_interests(data["interests"], field="interests"),
                remote=data["remote"],
                city=data["city"],
                region=data["region"],
                country=data["country"],
                compensation=data["compensation"],
                expires_at=end_of_day(data["expires_on"], user=user),
                audience=data["audience"],
                audience_groups=data["audience_groups"],
                audience_members=public_ids_from_text(data["audience_members"]),
            )
        except ApplicationError as error:
            if error.field == "expires_at":
                error.field = "expires_on"
            add_application_error(form, error)
        else:
            messages.success(request, "Posted. The members who fit best will hear about it.")
            return redirect("opportunities:detail", public_id=opportunity.public_id)
    return render(request, "opportunities/new.html", {"form": form})


def _visible_or_404(request: HttpRequest, public_id: str) -> OpportunityView:
    try:
        return opportunity_get(viewer=Viewer.for_user(request.user), public_id=public_id)
    except NotFound:
        raise Http404 from None


def _connection_choices(viewer: Viewer) -> list[tuple[str, str]]:
    rows = (
        Profile.objects.filter(q_listed(viewer=viewer), user_id__in=sorted(viewer.connections))
        .select_related("user")
        .order_by("display_name")[:500]
    )
    return [(p.user.public_id, p.display_name or "Member") for p in rows]


@login_required
def detail(request: HttpRequest, public_id: str) -> HttpResponse:
    view = _visible_or_404(request, public_id)
    viewer = Viewer.for_user(request.user)
    context: dict[str, object] = {"view": view, "opportunity": view.opportunity}
    if view.is_poster:
        context["people"] = people_who_fit(viewer=viewer, view=view)
        context["pipeline"] = referrals_for_opportunity(viewer=viewer, view=view)
        context["interested"] = interest_expressions_for(viewer=viewer, view=view)
        context["moves"] = POSTER_MOVES
    elif view.is_open:
        choices = [c for c in _connection_choices(viewer) if c[0] != view.poster_public_id]
        context["refer_form"] = ReferForm(choices=choices) if choices else None
        at_org = connections_at_organization(viewer=viewer, view=view)
        context["ask_form"] = (
            AskForm(choices=[(u.public_id, _name(u)) for u in at_org]) if at_org else None
        )
        context["interest_form"] = InterestForm()
        context["already_interested"] = InterestExpression.objects.filter(
            opportunity=view.opportunity, member_id=viewer.user_id
        ).exists()
    context["my_referrals"] = Referral.objects.filter(
        opportunity=view.opportunity, referrer_id=viewer.user_id
    ).select_related("candidate__profile")
    return render(request, "opportunities/detail.html", context)


def _name(user: User) -> str:
    profile = getattr(user, "profile", None)
    return (profile.display_name if profile else "") or "Member"


_DONE = {
    "refer": "Referral sent. They will be asked to agree first.",
    "interest": "The poster knows you are interested.",
    "ask": "Your request was sent.",
    "status": "Status changed.",
    "referral": "Referral updated.",
}


@login_required
@require_POST
def action(request: HttpRequest, public_id: str, action: str) -> HttpResponse:
    if action not in _DONE:
        raise Http404
    _visible_or_404(request, public_id)
    user = member_of(request)
    post = request.POST
    try:
        if action == "refer":
            services.referral_create(
                user=user,
                opportunity_public_id=public_id,
                candidate_public_id=post.get("candidate", "")[:32],
                note=post.get("note", ""),
            )
        elif action == "interest":
            services.interest_express(
                user=user, opportunity_public_id=public_id, note=post.get("note", "")
            )
        elif action == "ask":
            services.referral_request_create(
                user=user,
                opportunity_public_id=public_id,
                asked_public_id=post.get("asked", "")[:32],
                message=post.get("message", ""),
            )
        elif action == "status":
            services.opportunity_status_set(
                user=user, public_id=public_id, status=post.get("status", "")[:16]
            )
        else:
            services.referral_status_set(
                user=user,
                public_id=post.get("referral", "")[:32],
                status=post.get("status", "")[:20],
            )
    except NotFound as error:
        if error.code == "opportunity_not_found":
            raise Http404 from None
        messages.error(request, error.message)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _DONE[action])
    return redirect("opportunities:detail", public_id=public_id)


@login_required
@require_http_methods(["GET", "POST"])
def open_to(request: HttpRequest) -> HttpResponse:
    user = member_of(request)
    viewer = Viewer.for_user(user)
    signal = open_to_signal_get(viewer=viewer)
    initial: dict[str, object] = {}
    if signal is not None:
        initial = {
            "kinds": signal.kinds,
            "note": signal.note,
            "audience": signal.audience,
            "audience_members": ", ".join(u.public_id for u in signal.audience_members.all()),
        }
    form = SignalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if not data["kinds"]:
                services.open_to_signal_clear(user=user)
            else:
                services.open_to_signal_set(
                    user=user,
                    kinds=data["kinds"],
                    note=data["note"],
                    audience=data["audience"],
                    audience_members=public_ids_from_text(data["audience_members"]),
                )
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, "Saved. Only the people you chose can see it.")
            return redirect("opportunities:open_to")
    return render(request, "opportunities/open_to.html", {"form": form, "signal": signal})


@login_required
def export(request: HttpRequest) -> HttpResponse:
    data = member_export(viewer=Viewer.for_user(request.user))
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="my-opportunities.json"'
    return response
