"""Introductions: a member introduces two to four of their connections, with a reason.

Double opt-in: each participant accepts before names are shared and a conversation opens.
Declining is quiet: nobody learns who said no, only that the introduction did not go ahead.
Uniqueness is the database's job: one pending introduction of the same people by the same
introducer (a partial unique constraint), so concurrent identical ones insert one row.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from commonground.accounts.models import User
from commonground.core.errors import Conflict
from commonground.core.validation import clean_text
from commonground.network.errors import (
    IntroductionInvalid,
    IntroductionNotFound,
    IntroductionNotPending,
    IntroductionsLimited,
    NotYourConnection,
    SelfRelation,
)
from commonground.network.models import (
    INTRODUCTION_MAX_PEOPLE,
    INTRODUCTION_MIN_PEOPLE,
    REASON_MAX_LENGTH,
    Block,
    Introduction,
    IntroductionParticipant,
)
from commonground.network.services.members import (
    is_public_id,
    lock_member,
    member_for,
    name_of,
)
from commonground.notifications.services import notify
from commonground.profiles.selectors import Viewer

State = Introduction.State
Answer = IntroductionParticipant.Answer
INTRODUCTIONS_PER_DAY = 20
EXPIRES_AFTER = timedelta(days=14)


def introductions_per_day() -> int:
    return int(getattr(settings, "INTRODUCTIONS_PER_DAY", INTRODUCTIONS_PER_DAY))


def participant_key(user_ids: Sequence[int]) -> str:
    return ",".join(str(pk) for pk in sorted(user_ids))


def _url(introduction: Introduction) -> str:
    return reverse("network:introduction", args=[introduction.public_id])


def blocked_among(user_ids: Sequence[int]) -> bool:
    """Whether any of these members blocked another of them."""
    ids = list(user_ids)
    return Block.objects.filter(blocker_id__in=ids, blocked_id__in=ids).exists()


def _people(*, introducer: User, member_public_ids: Sequence[str]) -> list[User]:
    ids = list(member_public_ids)
    if introducer.public_id in ids:
        raise SelfRelation("Introduce other people, not yourself.", field="members")
    if len(set(ids)) != len(ids):
        raise IntroductionInvalid("Choose each person once.", field="members")
    if not INTRODUCTION_MIN_PEOPLE <= len(ids) <= INTRODUCTION_MAX_PEOPLE:
        raise IntroductionInvalid(
            f"Introduce two people to each other, or a small group of three or four "
            f"(you chose {len(ids)}).",
            field="members",
        )
    viewer = Viewer.for_user(introducer)
    people = [member_for(viewer=viewer, public_id=public_id) for public_id in ids]
    if any(person.pk not in viewer.connections for person in people):
        raise NotYourConnection("You can only introduce your own connections.", field="members")
    if blocked_among([person.pk for person in people]):
        # Which one blocked whom is theirs to know, not the introducer's.
        raise IntroductionInvalid(
            "These members can't be introduced to each other.", field="members"
        )
    return people


def introduction_create(
    *, introducer: User, member_public_ids: Sequence[str], reason: str
) -> Introduction:
    """Introduce 2-4 connections to each other. Repeating it answers the same introduction
    while it is pending; each person is asked, without the others' names."""
    reason = clean_text(reason, field="reason", max_length=REASON_MAX_LENGTH, required=True)
    with transaction.atomic():
        # Makes the daily count and the insert atomic, and queues identical introductions.
        lock_member(user_id=introducer.pk)
        # Connections and blocks are read under that lock (a block or a removal takes it
        # too), not before it: no introduction to someone who blocked the introducer meanwhile.
        people = _people(introducer=introducer, member_public_ids=member_public_ids)
        key = participant_key([person.pk for person in people])
        now = timezone.now()
        Introduction.objects.filter(
            introducer=introducer, participant_key=key, state=State.PENDING, expires_at__lte=now
        ).update(state=State.EXPIRED, decided_at=now)
        for _attempt in range(3):
            existing = Introduction.objects.filter(
                introducer=introducer, participant_key=key, state=State.PENDING
            ).first()
            if existing is not None:
                return existing
            _check_rate(introducer, now=now)
            try:
                with transaction.atomic():
                    introduction = Introduction.objects.create(
                        introducer=introducer,
                        reason=reason,
                        participant_key=key,
                        created_at=now,
                        expires_at=now + EXPIRES_AFTER,
                    )
                    IntroductionParticipant.objects.bulk_create(
                        IntroductionParticipant(introduction=introduction, user=person)
                        for person in people
                    )
            except IntegrityError:
                continue  # a concurrent identical introduction won; answer with it
            _notify_proposed(introduction, introducer=introducer, people=people)
            return introduction
    raise Conflict("Something else changed this introduction at the same time. Try again.")


