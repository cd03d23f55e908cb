"""Group reads. The one visibility rule for groups lives here; every channel uses it.

- public: listed and readable by everyone;
- private: listed and readable (name, description, interests, member count) by members of
  the community; the member list only by its own members;
- secret: only its active and invited members know it exists. To anyone else it is missing:
  the same 404, absent from every list, search and count.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from commonground.core.errors import ValidationFailed
from commonground.core.markdown import render_markdown
from commonground.core.pagination import Page
from commonground.groups.errors import GroupNotFound
from commonground.groups.models import (
    MAX_GROUP_INTERESTS,
    Group,
    GroupScope,
    GroupVisibility,
    Membership,
    MembershipState,
)
from commonground.interests.models import Interest
from commonground.profiles.directory import DirectoryFilter, member_search
from commonground.profiles.models import Profile
from commonground.profiles.selectors import Viewer, rarity_weight, total_members

# Discovery ranks at most this many candidate groups in Python; the rest follow by size.
RANK_WINDOW = 500
# A group whose place does not fit the viewer still shows, well below those that do.
PLACE_MISS_FACTOR = 0.25
_KNOWS_SECRET = (MembershipState.ACTIVE, MembershipState.INVITED)


def q_group_visible_to(viewer: Viewer, *, prefix: str = "") -> Q:
    """The rule as a filter, for lists, search and counts."""
    if not viewer.is_member:
        return Q(**{f"{prefix}visibility": GroupVisibility.PUBLIC})
    user_id: int = viewer.user_id  # type: ignore[assignment]
    knows = Membership.objects.filter(user_id=user_id, state__in=_KNOWS_SECRET).values("group_id")
    return Q(**{f"{prefix}visibility__in": [GroupVisibility.PUBLIC, GroupVisibility.PRIVATE]}) | Q(
        **{f"{prefix}pk__in": knows}
    )


def group_visible(*, group: Group, membership: Membership | None, viewer: Viewer) -> bool:
    """The same rule for one group, for the detail channel."""
    if group.visibility == GroupVisibility.PUBLIC:
        return True
    if group.visibility == GroupVisibility.PRIVATE:
        return viewer.is_member
    return membership is not None and membership.state in _KNOWS_SECRET


def membership_of(*, group: Group, user_id: int | None) -> Membership | None:
    if user_id is None:
        return None
    return Membership.objects.filter(group=group, user_id=user_id).first()


@dataclass(frozen=True)
class MemberRef:
    public_id: str
    display_name: str
    role: str
    state: str


@dataclass
class GroupView:
    """A group as one viewer may see it."""

    group: Group
    interests: list[Interest]
    membership: Membership | None
    score: float = 0.0
    shared: list[Interest] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.group.slug

    @property
    def description_html(self) -> str:
        return render_markdown(self.group.description)

    @property
    def role(self) -> str | None:
        return self.membership.role if self.membership and self.membership.is_active else None

    @property
    def state(self) -> str | None:
        return self.membership.state if self.membership else None

    @property
    def is_member(self) -> bool:
        return self.membership is not None and self.membership.is_active

    @property
    def is_organizer(self) -> bool:
        return self.membership is not None and self.membership.is_organizer

    @property
    def is_owner(self) -> bool:
        return self.membership is not None and self.membership.is_owner

    @property
    def can_see_members(self) -> bool:
        return self.is_member


def group_get(*, viewer: Viewer, slug: str) -> GroupView:
    """One group as this viewer may see it; GroupNotFound when hidden or missing alike."""
    group = Group.objects.filter(slug=slug).first()
    membership = membership_of(group=group, user_id=viewer.user_id) if group else None
    if group is None or not group_visible(group=group, membership=membership, viewer=viewer):
        raise GroupNotFound("No such group.")
    return GroupView(
        group=group, interests=list(group.interests.order_by("name")), membership=membership
    )


def group_member_list(*, viewer: Viewer, view: GroupView) -> list[MemberRef]:
    """Active members, owner and organizers first: only for the group's own members."""
    if not view.can_see_members:
        return []
    return _member_refs(view.group.memberships.filter(state=MembershipState.ACTIVE), viewer=viewer)


def group_pending_list(*, viewer: Viewer, view: GroupView) -> list[MemberRef]:
    """Requests waiting and invitations out: only for organizers."""
    if not view.is_organizer:
        return []
    return _member_refs(view.group.memberships.exclude(state=MembershipState.ACTIVE), viewer=viewer)


_ROLE_ORDER: dict[str, int] = {"owner": 0, "organizer": 1, "member": 2}


def _member_refs(rows: QuerySet[Membership], *, viewer: Viewer) -> list[MemberRef]:
    rows = rows.exclude(user_id__in=sorted(viewer.blocked)).select_related("user__profile")
    refs = []
    for row in rows:
        profile: Profile | None = getattr(row.user, "profile", None)
        name = (profile.display_name if profile else "") or "Member"
        refs.append(
            MemberRef(
                public_id=row.user.public_id, display_name=name, role=row.role, state=row.state
            )
        )
    return sorted(refs, key=lambda r: (_ROLE_ORDER.get(r.role, 3), r.display_name.casefold()))


def groups_visible_to(viewer: Viewer) -> QuerySet[Group]:
    return Group.objects.filter(q_group_visible_to(viewer))


