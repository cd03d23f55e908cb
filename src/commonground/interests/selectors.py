"""Interest reads: lookups, autocomplete, interest pages and related interests."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, QuerySet

from commonground.interests import text as interest_text
from commonground.interests.errors import InterestNotFound
from commonground.interests.models import Interest, InterestStatus, MemberInterest


@dataclass(frozen=True)
class InterestSuggestion:
    interest: Interest
    matched_text: str | None
    how: str


def interest_get(*, slug: str) -> Interest:
    interest = Interest.objects.filter(slug=slug).first()
    if interest is None:
        raise InterestNotFound("No such interest.")
    return interest


def interest_get_many(*, slugs: list[str]) -> list[Interest]:
    found = {i.slug: i for i in Interest.objects.filter(slug__in=slugs)}
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        raise InterestNotFound(f"No interest “{missing[0]}”.", field="interests")
    return [found[slug] for slug in slugs]


def interest_autocomplete(*, text: str, limit: int = 8) -> list[InterestSuggestion]:
    matches = interest_text.suggest(text, limit=limit)
    by_id = Interest.objects.in_bulk([m.interest_id for m in matches])
    return [
        InterestSuggestion(interest=by_id[m.interest_id], matched_text=m.matched_text, how=m.how)
        for m in matches
        if m.interest_id in by_id
    ]


def interest_list_popular(*, limit: int = 24, kind: str | None = None) -> QuerySet[Interest]:
    interests = Interest.objects.exclude(status=InterestStatus.MERGED)
    if kind:
        interests = interests.filter(kind=kind)
    return interests.order_by("-member_count", "name")[:limit]


def interest_list_pending() -> QuerySet[Interest]:
    return Interest.objects.filter(status=InterestStatus.PENDING).order_by("-member_count")


def interest_related(*, interest: Interest, limit: int = 10) -> list[tuple[Interest, int]]:
    """Interests its members also hold, by co-occurrence weighted toward the specific.

    Cached per interest and member count: co-occurrence over a popular interest is a scan.
    """
    key = f"interest-related:{interest.pk}:{interest.member_count}:{limit}"
    cached: list[tuple[int, int]] | None = cache.get(key)
    if cached is None:
        holders = MemberInterest.objects.filter(interest=interest).values("user_id")
        rows = (
            MemberInterest.objects.filter(user_id__in=holders)
            .exclude(interest=interest)
            .values("interest_id", "interest__member_count")
            .annotate(together=Count("id"))
            .filter(together__gte=2)
            .order_by("-together")[:200]
        )
        # Lift-like ranking: together / sqrt(popularity) keeps "Music" from topping every list.
        ranked = sorted(
            rows, key=lambda r: -r["together"] / max(r["interest__member_count"], 1) ** 0.5
        )[:limit]
        cached = [(r["interest_id"], r["together"]) for r in ranked]
        cache.set(key, cached, 3600)
    by_id = Interest.objects.in_bulk([interest_id for interest_id, _ in cached])
    return [(by_id[i], n) for i, n in cached if i in by_id]


def member_interest_list(*, user_id: int) -> QuerySet[MemberInterest]:
    return (
        MemberInterest.objects.filter(user_id=user_id)
        .select_related("interest")
        .order_by("-intensity", "interest__name")
    )
