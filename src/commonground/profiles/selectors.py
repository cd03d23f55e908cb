"""Profile reads. The one visibility rule for member fields lives here; every channel uses it."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Q

from commonground.accounts.models import User
from commonground.core.visibility import Visibility, levels_visible_to
from commonground.interests.models import MemberInterest
from commonground.interests.weights import INTENSITY_WEIGHT, engine_idf, inverse_norm
from commonground.network.graph import relations_of
from commonground.profiles.errors import MemberNotFound
from commonground.profiles.models import VISIBILITY_GROUPS, OpenTo, Profile


@dataclass(frozen=True)
class Viewer:
    """Who is looking, computed once per request."""

    user_id: int | None
    connections: frozenset[int] = frozenset()
    # Members who blocked the viewer or whom the viewer blocked: absent from everything the
    # viewer reads (detail, lists, search, suggestions), as if they did not exist.
    blocked: frozenset[int] = frozenset()
    # Members the viewer muted: still connected and reachable, but left out of their lists.
    muted: frozenset[int] = frozenset()

    @property
    def is_member(self) -> bool:
        return self.user_id is not None

    @classmethod
    def for_user(cls, user: User | AnonymousUser | None) -> Viewer:
        if user is None or not user.is_authenticated or not user.is_active:
            return cls(user_id=None)
        relations = relations_of(user_id=user.pk)
        return cls(
            user_id=user.pk,
            connections=relations.connections,
            blocked=relations.blocked,
            muted=relations.muted,
        )

    @property
    def unlisted(self) -> frozenset[int]:
        """Members left out of this viewer's lists: blocked either way, or muted."""
        return self.blocked | self.muted

    def levels_for(self, owner_id: int) -> set[str]:
        return levels_visible_to(
            is_owner=self.user_id == owner_id,
            is_member=self.is_member,
            is_connection=owner_id in self.connections,
        )


def group_visible(*, profile: Profile, group: str, viewer: Viewer) -> bool:
    """The rule for one field group of one profile, for the detail channel."""
    return profile.visibility_of(group) in viewer.levels_for(profile.user_id)


def q_group_visible(*, group: str, viewer: Viewer, prefix: str = "") -> Q:
    """The same rule as a filter, for list, search and ranking channels."""
    column = f"{prefix}{group}_visibility"
    if not viewer.is_member:
        return Q(**{column: Visibility.EVERYONE})
    q = Q(**{f"{column}__in": [Visibility.EVERYONE, Visibility.MEMBERS]})
    q |= Q(**{column: Visibility.CONNECTIONS, f"{prefix}user_id__in": list(viewer.connections)})
    q |= Q(**{f"{prefix}user_id": viewer.user_id})
    return q


def q_listed(*, viewer: Viewer, prefix: str = "") -> Q:
    """Profiles that appear in this viewer's lists: active, onboarded members (never the
    anonymous), less those blocked either way or muted by the viewer."""
    q = Q(
        **{
            f"{prefix}user__is_active": True,
            f"{prefix}onboarding_step__gte": Profile.OnboardingStep.DONE,
        }
    )
    if viewer.unlisted:
        q &= ~Q(**{f"{prefix}user_id__in": sorted(viewer.unlisted)})
    return q


@dataclass(frozen=True)
class InterestRef:
    name: str
    slug: str
    kind: str
    weight: float = 0.0
    member_kind: str = "passion"
    intensity: int = 2


@dataclass
class MemberView:
    """A member as one viewer may see them: hidden fields are None."""

    public_id: str
    display_name: str
    headline: str | None = None
    bio: str | None = None
    profession: str | None = None
    industry: str | None = None
    organization: str | None = None
    city: str | None = None
    region: str | None = None
    country: str | None = None
    reach: str | None = None
    open_to: list[str] | None = None
    interests: list[InterestRef] | None = None
    shared: list[InterestRef] = field(default_factory=list)
    score: float = 0.0
    is_connection: bool = False
    is_self: bool = False

    @property
    def location(self) -> str:
        return ", ".join(part for part in (self.city, self.region, self.country) if part)

    @property
    def open_to_labels(self) -> list[str]:
        labels = dict(OpenTo.choices)
        return [str(labels[item]) for item in self.open_to or [] if item in labels]


def rarity_weight(member_count: int, total_members: int) -> float:
    """A shared niche counts far more than a shared 'music': smoothed inverse frequency."""
    return math.log1p(max(total_members, 1) / max(member_count, 1))


