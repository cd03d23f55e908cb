"""Block and mute.

A block is absolute: it ends any connection and open request between the two members, and
from then on neither finds the other anywhere (Viewer.blocked). A mute is quiet: the muted
member stays connected, but leaves the muter's directory and suggestions.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from commonground.accounts.models import User
from commonground.network.errors import BlockNotFound, MuteNotFound, SelfRelation
from commonground.network.models import Block, Connection, ConnectionRequest, Mute
from commonground.network.services.introductions import introductions_end_between
from commonground.network.services.members import (
    active_user_for,
    is_public_id,
    lock_pair,
    member_for,
)
from commonground.profiles.errors import MemberNotFound
from commonground.profiles.selectors import Viewer

_OPEN = [ConnectionRequest.State.PENDING, ConnectionRequest.State.DECLINED]


def member_block(*, user: User, member_public_id: str) -> Block:
    """Block a member (idempotent). Any member who can reach you can be blocked, even one
    who has not finished their profile; one who blocked you already is not found."""
    if member_public_id == user.public_id:
        raise SelfRelation("You can't block yourself.", field="member")
    other = active_user_for(public_id=member_public_id)
    if other is None:
        raise MemberNotFound("No such member.", field="member")
    with transaction.atomic():
        lock_pair(user_id=user.pk, other_id=other.pk)
        existing = Block.objects.filter(blocker=user, blocked=other).first()
        if existing is not None:
            return existing
        if Block.objects.filter(blocker=other, blocked=user).exists():
            raise MemberNotFound("No such member.", field="member")
        try:
            with transaction.atomic():
                block = Block.objects.create(blocker=user, blocked=other)
        except IntegrityError:
            block = Block.objects.get(blocker=user, blocked=other)
        low, high = sorted((user.pk, other.pk))
        Connection.objects.filter(user_low_id=low, user_high_id=high).delete()
        ConnectionRequest.objects.filter(
            user_low_id=low, user_high_id=high, state__in=_OPEN
        ).delete()
        introductions_end_between(user_id=user.pk, other_id=other.pk)
    return block


def member_unblock(*, user: User, member_public_id: str) -> None:
    deleted = 0
    if is_public_id(member_public_id):
        deleted, _ = Block.objects.filter(
            blocker=user, blocked__public_id=member_public_id
        ).delete()
    if not deleted:
        raise BlockNotFound("You have not blocked this member.", field="member")


def member_mute(*, user: User, member_public_id: str) -> Mute:
    """Mute a member you can see (idempotent)."""
    if member_public_id == user.public_id:
        raise SelfRelation("You can't mute yourself.", field="member")
    other = member_for(viewer=Viewer.for_user(user), public_id=member_public_id)
    try:
        with transaction.atomic():
            return Mute.objects.create(muter=user, muted=other)
    except IntegrityError:
        return Mute.objects.get(muter=user, muted=other)


def member_unmute(*, user: User, member_public_id: str) -> None:
    deleted = 0
    if is_public_id(member_public_id):
        deleted, _ = Mute.objects.filter(muter=user, muted__public_id=member_public_id).delete()
    if not deleted:
        raise MuteNotFound("You have not muted this member.", field="member")
