"""A member's messaging settings: who may start a conversation with them."""

from __future__ import annotations

from commonground.accounts.models import User
from commonground.messaging.errors import MessageInvalid
from commonground.messaging.models import AllowFrom, MessagingSettings


def messaging_settings_update(*, user: User, allow_from: str) -> MessagingSettings:
    if allow_from not in AllowFrom.values:
        raise MessageInvalid(
            "Choose connections, connections_and_groups or nobody_new.", field="allow_from"
        )
    row, _ = MessagingSettings.objects.update_or_create(
        user=user, defaults={"allow_from": allow_from}
    )
    return row
