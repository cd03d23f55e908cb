"""Introduction reads. The one visibility rule: an introduction is seen by its introducer and
by the members it introduces (not when they and the introducer block each other). To anyone
else it does not exist.

Before everyone accepts, a participant sees the others described without names or contact:
profession, city and the interests they share, each as the other's profile visibility allows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from commonground.network.errors import IntroductionNotFound
from commonground.network.models import Introduction, IntroductionParticipant
from commonground.network.selectors import MemberRef
from commonground.network.services.members import is_public_id
from commonground.profiles.models import Profile
from commonground.profiles.selectors import (
    InterestRef,
    MemberView,
    Viewer,
    member_interests_for,
    member_view_build,
    total_members,
    viewer_interest_weights,
)

State = Introduction.State
Answer = IntroductionParticipant.Answer
STATE_LABELS = {
    "pending": "Waiting for answers",
    "accepted": "Accepted",
    "declined": "Did not go ahead",
    "expired": "Expired",
}


@dataclass(frozen=True)
class Introducee:
    """Another member of an introduction, as the viewer may see them."""

    public_id: str | None  # None until everyone accepted, for the people introduced
    display_name: str | None
    profession: str | None
    city: str | None
    shared: list[InterestRef]  # interests they share with the viewer, rarest first

    @property
    def description(self) -> str:
        parts = [self.profession or "A member"]
        if self.city:
            parts.append(f"in {self.city}")
        return " ".join(parts)


@dataclass(frozen=True)
class IntroductionView:
    public_id: str
    role: str  # "introducer" or "introduced"
    introducer: MemberRef
    reason: str
    state: str
    my_answer: str | None  # the viewer's own answer, when introduced
    people: list[Introducee]  # everyone introduced but the viewer
    accepted: int
    total: int
    created_at: datetime
    expires_at: datetime
    conversation_id: str

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def names_shared(self) -> bool:
        return self.role == "introducer" or self.state == State.ACCEPTED

    @property
    def is_group(self) -> bool:
        return self.total > 2


@dataclass(frozen=True)
class IntroductionLists:
    made: list[IntroductionView]
    proposed: list[IntroductionView]


def q_introduction_visible(viewer: Viewer) -> Q:
    """The rule, as a filter on Introduction."""
    if viewer.user_id is None:
        return Q(pk__in=[])
    introduced = Q(
        pk__in=IntroductionParticipant.objects.filter(user_id=viewer.user_id).values(
            "introduction_id"
        ),
        introducer__is_active=True,
    ) & ~Q(introducer_id__in=sorted(viewer.blocked))
    return Q(introducer_id=viewer.user_id) | introduced


def _rows(viewer: Viewer, extra: Q) -> QuerySet[Introduction]:
    participants = IntroductionParticipant.objects.select_related("user__profile").order_by("pk")
    return (
        Introduction.objects.filter(q_introduction_visible(viewer) & extra)
        .select_related("introducer__profile")
        .prefetch_related(Prefetch("participants", queryset=participants))
    )


def _state_now(row: Introduction, now: datetime) -> str:
    if row.state == State.PENDING and row.expires_at <= now:
        return str(State.EXPIRED)
    return str(row.state)


def _views(rows: Iterable[Introduction], *, viewer: Viewer) -> list[IntroductionView]:
    rows = list(rows)
    others = {
        p.user_id for row in rows for p in row.participants.all() if p.user_id != viewer.user_id
    }
    interests = member_interests_for(sorted(others)) if others else {}
    weights = (
        viewer_interest_weights(user_id=viewer.user_id, total=total_members()) if others else {}
    )
    now = timezone.now()
    views = []
    for row in rows:
        participants = list(row.participants.all())
        role = "introducer" if row.introducer_id == viewer.user_id else "introduced"
        state = _state_now(row, now)
        shared_names = role == "introducer" or state == State.ACCEPTED
        people = []
        for p in participants:
            if p.user_id == viewer.user_id:
                continue
            profile = getattr(p.user, "profile", None)
            member = (
                member_view_build(
                    profile=profile,
                    viewer=viewer,
                    member_interests=interests.get(p.user_id, []),
                    weights=weights,
                )
                if profile is not None
                else MemberView(public_id=p.user.public_id, display_name="Member")
            )
            if p.user_id in viewer.blocked:
                # Blocked since, either way: they vanish from the viewer's view, as everywhere.
                people.append(Introducee(None, None, None, None, []))
                continue
            people.append(_introducee(member, named=shared_names))
        mine = next((p.answer for p in participants if p.user_id == viewer.user_id), None)
        introducer_profile = getattr(row.introducer, "profile", None)
        views.append(
            IntroductionView(
                public_id=row.public_id,
                role=role,
                introducer=MemberRef(
                    public_id=row.introducer.public_id,
                    display_name=(introducer_profile.display_name if introducer_profile else "")
                    or "Member",
                ),
                reason=row.reason,
                state=state,
                my_answer=str(mine) if mine is not None else None,
                people=people,
                accepted=sum(p.answer == Answer.ACCEPTED for p in participants),
                total=len(participants),
                created_at=row.created_at,
                expires_at=row.expires_at,
                conversation_id=row.conversation_id if state == State.ACCEPTED else "",
            )
        )
    return views


def _introducee(member: MemberView, *, named: bool) -> Introducee:
    return Introducee(
        public_id=member.public_id if named else None,
        display_name=member.display_name if named else None,
        profession=member.profession,
        city=member.city,
        shared=list(member.shared),
    )


def introduction_get(*, viewer: Viewer, public_id: str) -> IntroductionView:
    """One introduction as the viewer may see it, or 404 (missing and hidden look alike)."""
    if viewer.user_id is None or not is_public_id(public_id):
        raise IntroductionNotFound("No such introduction.")
    views = _views(_rows(viewer, Q(public_id=public_id)), viewer=viewer)
    if not views:
        raise IntroductionNotFound("No such introduction.")
    return views[0]


def introduction_list(*, viewer: Viewer, limit: int = 50) -> IntroductionLists:
    """Introductions the viewer made, and those proposed to them, newest first."""
    if viewer.user_id is None:
        return IntroductionLists(made=[], proposed=[])
    newest = ("-created_at", "-pk")
    mine = Q(introducer_id=viewer.user_id)
    made = list(_rows(viewer, mine).order_by(*newest)[:limit])
    proposed = list(_rows(viewer, ~mine).order_by(*newest)[:limit])
    views = _views(made + proposed, viewer=viewer)
    return IntroductionLists(
        made=[v for v in views if v.role == "introducer"],
        proposed=[v for v in views if v.role == "introduced"],
    )


def introduction_pending_count(*, viewer: Viewer) -> int:
    """Introductions waiting for the viewer's answer."""
    if viewer.user_id is None:
        return 0
    return (
        Introduction.objects.filter(
            q_introduction_visible(viewer),
            state=State.PENDING,
            expires_at__gt=timezone.now(),
            participants__user_id=viewer.user_id,
            participants__answer=Answer.PENDING,
        )
        .distinct()
        .count()
    )