def member_view_build(
    *,
    profile: Profile,
    viewer: Viewer,
    member_interests: list[MemberInterest] | None,
    weights: dict[int, float] | None = None,
    coefficients: dict[int, float] | None = None,
) -> MemberView:
    """What ``viewer`` may see of ``profile``. With ``coefficients`` (from
    :func:`viewer_weights`) the score is the engine's interest cosine; without, the sum of the
    shared interests' rarity."""
    visible = {
        g for g in VISIBILITY_GROUPS if group_visible(profile=profile, group=g, viewer=viewer)
    }
    view = MemberView(
        public_id=profile.user.public_id,
        display_name=profile.display_name or "Member",
        is_connection=profile.user_id in viewer.connections,
        is_self=profile.user_id == viewer.user_id,
    )
    for group in visible:
        for name in VISIBILITY_GROUPS[group]:
            if name != "interests":
                setattr(view, name, getattr(profile, name))
    if "location" in visible:
        view.reach = profile.reach
    if "interests" in visible and member_interests is not None:
        weights = weights or {}
        view.interests = [
            InterestRef(
                name=mi.interest.name,
                slug=mi.interest.slug,
                kind=mi.interest.kind,
                weight=weights.get(mi.interest_id, 0.0),
                member_kind=mi.kind,
                intensity=mi.intensity,
            )
            for mi in member_interests
        ]
        view.shared = sorted(
            (
                ref
                for ref, mi in zip(view.interests, member_interests, strict=True)
                if mi.interest_id in weights
            ),
            key=lambda ref: (-ref.weight, ref.name),
        )
        view.score = sum(ref.weight for ref in view.shared)
        if coefficients:
            view.score = sum(
                coefficients[mi.interest_id] * mi.engine_weight
                for mi in member_interests
                if mi.interest_id in coefficients
            )
    return view


TOTAL_CACHE_FROM = 5_000


def total_members() -> int:
    """Listed members, the N of every rarity weight.

    Counting 10^5 profiles costs ~30 ms on SQLite, so large communities reuse the count for a
    minute; a member more or less there changes no weight measurably. Small ones count exactly.
    """
    cached: int | None = cache.get("total-members")
    if cached is not None:
        return cached
    total = Profile.objects.filter(q_listed(viewer=Viewer(user_id=None))).count()
    if total >= TOTAL_CACHE_FROM:
        cache.set("total-members", total, 60)
    return total


def viewer_weights(*, user_id: int | None, total: int) -> tuple[dict[int, float], dict[int, float]]:
    """The viewer's interests, in one query: their rarity weights (to show), and their side of
    the engine's interest cosine, ``w_qi * idf_i^2 / ||q||`` (to rank and score): a member's
    score is the sum over shared interests of that times the member's intensity weight and
    stored inverse norm (:mod:`commonground.interests.weights`)."""
    rows = _viewer_interest_rows(user_id)
    scale = inverse_norm(((intensity, count) for _, intensity, count in rows), total)
    rarity = {interest_id: rarity_weight(count, total) for interest_id, _, count in rows}
    coefficients = {
        interest_id: INTENSITY_WEIGHT.get(intensity, 1.0) * engine_idf(count, total) ** 2 * scale
        for interest_id, intensity, count in rows
    }
    return rarity, coefficients


def viewer_interest_weights(*, user_id: int | None, total: int) -> dict[int, float]:
    """The viewer's own interests, each with its rarity weight."""
    rows = _viewer_interest_rows(user_id)
    return {interest_id: rarity_weight(count, total) for interest_id, _, count in rows}


def _viewer_interest_rows(user_id: int | None) -> list[tuple[int, int, int]]:
    """(interest, intensity, members holding it) for each of the viewer's interests."""
    if user_id is None:
        return []
    return list(
        MemberInterest.objects.filter(user_id=user_id).values_list(
            "interest_id", "intensity", "interest__member_count"
        )
    )


def member_interests_for(user_ids: list[int]) -> dict[int, list[MemberInterest]]:
    grouped: dict[int, list[MemberInterest]] = {uid: [] for uid in user_ids}
    rows = (
        MemberInterest.objects.filter(user_id__in=user_ids)
        .select_related("interest")
        .order_by("-intensity", "interest__name")
    )
    for row in rows:
        grouped[row.user_id].append(row)
    return grouped


def member_get(*, viewer: Viewer, public_id: str) -> MemberView:
    """One member's profile as this viewer may see it; 404 when they may not see it at all."""
    profile = (
        Profile.objects.select_related("user")
        .filter(user__public_id=public_id, user__is_active=True)
        .first()
    )
    if (
        profile is None
        or (not profile.is_onboarded and profile.user_id != viewer.user_id)
        or profile.user_id in viewer.blocked
    ):
        raise MemberNotFound("No such member.")
    weights: dict[int, float] = {}
    coefficients: dict[int, float] = {}
    if viewer.user_id is not None and viewer.user_id != profile.user_id:
        weights, coefficients = viewer_weights(user_id=viewer.user_id, total=total_members())
    interests = member_interests_for([profile.user_id])[profile.user_id]
    return member_view_build(
        profile=profile,
        viewer=viewer,
        member_interests=interests,
        weights=weights,
        coefficients=coefficients,
    )


def profile_for_user(*, user: User) -> Profile:
    """The member's own profile. Accounts made outside sign-up (`createsuperuser`, the admin)
    have none yet; they get an empty one, and onboarding starts."""
    profile, _ = Profile.objects.select_related("user").get_or_create(user=user)
    return profile
