"""Reads about the people at an event: who to meet, the speed-networking plan, follow-ups.

All go through the event's visibility (an EventView from `event_get`) and the profiles app's
rules: blocked and muted members are left out, and shared interests count only where the
member lets this viewer see their interests.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from commonground.events.models import Rsvp, RsvpState, SpeedNetworkingPlan
from commonground.events.selectors import EventView
from commonground.profiles.models import Profile
from commonground.profiles.selectors import (
    MemberView,
    Viewer,
    member_interests_for,
    member_view_build,
    q_listed,
    total_members,
    viewer_interest_weights,
)
from commonground.suggestions.models import Suggestion


def _member_views(*, viewer: Viewer, user_ids: list[int]) -> dict[int, MemberView]:
    if not user_ids:
        return {}
    profiles = list(
        Profile.objects.filter(q_listed(viewer=viewer), user_id__in=user_ids).select_related("user")
    )
    weights = viewer_interest_weights(user_id=viewer.user_id, total=total_members())
    interests = member_interests_for([p.user_id for p in profiles])
    return {
        p.user_id: member_view_build(
            profile=p, viewer=viewer, member_interests=interests[p.user_id], weights=weights
        )
        for p in profiles
    }


def _attending_ids(view: EventView) -> list[int]:
    return list(
        Rsvp.objects.filter(event=view.event, state=RsvpState.GOING)
        .order_by("created_at", "pk")
        .values_list("user_id", flat=True)
    )


def people_to_meet(*, viewer: Viewer, view: EventView, limit: int = 6) -> list[MemberView]:
    """People going the viewer should meet: first those the matching engine suggests to them
    (its "people for you", which weighs network and goals too), in its order; then the others
    by the rarest interests they share. Visibility, blocks and mutes hold as everywhere."""
    if viewer.user_id is None:
        return []
    ids = [uid for uid in _attending_ids(view) if uid != viewer.user_id]
    views = _member_views(viewer=viewer, user_ids=ids)
    engine_rank = dict(
        Suggestion.objects.filter(user_id=viewer.user_id, candidate_id__in=list(views)).values_list(
            "candidate_id", "rank"
        )
    )
    unranked = len(engine_rank) + 10_000
    ranked = sorted(
        ((uid, v) for uid, v in views.items() if v.score > 0 or uid in engine_rank),
        key=lambda pair: (
            engine_rank.get(pair[0], unranked),
            -pair[1].score,
            pair[1].display_name.casefold(),
        ),
    )
    return [v for _, v in ranked[:limit]]


@dataclass(frozen=True)
class Seat:
    public_id: str
    display_name: str
    shared: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Sitting:
    """One round for one attendee: their table and who sits with them."""

    round: int
    table: int
    partners: list[Seat]


@dataclass(frozen=True)
class PlanTable:
    number: int
    seats: list[Seat]


@dataclass(frozen=True)
class PlanView:
    rounds: list[list[PlanTable]]
    mine: list[Sitting]
    total_weight: float
    seed: int
    people: int


def speed_plan_for(*, viewer: Viewer, view: EventView) -> PlanView | None:
    """The organizers see the whole plan; an attendee sees their own table per round, with
    what they share with each partner (as far as each partner lets them see)."""
    plan = SpeedNetworkingPlan.objects.filter(event=view.event).first()
    if plan is None:
        return None
    rounds: list[list[list[int]]] = plan.rounds
    ids = sorted({uid for tables in rounds for table in tables for uid in table})
    names = dict(Profile.objects.filter(user_id__in=ids).values_list("user_id", "display_name"))
    public = dict(Profile.objects.filter(user_id__in=ids).values_list("user_id", "user__public_id"))
    hidden = viewer.blocked

    def seat(uid: int, shared: list[str] | None = None) -> Seat:
        if uid in hidden:
            return Seat(public_id="", display_name="Another attendee")
        return Seat(
            public_id=public.get(uid, ""),
            display_name=names.get(uid) or "Member",
            shared=shared or [],
        )

    mine: list[Sitting] = []
    partner_ids = [
        uid
        for tables in rounds
        for table in tables
        if viewer.user_id in table
        for uid in table
        if uid != viewer.user_id
    ]
    partner_views = _member_views(viewer=viewer, user_ids=partner_ids)
    for number, tables in enumerate(rounds, start=1):
        for table_number, table in enumerate(tables, start=1):
            if viewer.user_id in table:
                partners = [
                    seat(uid, [ref.name for ref in partner_views[uid].shared][:5])
                    if uid in partner_views
                    else seat(uid)
                    for uid in table
                    if uid != viewer.user_id
                ]
                mine.append(Sitting(round=number, table=table_number, partners=partners))
    whole = (
        [
            [
                PlanTable(number=t, seats=[seat(uid) for uid in table])
                for t, table in enumerate(tables, 1)
            ]
            for tables in rounds
        ]
        if view.is_organizer
        else []
    )
    return PlanView(
        rounds=whole, mine=mine, total_weight=plan.total_weight, seed=plan.seed, people=len(ids)
    )


@dataclass(frozen=True)
class FollowUp:
    member: MemberView
    met: bool


def follow_ups(*, viewer: Viewer, view: EventView, limit: int = 20) -> list[FollowUp]:
    """After the event, for those who went: the people they met at speed-networking tables
    first, then the others there who share their interests."""
    if not view.is_past or not view.is_going or viewer.user_id is None:
        return []
    checked = set(
        Rsvp.objects.filter(
            event=view.event, state=RsvpState.GOING, checked_in_at__isnull=False
        ).values_list("user_id", flat=True)
    )
    there = [uid for uid in _attending_ids(view) if not checked or uid in checked]
    plan = SpeedNetworkingPlan.objects.filter(event=view.event).first()
    met: set[int] = set()
    if plan is not None:
        for tables in plan.rounds:
            for table in tables:
                if viewer.user_id in table:
                    met.update(table)
    others = [uid for uid in dict.fromkeys([*met, *there]) if uid != viewer.user_id]
    views = _member_views(viewer=viewer, user_ids=others)
    found = [
        FollowUp(member=v, met=uid in met) for uid, v in views.items() if uid in met or v.score > 0
    ]
    found.sort(key=lambda f: (not f.met, -f.member.score, f.member.display_name.casefold()))
    return found[:limit]
