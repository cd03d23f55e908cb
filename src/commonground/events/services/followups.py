"""After an event: a thank-you reminder for each person one met at a speed-networking table."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from commonground.accounts.models import User
from commonground.events.models import Event, EventStatus, Rsvp, RsvpState, SpeedNetworkingPlan
from commonground.network.models import Block
from commonground.network.services import thank_you_reminder_create

# Events that ended this long ago or less are swept; the sweep runs far more often than that,
# so a missed run is caught up, and the reminders' unique key makes reruns harmless.
LOOKBACK = timedelta(days=3)
# Thanks are best sent the evening or morning after.
DUE_AFTER_END = timedelta(hours=2)


def _met_pairs(plan: SpeedNetworkingPlan, present: set[int]) -> set[tuple[int, int]]:
    pairs: set[tuple[int, int]] = set()
    for tables in plan.rounds:
        for table in tables:
            seated = [uid for uid in table if uid in present]
            pairs.update((a, b) for a in seated for b in seated if a != b)
    return pairs


def event_thank_you_reminders_create(*, now: datetime | None = None) -> int:
    """Remind each checked-in attendee to thank the people they met at their tables, for
    events that ended recently. Idempotent; answers how many reminders are new or existing."""
    moment = now or timezone.now()
    plans = SpeedNetworkingPlan.objects.filter(
        event__ends_at__lte=moment,
        event__ends_at__gt=moment - LOOKBACK,
    ).exclude(event__status=EventStatus.CANCELLED)
    made = 0
    for plan in plans.select_related("event"):
        event: Event = plan.event
        present = set(
            Rsvp.objects.filter(
                event=event, state=RsvpState.GOING, checked_in_at__isnull=False
            ).values_list("user_id", flat=True)
        )
        pairs = _met_pairs(plan, present)
        if not pairs:
            continue
        ids = {uid for pair in pairs for uid in pair}
        blocked = {
            (a, b)
            for a, b in Block.objects.filter(
                Q(blocker_id__in=ids) & Q(blocked_id__in=ids)
            ).values_list("blocker_id", "blocked_id")
        }
        users = User.objects.filter(pk__in=ids, is_active=True).in_bulk()
        for owner_id, contact_id in sorted(pairs):
            if (owner_id, contact_id) in blocked or (contact_id, owner_id) in blocked:
                continue
            if owner_id not in users or contact_id not in users:
                continue
            thank_you_reminder_create(
                owner=users[owner_id],
                contact=users[contact_id],
                reason=f"met at {event.title}",
                due_at=event.ends_at + DUE_AFTER_END,
            )
            made += 1
    return made
