"""Suggestion reads: 'people for you', each explained in plain words, with icebreakers.

Stored suggestions are re-checked against the profile visibility rule on every read, so a
member who hides their interests or leaves after a batch run disappears at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from commonground.network.models import Connection
from commonground.profiles.models import Profile
from commonground.profiles.selectors import (
    InterestRef,
    MemberView,
    Viewer,
    member_interests_for,
    member_view_build,
    q_group_visible,
    q_listed,
    total_members,
    viewer_interest_weights,
)
from commonground.suggestions.models import Dismissal, Suggestion

ICEBREAKERS = {
    "sports_team": "Did you catch the last {name} game?",
    "league": "Who's your pick in the {name} this season?",
    "tv": "Which {name} episode would you show a newcomer first?",
    "film": "What's your favourite scene in {name}?",
    "book": "Which {name} book should everyone read first?",
    "game": "How did you get into {name}, and who do you play with?",
    "food": "What's your best {name} tip?",
    "music": "Who should I listen to if I'm new to {name}?",
    "cause": "How are you involved with {name}?",
    "professional": "What's the most useful thing you've learned about {name} lately?",
    "skill": "What's the most useful thing you've learned about {name} lately?",
    "tech": "What are you building with {name}?",
    "outdoors": "Where's your favourite spot for {name}?",
}
DEFAULT_ICEBREAKER = "What got you into {name}?"


@dataclass
class SuggestionView:
    member: MemberView
    rank: int
    mutual_connections: int = 0
    teaches: list[InterestRef] = field(default_factory=list)  # they can share, you want to learn
    learns: list[InterestRef] = field(default_factory=list)  # you can share, they want to learn
    why: str = ""
    icebreakers: list[str] = field(default_factory=list)


def _names(refs: list[InterestRef], limit: int = 2) -> str:
    names = [r.name for r in refs[:limit]]
    return " and ".join(names) if len(names) <= 2 else ", ".join(names)


def _why(view: SuggestionView, viewer_region: str) -> str:
    first = view.member.display_name.split()[0] if view.member.display_name else "They"
    parts = []
    if view.member.shared:
        parts.append(f"You both love {_names(view.member.shared)}")
    if view.mutual_connections:
        n = view.mutual_connections
        parts.append(f"{n} mutual connection{'s' if n != 1 else ''}")
    if view.teaches:
        parts.append(f"{first} can share {_names(view.teaches, 1)}, which you want to learn")
    if view.learns:
        parts.append(f"{first} wants to learn {_names(view.learns, 1)}, which you can share")
    if view.member.region and view.member.region.casefold() == viewer_region and parts:
        parts.append(f"also in {view.member.region}")
    # The network parts of the score (friends of friends, friends of members like you) have
    # no names to show without revealing others' connections.
    return (
        " · ".join(parts)
        or "Close to you in the network: friends of people who share your interests"
    )


def _icebreakers(view: SuggestionView) -> list[str]:
    lines = [
        ICEBREAKERS.get(ref.kind, DEFAULT_ICEBREAKER).format(name=ref.name)
        for ref in view.member.shared[:3]
    ]
    if view.teaches:
        lines.append(f"I'd love to learn about {view.teaches[0].name}. How did you start?")
    if not lines:
        lines.append("What brought you to this community?")
    return lines[:3]


def _mutual_counts(viewer: Viewer, candidate_ids: list[int]) -> dict[int, int]:
    counts = dict.fromkeys(candidate_ids, 0)
    if not viewer.connections or not candidate_ids:
        return counts
    mine = list(viewer.connections)
    rows = Connection.objects.filter(
        Q(user_low_id__in=candidate_ids, user_high_id__in=mine)
        | Q(user_high_id__in=candidate_ids, user_low_id__in=mine)
    ).values_list("user_low_id", "user_high_id")
    for low, high in rows:
        candidate = low if low in counts else high
        counts[candidate] += 1
    return counts


def suggestion_list(*, viewer: Viewer, limit: int = 20) -> list[SuggestionView]:
    """The viewer's suggestions, best first, as the viewer may see each member."""
    if viewer.user_id is None:
        return []
    rows = list(
        Suggestion.objects.filter(user_id=viewer.user_id)
        .filter(q_listed(viewer=viewer, prefix="candidate__profile__"))
        # Members who hide their interests from this viewer are not found by them: the same
        # rule as the directory, or a suggestion would hint at what they hid.
        .filter(q_group_visible(group="interests", viewer=viewer, prefix="candidate__profile__"))
        .exclude(
            candidate_id__in=Dismissal.objects.filter(user_id=viewer.user_id).values("candidate_id")
        )
        .exclude(candidate_id__in=list(viewer.connections))
        .order_by("rank")
        .values_list("candidate_id", "rank")[:limit]
    )
    ids = [candidate for candidate, _ in rows]
    profiles = Profile.objects.select_related("user").in_bulk(ids, field_name="user_id")
    interests = member_interests_for([*ids, viewer.user_id])
    weights = viewer_interest_weights(user_id=viewer.user_id, total=total_members())
    mine = interests.pop(viewer.user_id)
    my_learning = {mi.interest_id for mi in mine if mi.kind == "learn"}
    my_skills = {mi.interest_id for mi in mine if mi.kind == "skill"}
    mutual = _mutual_counts(viewer, ids)
    viewer_region = (
        Profile.objects.filter(user_id=viewer.user_id).values_list("region_key", flat=True).first()
        or ""
    )
    views = []
    for candidate, rank in rows:
        if candidate not in profiles:
            continue
        member = member_view_build(
            profile=profiles[candidate],
            viewer=viewer,
            member_interests=interests[candidate],
            weights=weights,
        )
        view = SuggestionView(member=member, rank=rank, mutual_connections=mutual[candidate])
        if member.interests is not None:
            held = interests[candidate]
            view.teaches = [
                ref
                for ref, mi in zip(member.interests, held, strict=True)
                if mi.kind == "skill" and mi.interest_id in my_learning
            ]
            view.learns = [
                ref
                for ref, mi in zip(member.interests, held, strict=True)
                if mi.kind == "learn" and mi.interest_id in my_skills
            ]
        view.why = _why(view, viewer_region)
        view.icebreakers = _icebreakers(view)
        views.append(view)
    return views
