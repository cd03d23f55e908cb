"""Reads of the connection graph, used by every other app's visibility rule."""

from __future__ import annotations

from django.db.models import Q

from commonground.network.models import Connection


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
