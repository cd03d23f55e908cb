"""Changing what a member hears about, in the settings or from an email's unsubscribe link."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction

from commonground.accounts.models import User
from commonground.notifications.errors import PreferenceInvalid
from commonground.notifications.kinds import KINDS
from commonground.notifications.models import ALL_KINDS, EmailFrequency, NotificationPreference
from commonground.notifications.preferences import choices_for
from commonground.notifications.selectors import UnsubscribeSubject, unsubscribe_subject


@dataclass(frozen=True)
class PreferenceChange:
    in_app: bool | None = None
    email: str | None = None


def _upsert(*, user: User, rows: dict[str, tuple[bool, str]]) -> None:
    NotificationPreference.objects.bulk_create(
        [
            NotificationPreference(user=user, kind=kind, in_app=in_app, email=email)
            for kind, (in_app, email) in rows.items()
        ],
        update_conflicts=True,
        unique_fields=["user", "kind"],
        update_fields=["in_app", "email", "updated_at"],
    )


def notification_preferences_set(
    *,
    user: User,
    changes: Mapping[str, PreferenceChange],
    email_paused: bool | None = None,
) -> None:
    """Apply the changes given (a kind left out keeps its choice); all or nothing."""
    for kind, change in changes.items():
        if kind not in KINDS:
            raise PreferenceInvalid(f"Unknown notification kind {kind[:64]!r}.", field="kind")
        if change.email is not None and change.email not in EmailFrequency.values:
            raise PreferenceInvalid(
                "Email must be one of: " + ", ".join(EmailFrequency.values) + ".", field="email"
            )
    with transaction.atomic():
        current = choices_for(user_id=user.pk, kinds=list(changes))
        rows = {}
        for kind, change in changes.items():
            now = current.by_kind[kind]
            rows[kind] = (
                now.in_app if change.in_app is None else change.in_app,
                now.email.value if change.email is None else change.email,
            )
        if email_paused is not None:
            rows[ALL_KINDS] = (
                True,
                EmailFrequency.OFF.value if email_paused else EmailFrequency.IMMEDIATE.value,
            )
        if rows:
            _upsert(user=user, rows=rows)


def notification_unsubscribe(*, token: str) -> UnsubscribeSubject:
    """Stop the email an unsubscribe link names (one kind, or all); idempotent, no login."""
    subject = unsubscribe_subject(token=token)
    if subject.kind == ALL_KINDS:
        notification_preferences_set(user=subject.user, changes={}, email_paused=True)
    else:
        notification_preferences_set(
            user=subject.user,
            changes={subject.kind: PreferenceChange(email=EmailFrequency.OFF.value)},
        )
    return subject
