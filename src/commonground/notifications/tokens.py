"""Signed unsubscribe tokens: who (public id) and what (a kind, or "all"), no login needed.

Salted so no other signed value of the site can pass for one; timestamped so an old email's
link stops working after MAX_AGE (the page then says so and links to the settings).
"""

from __future__ import annotations

from datetime import timedelta

from django.core import signing

from commonground.accounts.models import User
from commonground.notifications.errors import UnsubscribeLinkExpired, UnsubscribeLinkInvalid
from commonground.notifications.kinds import KINDS
from commonground.notifications.models import ALL_KINDS

SALT = "commonground.notifications.unsubscribe"
MAX_AGE = timedelta(days=180)
TOKEN_MAX_LENGTH = 300


def unsubscribe_token(*, user: User, kind: str) -> str:
    if kind != ALL_KINDS and kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}.")
    return signing.dumps([user.public_id, kind], salt=SALT, compress=True)


def unsubscribe_token_read(token: str) -> tuple[str, str]:
    """(user public id, kind) from a token; a clear error when tampered with or too old."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        raise UnsubscribeLinkInvalid("This unsubscribe link is not valid.", field="token")
    try:
        value = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise UnsubscribeLinkExpired("This unsubscribe link has expired.", field="token") from None
    except (signing.BadSignature, ValueError, UnicodeError):
        raise UnsubscribeLinkInvalid("This unsubscribe link is not valid.", field="token") from None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(part, str) for part in value)
        or (value[1] != ALL_KINDS and value[1] not in KINDS)
    ):
        raise UnsubscribeLinkInvalid("This unsubscribe link is not valid.", field="token")
    return value[0], value[1]
