"""Account writes: API tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from commonground.accounts.errors import TokenLimitReached, TokenNotFound
from commonground.accounts.models import ApiToken, User
from commonground.core.validation import clean_text

MAX_ACTIVE_TOKENS = 20
TOKEN_PREFIX = "cg_"  # noqa: S105 - a public marker, not a secret


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str


def api_token_create(*, user: User, name: str) -> IssuedToken:
    """Issue a token; the plain key is returned once and never stored."""
    name = clean_text(name, field="name", max_length=80, required=True)
    with transaction.atomic():
        active = ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()
        if active >= MAX_ACTIVE_TOKENS:
            raise TokenLimitReached(
                f"You have {MAX_ACTIVE_TOKENS} active tokens; revoke one first.", field="name"
            )
        key = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = ApiToken.objects.create(
            user=user, name=name, prefix=key[:10], key_hash=hash_token(key)
        )
    return IssuedToken(token=token, key=key)


def api_token_revoke(*, user: User, token_id: int) -> None:
    updated = ApiToken.objects.filter(id=token_id, user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not updated:
        raise TokenNotFound("No such token.")
