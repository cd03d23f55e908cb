"""Matching: "Opportunities for you" for a member, and "People who fit" for a poster.

Fit = rarity-weighted overlap of the opportunity's skills and interests with the member's
(a skill the member lists as a skill counts most), plus place (same city, region or country,
or remote) and what the member is open to. Every score comes with its reasons in words.
The engine (commonground_matching) is not used here: only the suggestions app imports it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from commonground.core.pagination import Page
from commonground.groups.models import Membership, MembershipState
from commonground.interests.models import Interest, MemberInterest, MemberInterestKind
from commonground.network.graph import connection_ids
from commonground.opportunities.errors import NotPoster
from commonground.opportunities.models import Audience, Opportunity, OpportunityKind
from commonground.opportunities.selectors.opportunities import (
    OpportunityView,
    _with_related,
    opportunities_visible_to,
    opportunity_view_build,
)
from commonground.opportunities.selectors.paths import reachable_from
from commonground.opportunities.selectors.signals import signal_kinds_visible_to
from commonground.opportunities.selectors.visibility import q_opportunity_open
from commonground.profiles.models import Profile
from commonground.profiles.selectors import Viewer, q_group_visible, q_listed, rarity_weight
from commonground.profiles.selectors import total_members as count_members

# "For you" ranks at most this many candidates in Python; older ones follow unranked.
RANK_WINDOW = 500
SKILL_BOOST = 1.5
LEARN_FACTOR = 0.5
PLACE_POINTS = {"city": 1.0, "region": 0.6, "country": 0.3}
REMOTE_POINTS = 0.5
OPEN_TO_POINTS = 1.0
# Profile.open_to goals that say a member is open to each kind of opportunity.
OPEN_TO_FOR_KIND = {
    OpportunityKind.JOB: "job_seeking",
    OpportunityKind.FREELANCE: "freelance",
    OpportunityKind.COLLABORATION: "collaborations",
}
KIND_WORDS = {
    OpportunityKind.JOB: "a job",
    OpportunityKind.FREELANCE: "freelance work",
    OpportunityKind.COLLABORATION: "collaborations",
    OpportunityKind.VOLUNTEER: "volunteering",
}
PEOPLE_LIMIT = 20


def _names(items: list[Interest]) -> str:
    names = [i.name for i in items]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


@dataclass(frozen=True)
class Holder:
    """What one member brings: interests by kind, place, and what they are open to."""

    interests: dict[int, str]
    city: str = ""
    region: str = ""
    country: str = ""
    open_to: frozenset[str] = frozenset()


def fit_score(
    opportunity: Opportunity,
    skills: list[Interest],
    interests: list[Interest],
    holder: Holder,
    *,
    total: int,
    you: bool = True,
) -> tuple[float, list[str], set[int]]:
    score = 0.0
    reasons: list[str] = []
    matched: set[int] = set()
    as_skill = [s for s in skills if holder.interests.get(s.pk) == MemberInterestKind.SKILL]
    other = [s for s in skills if s.pk in holder.interests and s not in as_skill]
    for skill in skills:
        kind = holder.interests.get(skill.pk)
        if kind is None:
            continue
        factor = {MemberInterestKind.SKILL: SKILL_BOOST, MemberInterestKind.LEARN: LEARN_FACTOR}
        score += rarity_weight(skill.member_count, total) * factor.get(kind, 1.0)  # type: ignore[call-overload]
        matched.add(skill.pk)
    who = "you list" if you else "they list"
    if as_skill:
        reasons.append(f"Needs {_names(as_skill)}, which {who} as skills")
    if other:
        reasons.append(f"Needs {_names(other)}, which {who}")
    shared = [i for i in interests if i.pk in holder.interests]
    for interest in shared:
        score += rarity_weight(interest.member_count, total)
        matched.add(interest.pk)
    if shared:
        reasons.append(f"About {_names(shared)}")
    if opportunity.remote:
        score += REMOTE_POINTS
        reasons.append("Remote")
    else:
        level = _place_level(opportunity, holder)
        if level:
            score += PLACE_POINTS[level]
            reasons.append(f"In {'your' if you else 'their'} {level}")
    if opportunity.kind in holder.open_to:
        score += OPEN_TO_POINTS
        words = KIND_WORDS[OpportunityKind(opportunity.kind)]
        reasons.append(f"{'You are' if you else 'They are'} open to {words}")
    return score, reasons, matched


def _place_level(opportunity: Opportunity, holder: Holder) -> str:
    if not opportunity.country_key or opportunity.country_key != holder.country:
        return ""
    if opportunity.region_key and opportunity.region_key == holder.region:
        if opportunity.city_key and opportunity.city_key == holder.city:
            return "city"
        return "region"
    return "country"


def _open_to_kinds(goals: list[str]) -> set[str]:
    return {kind for kind, goal in OPEN_TO_FOR_KIND.items() if goal in goals}


def _holder_for_self(user_id: int) -> Holder:
    interests = dict(
        MemberInterest.objects.filter(user_id=user_id).values_list("interest_id", "kind")
    )
    profile = Profile.objects.filter(user_id=user_id).first()
    kinds = signal_kinds_visible_to(owner_ids=[user_id], viewer=Viewer(user_id=user_id))
    open_to = set(kinds.get(user_id, set())) | _open_to_kinds(
        list(profile.open_to) if profile else []
    )
    return Holder(
        interests=interests,
        city=profile.city_key if profile else "",
        region=profile.region_key if profile else "",
        country=profile.country_key if profile else "",
        open_to=frozenset(open_to),
    )


def opportunity_list_for_you(
    *, viewer: Viewer, page: int = 1, size: int = 20
) -> Page[OpportunityView]:
    """Open opportunities this viewer may see (not their own), best fit first, each with
    its reasons."""
    if viewer.user_id is None:
        return Page(items=[], number=page, size=size, total=0)
    rows = (
        opportunities_visible_to(viewer)
        .filter(q_opportunity_open())
        .exclude(poster_id=viewer.user_id)
    )
    total_rows = rows.count()
    candidates = list(_with_related(rows).order_by("-created_at", "-pk")[:RANK_WINDOW])
    holder = _holder_for_self(viewer.user_id)
    total = count_members()
    views = []
    for row in candidates:
        view = opportunity_view_build(row, viewer=viewer)
        view.score, view.reasons, view.matched = fit_score(
            row, view.skills, view.interests, holder, total=total
        )
        views.append(view)
    views.sort(key=lambda v: (-v.score, -v.opportunity.created_at.timestamp(), v.opportunity.pk))
    start = (page - 1) * size
    return Page(items=views[start : start + size], number=page, size=size, total=total_rows)


@dataclass
class PersonFit:
    """A member who fits an opportunity, as its poster may see them."""

    public_id: str
    display_name: str
    headline: str
    score: float
    reasons: list[str]
    path: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return " · ".join(self.reasons)

    @property
    def hops(self) -> int:
        return len(self.path) + 1


def audience_member_ids(opportunity: Opportunity) -> set[int] | None:
    """Who the audience names, before blocks: a pre-filter for ranking (None: everyone).

    Not a second visibility rule: whoever is then told about the opportunity is checked
    against the rule itself."""
    audience = opportunity.audience
    if audience == Audience.EVERYONE:
        return None
    if audience == Audience.NAMED:
        return set(opportunity.audience_members.values_list("pk", flat=True))
    if audience == Audience.GROUPS:
        return set(
            Membership.objects.filter(
                group__in=opportunity.audience_groups.all(), state=MembershipState.ACTIVE
            ).values_list("user_id", flat=True)
        )
    first = connection_ids(user_id=opportunity.poster_id)
    if audience == Audience.CONNECTIONS:
        return first
    return set(reachable_from(user_id=opportunity.poster_id, hops=2, blocked=frozenset()))


def fitting_member_ids(opportunity: Opportunity, *, limit: int) -> list[tuple[int, float]]:
    """Members who hold any of the opportunity's skills or interests, best fit first, within
    the audience's pre-filter, with their interests listed for members."""
    wanted = list(opportunity.skills.values_list("pk", flat=True)) + list(
        opportunity.interests.values_list("pk", flat=True)
    )
    if not wanted:
        return []
    allowed = audience_member_ids(opportunity)
    rows = MemberInterest.objects.filter(interest_id__in=wanted).exclude(
        user_id=opportunity.poster_id
    )
    if allowed is not None:
        rows = rows.filter(user_id__in=sorted(allowed))
    rows = rows.filter(
        user__profile__in=Profile.objects.filter(q_listed(viewer=Viewer(user_id=None)))
    )
    total = count_members()
    weights = {
        i.pk: rarity_weight(i.member_count, total) for i in Interest.objects.filter(pk__in=wanted)
    }
    scores: dict[int, float] = {}
    for user_id, interest_id, kind in rows.values_list("user_id", "interest_id", "kind")[:20_000]:
        factor = SKILL_BOOST if kind == MemberInterestKind.SKILL else 1.0
        scores[user_id] = scores.get(user_id, 0.0) + weights.get(interest_id, 0.0) * factor
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return ranked[:limit]


