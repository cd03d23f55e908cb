"""Network writes: connections, requests, blocks and mutes, introductions, follow-ups and
shared articles. One module per sub-domain."""

from commonground.network.services.articles import article_share
from commonground.network.services.connections import connection_create, connection_remove
from commonground.network.services.followups import (
    contact_mark_contacted,
    contact_note_create,
    contact_note_delete,
    contact_note_update,
    followup_reminders_send,
    keep_in_touch_clear,
    keep_in_touch_set,
    keep_in_touch_snooze,
    thank_you_dismiss,
    thank_you_done,
    thank_you_reminder_create,
)
from commonground.network.services.introductions import (
    introduction_accept,
    introduction_create,
    introduction_decline,
    introduction_expire_overdue,
)
from commonground.network.services.requests import (
    connection_request_accept,
    connection_request_create,
    connection_request_decline,
    connection_request_withdraw,
)
from commonground.network.services.safety import (
    member_block,
    member_mute,
    member_unblock,
    member_unmute,
)

__all__ = [
    "article_share",
    "connection_create",
    "connection_remove",
    "connection_request_accept",
    "connection_request_create",
    "connection_request_decline",
    "connection_request_withdraw",
    "contact_mark_contacted",
    "contact_note_create",
    "contact_note_delete",
    "contact_note_update",
    "followup_reminders_send",
    "introduction_accept",
    "introduction_create",
    "introduction_decline",
    "introduction_expire_overdue",
    "keep_in_touch_clear",
    "keep_in_touch_set",
    "keep_in_touch_snooze",
    "member_block",
    "member_mute",
    "member_unblock",
    "member_unmute",
    "thank_you_dismiss",
    "thank_you_done",
    "thank_you_reminder_create",
]
