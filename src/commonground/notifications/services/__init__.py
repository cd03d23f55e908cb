"""Notifications services: notify() for every app, reading, preferences and digests."""

from commonground.notifications.services.delivery import notify
from commonground.notifications.services.digests import DigestSummary, notification_digest_send
from commonground.notifications.services.preferences import (
    PreferenceChange,
    notification_preferences_set,
    notification_unsubscribe,
)
from commonground.notifications.services.reading import (
    notification_mark_all_read,
    notification_mark_read,
)

__all__ = [
    "DigestSummary",
    "PreferenceChange",
    "notification_digest_send",
    "notification_mark_all_read",
    "notification_mark_read",
    "notification_preferences_set",
    "notification_unsubscribe",
    "notify",
]
