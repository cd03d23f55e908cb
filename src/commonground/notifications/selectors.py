from __future__ import annotations

from typing import Any


def notification_unread_count(*, user: Any) -> int:
    """Placeholder until the notifications app lands."""
    return 0