def people_who_fit(*, viewer: Viewer, view: OpportunityView) -> list[PersonFit]:
    """For the poster only: members in the audience who fit and whom the poster can reach
    through their connections (up to 3 hops), with the path. Members who hide their
    interests from the poster, and blocked pairs, never appear."""
    if not view.is_poster or viewer.user_id is None:
        raise NotPoster("Only the poster sees who fits.")
    opportunity = view.opportunity
    parents = reachable_from(user_id=viewer.user_id, hops=3, blocked=viewer.blocked)
    allowed = audience_member_ids(opportunity)
    wanted = [i.pk for i in view.skills + view.interests]
    reach = set(parents)
    if allowed is not None:
        reach &= allowed
    if not wanted or not reach:
        return []
    profiles = list(
        Profile.objects.filter(
            q_listed(viewer=viewer), q_group_visible(group="interests", viewer=viewer)
        )
        .filter(user_id__in=sorted(reach))
        .filter(user_id__in=MemberInterest.objects.filter(interest_id__in=wanted).values("user_id"))
        .select_related("user")[:500]
    )
    ids = [p.user_id for p in profiles]
    held: dict[int, dict[int, str]] = {uid: {} for uid in ids}
    for uid, interest_id, kind in MemberInterest.objects.filter(
        user_id__in=ids, interest_id__in=wanted
    ).values_list("user_id", "interest_id", "kind"):
        held[uid][interest_id] = kind
    signals = signal_kinds_visible_to(owner_ids=ids, viewer=viewer)
    goals_visible = {
        p.user_id
        for p in Profile.objects.filter(
            q_group_visible(group="open_to", viewer=viewer), user_id__in=ids
        ).only("user_id")
    }
    location_visible = set(
        Profile.objects.filter(
            q_group_visible(group="location", viewer=viewer), user_id__in=ids
        ).values_list("user_id", flat=True)
    )
    total = count_members()
    fits = []
    for profile in profiles:
        uid = profile.user_id
        open_to = set(signals.get(uid, set()))
        if uid in goals_visible:
            open_to |= _open_to_kinds(list(profile.open_to))
        place = (
            (profile.city_key, profile.region_key, profile.country_key)
            if uid in location_visible
            else ("", "", "")
        )
        holder = Holder(
            interests=held[uid],
            city=place[0],
            region=place[1],
            country=place[2],
            open_to=frozenset(open_to),
        )
        score, reasons, _ = fit_score(
            opportunity, view.skills, view.interests, holder, total=total, you=False
        )
        fits.append((uid, profile, score, reasons))
    fits.sort(key=lambda f: (-f[2], _hops(parents, f[0]), f[1].display_name.casefold()))
    chosen = fits[:PEOPLE_LIMIT]
    names = _display_names({n for f in chosen for n in _path_ids(parents, f[0])})
    return [
        PersonFit(
            public_id=profile.user.public_id,
            display_name=profile.display_name or "Member",
            headline=profile.headline
            if profile.headline_visibility in viewer.levels_for(uid)
            else "",
            score=score,
            reasons=reasons,
            path=[names.get(n, "Member") for n in _path_ids(parents, uid)],
        )
        for uid, profile, score, reasons in chosen
    ]


def _path_ids(parents: dict[int, int | None], user_id: int) -> list[int]:
    """The members between the poster and user_id (exclusive), nearest the poster first."""
    path = []
    node = parents.get(user_id)
    while node is not None:
        path.append(node)
        node = parents.get(node)
    return list(reversed(path))


def _hops(parents: dict[int, int | None], user_id: int) -> int:
    return len(_path_ids(parents, user_id))


def _display_names(user_ids: set[int]) -> dict[int, str]:
    return {
        uid: name or "Member"
        for uid, name in Profile.objects.filter(user_id__in=sorted(user_ids)).values_list(
            "user_id", "display_name"
        )
    }
