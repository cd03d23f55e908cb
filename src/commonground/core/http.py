from __future__ import annotations

from django.http import HttpRequest

from commonground.accounts.models import User


def member_of(request: HttpRequest) -> User:
    """The signed-in member of a request that login_required or API auth already checked."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionError("This view needs a signed-in member.")
    assert isinstance(user, User)
    return user
