"""Connection writes."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from commonground.accounts.models import User
from commonground.core.errors import ValidationFailed
from commonground.network.errors import ConnectionNotFound
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


def connection_remove(*, user: User, member_public_id: str) -> None:
    """End a connection. Either member may; the other is not told."""
    other_id = User.objects.filter(public_id=member_public_id).values_list("pk", flat=True).first()
    if other_id is None or other_id == user.pk:
        raise ConnectionNotFound("You are not connected to this member.", field="member")
    low, high = sorted((user.pk, other_id))
    deleted, _ = Connection.objects.filter(user_low_id=low, user_high_id=high).delete()
    if not deleted:
        raise ConnectionNotFound("You are not connected to this member.", field="member")
