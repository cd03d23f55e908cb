from typing import Any

from django.conf import settings
from django.http import HttpRequest

from commonground.messaging.selectors import message_unread_count
from commonground.notifications.selectors import notification_unread_count


def site(request: HttpRequest) -> dict[str, Any]:
    return {"SITE_NAME": settings.SITE_NAME}


def nav_counts(request: HttpRequest) -> dict[str, Any]:
    """Unread badges in the header, computed only when a template reads them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": lambda: notification_unread_count(user=user),
        "unread_messages": lambda: message_unread_count(user=user),
    }
