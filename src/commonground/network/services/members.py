"""Finding the other member of a network write, by public id, as the actor may see them."""

from __future__ import annotations

import re

from commonground.accounts.models import User
from commonground.profiles.errors import MemberNotFound
from commonground.profiles.models import Profile
from commonground.profiles.selectors import Viewer

# Public ids are secrets.token_urlsafe; anything else is no member and never reaches the DB.
_PUBLIC_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")


def is_public_id(value: str) -> bool:
    return bool(_PUBLIC_ID.fullmatch(value or ""))


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
