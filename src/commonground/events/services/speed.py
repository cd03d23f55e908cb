"""Speed networking: plan rounds of tables for the checked-in attendees."""

from __future__ import annotations

import numpy as np
from django.db import transaction

from commonground.accounts.models import User
from commonground.events.errors import EventInvalid, PlanImpossible
from commonground.events.models import Rsvp, RsvpState, SpeedNetworkingPlan
from commonground.events.pairing import PairingError, plan_rounds
from commonground.events.services.common import as_organizer
from commonground.interests.models import MemberInterest
from commonground.profiles.selectors import rarity_weight, total_members

MAX_ROUNDS = 20


def shared_interest_weights(user_ids: list[int]) -> np.ndarray:
    """An (n × n) matrix: for each two members, the rarity weights of the interests they share
    summed (a shared niche counts far more than a shared "music")."""
    index = {uid: i for i, uid in enumerate(user_ids)}
    rows = MemberInterest.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "interest_id", "interest__member_count"
    )
    total = total_members()
    columns: dict[int, int] = {}
    weights: list[float] = []
    entries: list[tuple[int, int]] = []
    for user_id, interest_id, count in rows:
        if interest_id not in columns:
            columns[interest_id] = len(columns)
            weights.append(rarity_weight(count, total))
        entries.append((index[user_id], columns[interest_id]))
    holds = np.zeros((len(user_ids), len(columns)))
    for i, j in entries:
        holds[i, j] = 1.0
    matrix = (holds * np.asarray(weights)) @ holds.T
    np.fill_diagonal(matrix, 0.0)
    return matrix


def checked_in_ids(event_id: int) -> list[int]:
    return list(
        Rsvp.objects.filter(event_id=event_id, state=RsvpState.GOING, checked_in_at__isnull=False)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def speed_networking_generate(
    *, user: User, public_id: str, rounds: int, seed: int | None = None
) -> SpeedNetworkingPlan:
    """Plan (or plan again, with the next seed) R rounds for the checked-in attendees: tables
    of two, one of three when the count is odd, nobody meeting twice, as much rare shared
    interest as the heuristic finds. Organizers only."""
    view = as_organizer(user=user, public_id=public_id)
    if not 1 <= rounds <= MAX_ROUNDS:
        raise EventInvalid(
            f"Plan 1 to {MAX_ROUNDS} rounds (you asked for {rounds}).", field="rounds"
        )
    if seed is not None and not 0 <= seed < 2**31:
        raise EventInvalid("The seed is a number from 0 to 2147483647.", field="seed")
    ids = checked_in_ids(view.event.pk)
    existing = SpeedNetworkingPlan.objects.filter(event=view.event).first()
    if seed is None:
        seed = existing.seed + 1 if existing is not None else 0
    try:
        plan = plan_rounds(shared_interest_weights(ids), rounds, seed=seed)
    except PairingError as error:
        raise PlanImpossible(f"{error} Check in more people first.", field="rounds") from None
    tables = [[[ids[i] for i in table] for table in tables] for tables in plan.rounds]
    with transaction.atomic():
        saved, _ = SpeedNetworkingPlan.objects.update_or_create(
            event=view.event,
            defaults={
                "rounds": tables,
                "seed": seed,
                "total_weight": round(plan.total_weight, 4),
                "created_by": user,
            },
        )
    return saved