def _check_rate(introducer: User, *, now: datetime) -> None:
    limit = introductions_per_day()
    made = Introduction.objects.filter(
        introducer=introducer, created_at__gte=now - timedelta(days=1)
    ).count()
    if made >= limit:
        raise IntroductionsLimited(
            f"You can make at most {limit} introductions a day. Try again tomorrow."
        )


def _notify_proposed(introduction: Introduction, *, introducer: User, people: list[User]) -> None:
    others = len(people) - 1
    whom = "someone" if others == 1 else f"{others} people"
    for person in people:
        notify(
            recipient=person,
            kind="network.introduction",
            text=f"{name_of(introducer)} would like to introduce you to {whom}. "
            "Have a look and say yes or no.",
            url=_url(introduction),
            actor=introducer,
            thread_key=f"introduction:{introduction.public_id}",
        )


Locked = tuple[Introduction, list[IntroductionParticipant]]


def _locked_for(*, user: User, public_id: str) -> Locked:
    """An introduction this member is asked to join, locked, or 404 for anyone else."""
    introduction_pk = None
    if is_public_id(public_id):
        introduction_pk = (
            IntroductionParticipant.objects.filter(introduction__public_id=public_id, user=user)
            .values_list("introduction_id", flat=True)
            .first()
        )
    if introduction_pk is None:
        raise IntroductionNotFound("No such introduction.")
    introduction = (
        Introduction.objects.select_for_update(of=("self",))
        .select_related("introducer__profile")
        .get(pk=introduction_pk)
    )
    if (
        not introduction.introducer.is_active
        or Block.objects.filter(
            Q(blocker_id=user.pk, blocked_id=introduction.introducer_id)
            | Q(blocker_id=introduction.introducer_id, blocked_id=user.pk)
        ).exists()
    ):
        raise IntroductionNotFound("No such introduction.")
    participants = list(
        IntroductionParticipant.objects.filter(introduction=introduction)
        .select_related("user__profile")
        .order_by("pk")
    )
    return introduction, participants


def _expire_overdue(public_id: str) -> None:
    now = timezone.now()
    Introduction.objects.filter(
        public_id=public_id, state=State.PENDING, expires_at__lte=now
    ).update(state=State.EXPIRED, decided_at=now)


def _not_pending(introduction: Introduction) -> IntroductionNotPending:
    if introduction.state == State.EXPIRED:
        return IntroductionNotPending("This introduction expired before everyone answered.")
    return IntroductionNotPending("This introduction did not go ahead.")


def introduction_accept(*, user: User, introduction_public_id: str) -> Introduction:
    """Say yes. When the last person does, names are shared and a conversation opens.
    Accepting twice is harmless."""
    if is_public_id(introduction_public_id):
        _expire_overdue(introduction_public_id)
    with transaction.atomic():
        introduction, participants = _locked_for(user=user, public_id=introduction_public_id)
        mine = next(p for p in participants if p.user_id == user.pk)
        if mine.answer == Answer.ACCEPTED and introduction.state != State.DECLINED:
            return introduction
        if introduction.state != State.PENDING:
            raise _not_pending(introduction)
        everyone = [introduction.introducer_id, *(p.user_id for p in participants)]
        ended = blocked_among(everyone) or not all(p.user.is_active for p in participants)
        if ended:
            # Someone blocked another, or left, since: the introduction quietly ends.
            _decide(introduction, State.DECLINED)
        else:
            _accept(introduction, participants, mine=mine)
    if ended:
        raise _not_pending(introduction)
    return introduction


def _accept(
    introduction: Introduction,
    participants: list[IntroductionParticipant],
    *,
    mine: IntroductionParticipant,
) -> None:
    IntroductionParticipant.objects.filter(pk=mine.pk).update(
        answer=Answer.ACCEPTED, answered_at=timezone.now()
    )
    mine.answer = Answer.ACCEPTED
    if all(p.answer == Answer.ACCEPTED for p in participants):
        _decide(introduction, State.ACCEPTED)
        # robust: the introduction stands even if no conversation can open (logged).
        transaction.on_commit(lambda: _open_conversation(introduction.pk), robust=True)
        _notify_accepted(introduction, participants)


