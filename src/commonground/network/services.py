"""Connection writes. The request/accept flow builds on this (see the relationships issue)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from commonground.core.errors import ValidationFailed
from commonground.network.models import Connection


def connection_create(*, user_id: int, other_id: int) -> Connection:
    """Record a mutual connection; idempotent under concurrency (the pair is unique)."""
    if user_id == other_id:
        raise ValidationFailed("A member cannot connect to themself.", field="member")
    low, high = sorted((user_id, other_id))
    try:
        with transaction.atomic():
            return Connection.objects.create(user_low_id=low, user_high_id=high)
    except IntegrityError:
        return Connection.objects.get(user_low_id=low, user_high_id=high)
