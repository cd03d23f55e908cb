"""The members directory: AND-combined interests, narrowed by place and profession, ranked by
rarity-weighted interests shared with the viewer.

Only members whose interests the viewer may see can match an interest filter or gain rank
from shared interests; otherwise the order of results would leak hidden interests.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Exists, FloatField, OuterRef, QuerySet, Sum, Value, When

from commonground.core.errors import ValidationFailed
from commonground.core.pagination import Page
from commonground.interests.models import MemberInterest
from commonground.profiles.models import Profile
from commonground.profiles.selectors import (
    MemberView,
    Viewer,
    member_interests_for,
    member_view_build,
    q_group_visible,
    q_listed,
    total_members,
    viewer_interest_weights,
)

NEAR_CHOICES = {"city": "In my city", "region": "In my region", "country": "In my country"}
MAX_FILTER_INTERESTS = 5
_PLACE_LEVELS = ("country", "region", "city")


@dataclass(frozen=True)
class DirectoryFilter:
    interest_ids: tuple[int, ...] = ()
    near: str = ""
    profession: str = ""


def _base(
    *, viewer: Viewer, viewer_profile: Profile | None, flt: DirectoryFilter
) -> QuerySet[Profile]:
    members = Profile.objects.filter(q_listed(viewer=viewer))
    if viewer.user_id is not None:
        members = members.exclude(user_id=viewer.user_id)
    if flt.interest_ids:
        members = members.filter(q_group_visible(group="interests", viewer=viewer))
        for interest_id in flt.interest_ids:
            members = members.filter(
                Exists(
                    MemberInterest.objects.filter(
                        user_id=OuterRef("user_id"), interest_id=interest_id
                    )
                )
            )
    if flt.near:
        if flt.near not in NEAR_CHOICES:
            raise ValidationFailed("Choose city, region or country.", field="near")
        key = getattr(viewer_profile, f"{flt.near}_key", "") if viewer_profile else ""
        if not key:
            raise ValidationFailed(
                f"Add your {flt.near} to your profile to search near you.", field="near"
            )
        # A city is only the same city within the same region and country (Arlington, VA is
        # not Arlington, TX); compare every level of the viewer's place down to the one asked.
        scope = _PLACE_LEVELS[: _PLACE_LEVELS.index(flt.near) + 1]
        place = {f"{level}_key": getattr(viewer_profile, f"{level}_key") for level in scope}
        members = members.filter(q_group_visible(group="location", viewer=viewer)).filter(
            **{column: value for column, value in place.items() if value}
        )
    if flt.profession:
        members = members.filter(q_group_visible(group="work", viewer=viewer)).filter(
            profession_key__contains=flt.profession.casefold()
        )
    return members


def member_search(
    *,
    viewer: Viewer,
    viewer_profile: Profile | None,
    flt: DirectoryFilter,
    page: int = 1,
    size: int = 20,
) -> Page[MemberView]:
    """One page of the directory for this viewer."""
    if len(flt.interest_ids) > MAX_FILTER_INTERESTS:
        raise ValidationFailed(
            f"Combine at most {MAX_FILTER_INTERESTS} interests.", field="interests"
        )
    total = total_members()
    weights = viewer_interest_weights(user_id=viewer.user_id, total=total)
    members = _base(viewer=viewer, viewer_profile=viewer_profile, flt=flt)
    count = members.count()
    offset = (page - 1) * size
    ranked_ids: list[int] = []
    scored_count = 0
    if weights:
        rankable = members.filter(q_group_visible(group="interests", viewer=viewer))
        scored = (
            MemberInterest.objects.filter(
                interest_id__in=list(weights), user_id__in=rankable.values("user_id")
            )
            .values("user_id")
            .annotate(
                score=Sum(
                    Case(
                        *(When(interest_id=i, then=Value(w)) for i, w in weights.items()),
                        default=Value(0.0),
                        output_field=FloatField(),
                    )
                )
            )
            .order_by("-score", "user_id")
        )
        scored_count = scored.count()
        ranked_ids = [row["user_id"] for row in scored[offset : offset + size]]
    if len(ranked_ids) < size and offset + size > scored_count:
        rest = members
        if weights:
            rest = rest.exclude(
                Exists(
                    MemberInterest.objects.filter(
                        user_id=OuterRef("user_id"), interest_id__in=list(weights)
                    )
                )
                & q_group_visible(group="interests", viewer=viewer)
            )
        start = max(0, offset - scored_count)
        need = size - len(ranked_ids)
        ranked_ids += list(
            rest.order_by("user_id").values_list("user_id", flat=True)[start : start + need]
        )
    profiles = Profile.objects.select_related("user").in_bulk(ranked_ids, field_name="user_id")
    interests = member_interests_for(ranked_ids)
    items = [
        member_view_build(
            profile=profiles[uid], viewer=viewer, member_interests=interests[uid], weights=weights
        )
        for uid in ranked_ids
        if uid in profiles
    ]
    return Page(items=items, number=page, size=size, total=count)
