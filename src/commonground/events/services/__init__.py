"""Event writes, one module per sub-domain: events and series, RSVPs and the waitlist,
speed networking, calendar subscriptions."""

from commonground.events.services.changes import event_cancel, event_update
from commonground.events.services.events import (
    EventInput,
    event_create,
    event_series_extend,
)
from commonground.events.services.feeds import (
    calendar_feed_get_or_create,
    calendar_feed_regenerate,
    calendar_feed_revoke,
)
from commonground.events.services.followups import event_thank_you_reminders_create
from commonground.events.services.rsvps import (
    event_check_in,
    event_rsvp,
    event_rsvp_approve,
    event_rsvp_cancel,
    event_rsvp_decline,
    promote_waitlist,
)
from commonground.events.services.speed import speed_networking_generate

__all__ = [
    "EventInput",
    "calendar_feed_get_or_create",
    "calendar_feed_regenerate",
    "calendar_feed_revoke",
    "event_cancel",
    "event_check_in",
    "event_create",
    "event_rsvp",
    "event_rsvp_approve",
    "event_rsvp_cancel",
    "event_rsvp_decline",
    "event_series_extend",
    "event_thank_you_reminders_create",
    "event_update",
    "promote_waitlist",
    "speed_networking_generate",
]
