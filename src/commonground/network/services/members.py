"""Finding the other member of a network write, by public id, as the actor may see them."""

from __future__ import annotations

from commonground.accounts.models import User
from commonground.core.validation import is_public_id
from commonground.profiles.errors import MemberNotFound
from commonground.profiles.models import Profile
from commonground.profiles.selectors import Viewer


def active_user_for(*, public_id: str) -> User | None:
    if not is_public_id(public_id):
        return None
    return User.objects.filter(public_id=public_id, is_active=True).first()


def member_for(*, viewer: Viewer, public_id: str) -> User:
    """A member the viewer can find (active, onboarded, no block either way), or 404: the
    same answer whether they do not exist or blocked the viewer."""
    user = None
    if is_public_id(public_id):
        user = User.objects.filter(
            public_id=public_id,
            is_active=True,
            profile__onboarding_step__gte=Profile.OnboardingStep.DONE,
        ).first()
    if user is None or user.pk in viewer.blocked:
        raise MemberNotFound("No such member.", field="member")
    return user


def lock_pair(*, user_id: int, other_id: int) -> None:
    """Serialize every write about one pair of members (and each member's request count).

    PostgreSQL: row locks on both members, always in id order so two writers never wait on
    each other in a cycle; NO KEY UPDATE, so inserts that merely reference a locked member
    (foreign keys take KEY SHARE) are not blocked. Without it, a block racing an accept could
    commit after the accept's connection and leave both. SQLite serializes writers already
    (IMMEDIATE transactions) and ignores this.
    """
    list(
        User.objects.select_for_update(no_key=True)
        .filter(pk__in=[user_id, other_id])
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def lock_member(*, user_id: int) -> None:
    """Serialize one member's writes that count before inserting (daily limits, uniqueness
    checks that answer with the existing row). See lock_pair."""
    lock_pair(user_id=user_id, other_id=user_id)


def name_of(user: User) -> str:
    profile = getattr(user, "profile", None)
    return (profile.display_name if profile is not None else "") or "A member"
