"""Referral reads: each referral is seen by its referrer, its candidate, and (once the
candidate agreed) the opportunity's poster; never by anyone else."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from commonground.accounts.models import User
from commonground.network.services.members import is_public_id
from commonground.opportunities.errors import NotPoster, ReferralNotFound
from commonground.opportunities.models import (
    InterestExpression,
    Opportunity,
    Referral,
    ReferralRequest,
    ReferralRequestStatus,
    ReferralStatus,
)
from commonground.opportunities.selectors.opportunities import OpportunityView
from commonground.opportunities.selectors.visibility import q_opportunity_visible_to
from commonground.profiles.models import Profile
from commonground.profiles.selectors import Viewer, q_group_visible, q_listed

# The poster sees a referral only after the candidate agreed to it.
_POSTER_SEES = [
    ReferralStatus.SUBMITTED,
    ReferralStatus.REVIEWING,
    ReferralStatus.INTERVIEWING,
    ReferralStatus.HIRED,
    ReferralStatus.DECLINED,
]


def q_referral_visible_to(viewer: Viewer) -> Q:
    if viewer.user_id is None:
        return Q(pk__in=[])
    uid = viewer.user_id
    q = (
        Q(referrer_id=uid)
        | Q(candidate_id=uid)
        | Q(opportunity__poster_id=uid, status__in=_POSTER_SEES)
    )
    if viewer.blocked:
        blocked = sorted(viewer.blocked)
        q &= ~Q(referrer_id__in=blocked) & ~Q(candidate_id__in=blocked)
    return q


def referrals_visible_to(viewer: Viewer) -> QuerySet[Referral]:
    """Referrals the viewer is part of, about opportunities they may (still) see: a referrer
    who left the audience group no longer sees the opportunity's title here either."""
    return Referral.objects.filter(
        q_referral_visible_to(viewer),
        opportunity__in=Opportunity.objects.filter(q_opportunity_visible_to(viewer)),
    ).select_related("opportunity", "referrer__profile", "candidate__profile")


_referrals = referrals_visible_to


def referral_get(*, viewer: Viewer, public_id: str) -> Referral:
    # Checked before any query: PostgreSQL refuses a NUL byte with an error, not a 404.
    row = (
        _referrals(viewer).filter(public_id=public_id).first() if is_public_id(public_id) else None
    )
    if row is None:
        raise ReferralNotFound("No such referral.")
    return row


@dataclass(frozen=True)
class ReferralLists:
    made: list[Referral]
    received: list[Referral]
    for_mine: list[Referral]
    requests: list[ReferralRequest]


def referral_lists_for(*, viewer: Viewer) -> ReferralLists:
    """The viewer's referrals page: made, received as candidate, for their opportunities,
    and the requests connections sent them. Four queries whatever the sizes."""
    if viewer.user_id is None:
        return ReferralLists([], [], [], [])
    uid = viewer.user_id
    rows = list(_referrals(viewer).order_by("-created_at", "-pk")[:600])
    return ReferralLists(
        made=[r for r in rows if r.referrer_id == uid],
        received=[r for r in rows if r.candidate_id == uid],
        for_mine=[r for r in rows if r.opportunity.poster_id == uid and r.status in _POSTER_SEES],
        requests=list(referral_requests_to(viewer=viewer)),
    )


def referral_requests_to(*, viewer: Viewer) -> QuerySet[ReferralRequest]:
    """Requests to the viewer that are still waiting, about opportunities they can see."""
    return (
        ReferralRequest.objects.filter(asked_id=viewer.user_id, status=ReferralRequestStatus.OPEN)
        .filter(opportunity__in=Opportunity.objects.filter(q_opportunity_visible_to(viewer)))
        .exclude(requester_id__in=sorted(viewer.blocked))
        .select_related("opportunity", "requester__profile")
        .order_by("-created_at")[:100]
    )


def referrals_for_opportunity(*, viewer: Viewer, view: OpportunityView) -> list[Referral]:
    """The poster's pipeline for one opportunity (agreed referrals only)."""
    if not view.is_poster:
        return []
    return list(
        _referrals(viewer)
        .filter(opportunity=view.opportunity, status__in=_POSTER_SEES)
        .order_by("-created_at")
    )


def interest_expressions_for(*, viewer: Viewer, view: OpportunityView) -> list[InterestExpression]:
    if not view.is_poster:
        raise NotPoster("Only the poster sees who is interested.")
    return list(
        InterestExpression.objects.filter(opportunity=view.opportunity)
        .exclude(member_id__in=sorted(viewer.blocked))
        .select_related("member__profile")
        .order_by("-created_at")
    )


def connections_at_organization(*, viewer: Viewer, view: OpportunityView) -> list[User]:
    """The viewer's connections whose (visible) organization is the opportunity's, and who
    can see the opportunity themselves: the people the viewer may ask for a referral."""
    organization = view.opportunity.organization.strip()
    if viewer.user_id is None or not organization or not viewer.connections:
        return []
    profiles = (
        Profile.objects.filter(
            q_listed(viewer=viewer), q_group_visible(group="work", viewer=viewer)
        )
        .filter(user_id__in=sorted(viewer.connections), organization__iexact=organization)
        .select_related("user")[:50]
    )
    from commonground.opportunities.selectors.visibility import opportunity_visible

    return [
        p.user
        for p in profiles
        if opportunity_visible(opportunity=view.opportunity, viewer=Viewer.for_user(p.user))
    ]


def referral_view_fields(referral: Referral, *, viewer: Viewer) -> dict[str, object]:
    """A referral as plain data for the API and the export."""

    def name(user: User) -> str:
        profile = getattr(user, "profile", None)
        return (profile.display_name if profile else "") or "Member"

    return {
        "id": referral.public_id,
        "opportunity": referral.opportunity.public_id,
        "opportunity_title": referral.opportunity.title,
        "referrer": {"id": referral.referrer.public_id, "display_name": name(referral.referrer)},
        "candidate": {"id": referral.candidate.public_id, "display_name": name(referral.candidate)},
        "note": referral.note,
        "status": referral.status,
        "candidate_agreed_at": referral.candidate_agreed_at,
        "created_at": referral.created_at,
        "mine_as": (
            "referrer"
            if referral.referrer_id == viewer.user_id
            else "candidate"
            if referral.candidate_id == viewer.user_id
            else "poster"
        ),
    }
