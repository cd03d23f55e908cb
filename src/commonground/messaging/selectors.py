from __future__ import annotations

from typing import Any


def message_unread_count(*, user: Any) -> int:
    """Placeholder until the messaging app lands."""
    return 0