def introduction_decline(*, user: User, introduction_public_id: str) -> Introduction:
    """Say no, quietly: the others and the introducer learn only that it did not go ahead."""
    if is_public_id(introduction_public_id):
        _expire_overdue(introduction_public_id)
    with transaction.atomic():
        introduction, participants = _locked_for(user=user, public_id=introduction_public_id)
        mine = next(p for p in participants if p.user_id == user.pk)
        if mine.answer == Answer.DECLINED:
            return introduction
        if introduction.state != State.PENDING:
            raise _not_pending(introduction)
        IntroductionParticipant.objects.filter(pk=mine.pk).update(
            answer=Answer.DECLINED, answered_at=timezone.now()
        )
        _decide(introduction, State.DECLINED)
        notify(
            recipient=introduction.introducer,
            kind="network.introduction_outcome",
            text="An introduction you made did not go ahead. Thanks for thinking of them.",
            url=_url(introduction),
            thread_key=f"introduction:{introduction.public_id}",
        )
    return introduction


def _decide(introduction: Introduction, state: str) -> None:
    introduction.state = state
    introduction.decided_at = timezone.now()
    introduction.save(update_fields=["state", "decided_at"])


def _notify_accepted(
    introduction: Introduction, participants: list[IntroductionParticipant]
) -> None:
    introducer_name = name_of(introduction.introducer)
    for participant in participants:
        others = [name_of(p.user) for p in participants if p.pk != participant.pk]
        notify(
            recipient=participant.user,
            kind="network.introduction",
            text=f"Everyone said yes: meet {_and(others)}, introduced by {introducer_name}.",
            url=_url(introduction),
            actor=introduction.introducer,
            thread_key=f"introduction:{introduction.public_id}",
        )
    notify(
        recipient=introduction.introducer,
        kind="network.introduction_outcome",
        text=f"Your introduction went ahead: {_and([name_of(p.user) for p in participants])} "
        f"{'both' if len(participants) == 2 else 'all'} said yes.",
        url=_url(introduction),
        thread_key=f"introduction:{introduction.public_id}",
    )


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _open_conversation(introduction_pk: int) -> None:
    introduction = (
        Introduction.objects.select_related("introducer__profile")
        .filter(pk=introduction_pk, state=State.ACCEPTED)
        .first()
    )
    if introduction is None or introduction.conversation_id:
        return
    members = [
        p.user
        for p in IntroductionParticipant.objects.filter(introduction=introduction)
        .select_related("user")
        .order_by("pk")
    ]
    # Imported here: messaging reads the network (connections, blocks) to decide who may talk.
    from commonground.messaging.services import conversation_open

    try:
        opened = conversation_open(
            members=members,
            origin="introduction",
            subject=f"Introduced by {name_of(introduction.introducer)}",
        )
    except NotImplementedError:
        return  # messaging not available yet: the introduction stands without a thread
    if opened:
        Introduction.objects.filter(pk=introduction.pk).update(conversation_id=opened[:32])


def introduction_expire_overdue(*, now: datetime | None = None) -> int:
    """Pending introductions past their 14 days become expired. Idempotent."""
    moment = now or timezone.now()
    return Introduction.objects.filter(state=State.PENDING, expires_at__lte=moment).update(
        state=State.EXPIRED, decided_at=moment
    )


def introductions_end_between(*, user_id: int, other_id: int) -> int:
    """A block ends every pending introduction the two take part in (as introducer or
    introduced): block is absolute. Called inside the block's transaction."""
    pending = Introduction.objects.filter(state=State.PENDING)
    with_user = Q(introducer_id=user_id) | Q(participants__user_id=user_id)
    with_other = Q(introducer_id=other_id) | Q(participants__user_id=other_id)
    ids = set(pending.filter(with_user).values_list("pk", flat=True)) & set(
        pending.filter(with_other).values_list("pk", flat=True)
    )
    if not ids:
        return 0
    return Introduction.objects.filter(pk__in=ids, state=State.PENDING).update(
        state=State.DECLINED, decided_at=timezone.now()
    )
