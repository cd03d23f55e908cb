"""Low-level reads of the member graph: connections, blocks and mutes.

Every other app's visibility rule builds on these, so they import nothing above the models.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import CharField, Q, Value

from commonground.network.models import Block, Connection, Mute


@dataclass(frozen=True)
class Relations:
    connections: frozenset[int]
    blocked: frozenset[int]  # blocked by this member, or blocking them: either way
    muted: frozenset[int]


def are_connected(*, user_id: int, other_id: int) -> bool:
    if user_id == other_id:
        return False
    low, high = sorted((user_id, other_id))
    return Connection.objects.filter(user_low_id=low, user_high_id=high).exists()


def connection_ids(*, user_id: int) -> set[int]:
    rows = Connection.objects.filter(Q(user_low_id=user_id) | Q(user_high_id=user_id)).values_list(
        "user_low_id", "user_high_id"
    )
    return {high if low == user_id else low for low, high in rows}


def _tagged(kind: str) -> Value:
    return Value(kind, output_field=CharField())


def relations_of(*, user_id: int) -> Relations:
    """A member's connections, blocks (either way) and mutes.

    One UNION ALL query: every signed-in request computes this once, so it costs one round
    trip, not three.
    """
    connections = (
        Connection.objects.filter(Q(user_low_id=user_id) | Q(user_high_id=user_id))
        .annotate(kind=_tagged("c"))
        .values_list("kind", "user_low_id", "user_high_id")
    )
    blocks = (
        Block.objects.filter(Q(blocker_id=user_id) | Q(blocked_id=user_id))
        .annotate(kind=_tagged("b"))
        .values_list("kind", "blocker_id", "blocked_id")
    )
    mutes = (
        Mute.objects.filter(muter_id=user_id)
        .annotate(kind=_tagged("m"))
        .values_list("kind", "muter_id", "muted_id")
    )
    found: dict[str, set[int]] = {"c": set(), "b": set(), "m": set()}
    for kind, a, b in connections.union(blocks, mutes, all=True):
        found[kind].add(b if a == user_id else a)
    return Relations(
        connections=frozenset(found["c"]),
        blocked=frozenset(found["b"]),
        muted=frozenset(found["m"]),
    )


def blocked_between(*, user_id: int, other_id: int) -> bool:
    return Block.objects.filter(
        Q(blocker_id=user_id, blocked_id=other_id) | Q(blocker_id=other_id, blocked_id=user_id)
    ).exists()


def mutual_connection_ids(*, user_ids: frozenset[int] | set[int], other_id: int) -> set[int]:
    """Which of these members (someone's connections) are connected to other_id."""
    if not user_ids:
        return set()
    mine = list(user_ids)
    rows = Connection.objects.filter(
        Q(user_low_id=other_id, user_high_id__in=mine)
        | Q(user_high_id=other_id, user_low_id__in=mine)
    ).values_list("user_low_id", "user_high_id")
    return {high if low == other_id else low for low, high in rows}