@dataclass(frozen=True)
class Place:
    city: str = ""
    region: str = ""
    country: str = ""


def viewer_place(viewer: Viewer) -> Place:
    if viewer.user_id is None:
        return Place()
    row = (
        Profile.objects.filter(user_id=viewer.user_id)
        .values("city_key", "region_key", "country_key")
        .first()
    )
    if row is None:
        return Place()
    return Place(city=row["city_key"], region=row["region_key"], country=row["country_key"])


def place_fits(*, group: Group, place: Place) -> bool:
    """A virtual group fits anyone; others fit a member in the same place at their scope."""
    if group.scope == GroupScope.VIRTUAL:
        return True
    levels = {
        GroupScope.NATIONAL: ("country",),
        GroupScope.REGIONAL: ("country", "region"),
        GroupScope.LOCAL: ("country", "region", "city"),
    }[GroupScope(group.scope)]
    keys = [(getattr(group, f"{level}_key"), getattr(place, level)) for level in levels]
    return any(mine for mine, _ in keys) and all(mine == theirs for mine, theirs in keys if mine)


def _rank(*, viewer: Viewer, groups: QuerySet[Group], page: int, size: int) -> Page[GroupView]:
    """Rank by fit: the rarity-weighted share of the group's interests the viewer holds,
    scaled down when the group's place does not fit the viewer."""
    total = total_members()
    count = groups.count()
    candidates = list(
        groups.prefetch_related("interests").order_by("-member_count", "pk")[:RANK_WINDOW]
    )
    mine = (
        set(Interest.objects.filter(members__user_id=viewer.user_id).values_list("id", flat=True))
        if viewer.user_id is not None
        else set()
    )
    place = viewer_place(viewer)
    memberships = (
        {
            m.group_id: m
            for m in Membership.objects.filter(
                user_id=viewer.user_id, group_id__in=[g.pk for g in candidates]
            )
        }
        if viewer.user_id is not None
        else {}
    )
    views = []
    for group in candidates:
        interests = sorted(group.interests.all(), key=lambda i: i.name)
        weights = {i.pk: rarity_weight(i.member_count, total) for i in interests}
        whole = sum(weights.values()) or 1.0
        shared = [i for i in interests if i.pk in mine]
        fit = sum(weights[i.pk] for i in shared) / whole
        if not place_fits(group=group, place=place):
            fit *= PLACE_MISS_FACTOR
        views.append(
            GroupView(
                group=group,
                interests=interests,
                membership=memberships.get(group.pk),
                score=fit,
                shared=shared,
            )
        )
    views.sort(key=lambda v: (-v.score, -v.group.member_count, v.group.name.casefold()))
    start = (page - 1) * size
    return Page(items=views[start : start + size], number=page, size=size, total=count)


def group_list_for(*, viewer: Viewer, page: int = 1, size: int = 20) -> Page[GroupView]:
    """Every group this viewer may see, ranked by how well its interests and place fit."""
    return _rank(viewer=viewer, groups=groups_visible_to(viewer), page=page, size=size)


def group_search(
    *,
    viewer: Viewer,
    interest_ids: list[int],
    scope: str = "",
    page: int = 1,
    size: int = 20,
) -> Page[GroupView]:
    """Groups whose interests include ALL the searched ones, ranked like the list."""
    if len(interest_ids) > MAX_GROUP_INTERESTS:
        raise ValidationFailed(
            f"Combine at most {MAX_GROUP_INTERESTS} interests.", field="interests"
        )
    if scope and scope not in GroupScope.values:
        raise ValidationFailed("Choose local, regional, national or virtual.", field="scope")
    groups = groups_visible_to(viewer)
    through = Group.interests.through
    for interest_id in dict.fromkeys(interest_ids):
        groups = groups.filter(
            pk__in=through.objects.filter(interest_id=interest_id).values("group_id")
        )
    if scope:
        groups = groups.filter(scope=scope)
    return _rank(viewer=viewer, groups=groups, page=page, size=size)


_NEAR_FOR_REACH = {
    GroupScope.LOCAL: "city",
    GroupScope.REGIONAL: "region",
    GroupScope.NATIONAL: "country",
    GroupScope.VIRTUAL: "",
}


def group_start_reach(*, viewer: Viewer, interest_ids: list[int], scope: str = "") -> int:
    """How many listed members within the viewer's reach (the searched scope, else the
    viewer's own reach) share ALL these interests: the directory's own search, so member
    visibility holds exactly as there."""
    if viewer.user_id is None or not interest_ids:
        return 0
    profile = Profile.objects.filter(user_id=viewer.user_id).first()
    reach = scope or (profile.reach if profile else "")
    near = _NEAR_FOR_REACH.get(GroupScope(reach), "") if reach in GroupScope.values else ""
    flt = DirectoryFilter(interest_ids=tuple(dict.fromkeys(interest_ids)), near=near)
    try:
        return member_search(viewer=viewer, viewer_profile=profile, flt=flt, size=1).total
    except ValidationFailed:
        # The viewer has no place at that level: count the whole community instead.
        flt = DirectoryFilter(interest_ids=flt.interest_ids)
        return member_search(viewer=viewer, viewer_profile=profile, flt=flt, size=1).total
