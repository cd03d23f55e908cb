"""Routing: each new ask goes to the members of its audience most likely to help."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commonground.accounts.models import User
from commonground.asks.models import REASON_MAX_LENGTH, ROUTED_PER_ASK, Ask, AskRouting
from commonground.asks.selectors import ask_audience_ids
from commonground.interests.models import Interest, MemberInterest
from commonground.notifications.services import notify
from commonground.suggestions.routing import rank_helpers


def routing_reason(*, shared: list[int], skills: set[int], names: dict[int, str]) -> str:
    """In words, from the member's side: 'You know Sourdough baking (skill)'."""
    known = [names[i] for i in shared if i in skills and i in names]
    loved = [names[i] for i in shared if i not in skills and i in names]
    parts = []
    if known:
        parts.append(f"You know {_join(known)} (skill{'s' if len(known) > 1 else ''})")
    if loved:
        parts.append(f"{'and love' if known else 'You love'} {_join(loved)}")
    text = " ".join(parts) or "You share what this ask is about"
    return text[:REASON_MAX_LENGTH]


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def ask_route(*, ask_id: int) -> int:
    """Route an open ask to the ROUTED_PER_ASK members of its audience most likely to help,
    record why, and tell each of them once. Idempotent: the first run that finds helpers
    stores them; later runs (a retry, a duplicate job) only tell those not yet told.
    Returns how many were told by this run."""
    ask = Ask.objects.filter(pk=ask_id).select_related("author").first()
    # Offers are not routed: they wait in the offers tab, ranked for each reader by fit.
    if ask is None or ask.is_offer or not ask.is_open or not ask.author.is_active:
        return 0
    with transaction.atomic():
        if not AskRouting.objects.filter(ask=ask).exists():
            _store_routings(ask)
    return _notify_pending(ask)


def _store_routings(ask: Ask) -> None:
    interest_ids = list(ask.interests.values_list("pk", flat=True))
    ranked = rank_helpers(
        author_id=ask.author_id,
        interest_ids=interest_ids,
        candidate_ids=ask_audience_ids(ask=ask),
        k=ROUTED_PER_ASK,
    )
    if not ranked:
        return
    member_ids = [member for member, _, _ in ranked]
    shared_ids = {i for _, _, shared in ranked for i in shared}
    names = dict(Interest.objects.filter(pk__in=shared_ids).values_list("pk", "name"))
    skills: dict[int, set[int]] = {}
    for user_id, interest_id in MemberInterest.objects.filter(
        user_id__in=member_ids, interest_id__in=shared_ids, kind="skill"
    ).values_list("user_id", "interest_id"):
        skills.setdefault(user_id, set()).add(interest_id)
    AskRouting.objects.bulk_create(
        [
            AskRouting(
                ask=ask,
                member_id=member,
                score=score,
                reason=routing_reason(shared=shared, skills=skills.get(member, set()), names=names),
            )
            for member, score, shared in ranked
        ],
        ignore_conflicts=True,
    )


def _notify_pending(ask: Ask) -> int:
    url = reverse("asks:detail", kwargs={"public_id": ask.public_id})
    told = 0
    pending = AskRouting.objects.filter(ask=ask, notified_at__isnull=True).order_by("-score")
    for routing in pending.select_related("member"):
        member: User = routing.member
        with transaction.atomic():
            # Claim the row first: of two concurrent runs, one tells the member.
            claimed = AskRouting.objects.filter(pk=routing.pk, notified_at__isnull=True).update(
                notified_at=timezone.now()
            )
            if claimed and member.is_active:
                notify(
                    recipient=member,
                    kind="asks.routed",
                    text=f"An ask you could help with: {ask.title} ({routing.reason})",
                    url=url,
                    actor=ask.author,
                    thread_key=f"ask:{ask.pk}",
                )
                told += 1
    return told
