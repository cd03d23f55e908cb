"""The warm-up path: gentle steps from observing to meeting, for members who want them.

Six steps, each a little more personal than the last. A step is done when the member has
done it anywhere in the product, whatever the order; the product suggests the first step
not yet done. All six facts come from one query.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef
from django.urls import reverse

from commonground.accounts.models import User
from commonground.events.models import EventMode, Rsvp, RsvpState
from commonground.groups.models import GroupScope, Membership, MembershipState, Reaction
from commonground.messaging.models import ConversationKind, Message
from commonground.network.models import Introduction, IntroductionParticipant

# Fewer interests than this and matching has too little to go on.
ENOUGH_INTERESTS = 3


@dataclass(frozen=True)
class WarmupStep:
    key: str
    title: str
    why: str
    action: str
    url: str
    done: bool


@dataclass(frozen=True)
class WarmupPath:
    steps: list[WarmupStep]

    @property
    def next_step(self) -> WarmupStep | None:
        return next((step for step in self.steps if not step.done), None)

    @property
    def done_count(self) -> int:
        return sum(step.done for step in self.steps)

    @property
    def complete(self) -> bool:
        return self.next_step is None


def _facts(user_id: int) -> dict[str, bool | int]:
    mine = OuterRef("pk")
    small_groups = (
        IntroductionParticipant.objects.filter(
            user_id=mine, introduction__state=Introduction.State.ACCEPTED
        )
        .annotate(size=Count("introduction__participants"))
        .filter(size__gte=3)
    )
    one_to_one_sent = Message.objects.filter(
        sender_id=mine, conversation__kind=ConversationKind.DIRECT
    )
    return (
        User.objects.filter(pk=user_id)
        .annotate(
            interest_count=Count("member_interests", distinct=True),
            reacted=Exists(Reaction.objects.filter(user_id=mine)),
            virtual_group=Exists(
                Membership.objects.filter(
                    user_id=mine, state=MembershipState.ACTIVE, group__scope=GroupScope.VIRTUAL
                )
            ),
            small_group=Exists(small_groups),
            in_person=Exists(
                Rsvp.objects.filter(
                    user_id=mine,
                    state=RsvpState.GOING,
                    event__mode__in=[EventMode.IN_PERSON, EventMode.HYBRID],
                )
            ),
            one_to_one=Exists(one_to_one_sent),
        )
        .values(
            "interest_count",
            "reacted",
            "virtual_group",
            "small_group",
            "in_person",
            "one_to_one",
        )
        .get()
    )


def warmup_path(*, user: User) -> WarmupPath:
    """The member's six steps, with what is done."""
    facts = _facts(user.pk)
    steps = [
        WarmupStep(
            key="interests",
            title="Follow a few interests",
            why="Three or more let us find the people who share your rarest ones.",
            action="Add interests",
            url=reverse("profiles:edit"),
            done=int(facts["interest_count"]) >= ENOUGH_INTERESTS,
        ),
        WarmupStep(
            key="react",
            title="React to a post",
            why="A thumbs-up on a discussion in one of your groups says hello without a word.",
            action="Find a discussion",
            url=reverse("groups:index"),
            done=bool(facts["reacted"]),
        ),
        WarmupStep(
            key="virtual_group",
            title="Join a virtual group",
            why="Online groups let you listen in from home, at your own pace.",
            action="Browse virtual groups",
            url=reverse("groups:index") + "?scope=virtual",
            done=bool(facts["virtual_group"]),
        ),
        WarmupStep(
            key="small_group",
            title="Say yes to a small-group introduction",
            why="Three or four people who share something: easier than one-to-one.",
            action="See your introductions",
            url=reverse("network:introductions"),
            done=bool(facts["small_group"]),
        ),
        WarmupStep(
            key="in_person",
            title="RSVP to an event in person",
            why="A get-together around a shared interest gives everyone something to talk about.",
            action="Find an event",
            url=reverse("events:index"),
            done=bool(facts["in_person"]),
        ),
        WarmupStep(
            key="one_to_one",
            title="Have a one-to-one",
            why="Write to someone you have met: a thank-you, or an idea to meet again.",
            action="Your messages",
            url=reverse("messaging:index"),
            done=bool(facts["one_to_one"]),
        ),
    ]
    return WarmupPath(steps=steps)
