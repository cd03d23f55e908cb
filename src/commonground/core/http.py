from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from commonground.accounts.models import User


def member_of(request: HttpRequest) -> User:
    """The signed-in member of a request that login_required or API auth already checked."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionError("This view needs a signed-in member.")
    assert isinstance(user, User)
    return user


def next_path_or(request: HttpRequest, fallback: str) -> str:
    """The `next` local path to go back to; never a view name (redirect() would try to resolve
    one) nor another site. Otherwise the fallback."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