def introduction_candidates(*, viewer: Viewer, public_ids: list[str]) -> list[MemberView]:
    """Those of these members who are the viewer's connections, as the viewer sees them."""
    if viewer.user_id is None:
        return []
    ids = [p for p in dict.fromkeys(public_ids) if is_public_id(p)]
    profiles = {
        p.user.public_id: p
        for p in Profile.objects.filter(
            user__public_id__in=ids,
            user_id__in=sorted(viewer.connections - viewer.blocked),
            user__is_active=True,
        ).select_related("user")
    }
    chosen = [profiles[p] for p in ids if p in profiles]
    interests = member_interests_for([p.user_id for p in chosen])
    weights = viewer_interest_weights(user_id=viewer.user_id, total=total_members())
    return [
        member_view_build(
            profile=p, viewer=viewer, member_interests=interests[p.user_id], weights=weights
        )
        for p in chosen
    ]


def introduction_reason_draft(*, people: list[MemberView]) -> str:
    """A starting reason from what the people share with each other (as far as the
    introducer can see their interests)."""
    if len(people) < 2:
        return ""
    common: list[str] | None = None
    for person in people:
        names = [ref.name for ref in person.interests or []]
        common = names if common is None else [n for n in common if n in names]
    who = _and([p.display_name.split()[0] for p in people if p.display_name]) or "Hello"
    both = "both" if len(people) == 2 else "all"
    if common:
        shared = _and(common[:3])
        return (
            f"{who}: you {both} love {shared}. I think you'd enjoy swapping notes, "
            "so I wanted you to meet."
        )
    return f"{who}: I think you'd enjoy knowing each other, so I wanted you to meet."


def _and(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"
