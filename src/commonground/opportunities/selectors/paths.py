"""Paths through the connection graph: who a member can reach, and through whom."""

from __future__ import annotations

from django.db.models import Q

from commonground.network.models import Connection
from commonground.profiles.models import Profile

# Bounds on a breadth-first walk, so a hub with thousands of connections stays cheap.
MAX_FRONTIER = 5_000
MAX_REACHED = 20_000


def reachable_from(*, user_id: int, hops: int, blocked: frozenset[int]) -> dict[int, int | None]:
    """Members within `hops` connections of user_id, each with the member before it on one
    shortest path (None for direct connections). Blocked members, inactive members and
    unfinished profiles are never part of a path."""
    parents: dict[int, int | None] = {}
    frontier = [user_id]
    seen = {user_id, *blocked}
    for depth in range(hops):
        if not frontier:
            break
        rows = Connection.objects.filter(
            Q(user_low_id__in=frontier) | Q(user_high_id__in=frontier)
        ).values_list("user_low_id", "user_high_id")
        found: dict[int, int] = {}
        inside = set(frontier)
        for low, high in rows[: MAX_FRONTIER * 50]:
            for here, there in ((low, high), (high, low)):
                if here in inside and there not in seen and there not in found:
                    found[there] = here
        listed = set(
            Profile.objects.filter(
                user_id__in=sorted(found),
                user__is_active=True,
                onboarding_step__gte=Profile.OnboardingStep.DONE,
            ).values_list("user_id", flat=True)
        )
        next_frontier = []
        for there, here in sorted(found.items()):
            if there not in listed:
                continue
            parents[there] = None if depth == 0 else here
            seen.add(there)
            next_frontier.append(there)
        frontier = next_frontier[:MAX_FRONTIER]
        if len(parents) >= MAX_REACHED:
            break
    return parents
