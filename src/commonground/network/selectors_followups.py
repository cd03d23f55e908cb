"""Follow-up reads: reminders due, notes and cadence for one contact, shared articles, and a
gentle view of reciprocity.

The rule: notes, cadences and thank-you reminders are read by their owner only, and only about
members the owner can still see (a block hides them, as everywhere). Articles are read by
their sender and their recipient.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone

from commonground.accounts.models import User
from commonground.network.followup_models import (
    ContactNote,
    KeepInTouch,
    SharedArticle,
    ThankYouReminder,
)
from commonground.network.models import Introduction, IntroductionParticipant
from commonground.network.selectors import MemberRef
from commonground.profiles.models import Profile
from commonground.profiles.selectors import (
    InterestRef,
    Viewer,
    member_interests_for,
    member_view_build,
    total_members,
    viewer_interest_weights,
)

REASON_CONNECTED = "connected"


@dataclass(frozen=True)
class KeepInTouchView:
    contact: MemberRef
    cadence_days: int
    last_contact_at: datetime | None
    due_at: datetime
    snoozed_until: datetime | None
    is_due: bool


@dataclass(frozen=True)
class ThankYouView:
    public_id: str
    contact: MemberRef
    reason: str
    due_at: datetime
    is_due: bool
    draft: str

    @property
    def reason_label(self) -> str:
        if self.reason == REASON_CONNECTED:
            return "You connected"
        return self.reason[:1].upper() + self.reason[1:]


@dataclass(frozen=True)
class NoteView:
    public_id: str
    body: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Followups:
    keep_in_touch: list[KeepInTouchView]  # due first, then by due date
    thank_yous: list[ThankYouView]  # open ones, due first

    @property
    def due_count(self) -> int:
        return sum(k.is_due for k in self.keep_in_touch) + sum(t.is_due for t in self.thank_yous)


@dataclass(frozen=True)
class ContactFollowup:
    notes: list[NoteView]
    keep_in_touch: KeepInTouchView | None
    thank_yous: list[ThankYouView]


@dataclass(frozen=True)
class ArticleView:
    public_id: str
    member: MemberRef  # the other member: who shared it, or with whom
    url: str
    note: str
    created_at: datetime


@dataclass(frozen=True)
class ArticleLists:
    received: list[ArticleView]
    sent: list[ArticleView]


@dataclass(frozen=True)
class ReciprocityRow:
    label: str
    count: int


def _ref(user: User) -> MemberRef:
    profile = getattr(user, "profile", None)
    name = profile.display_name if profile is not None else ""
    return MemberRef(public_id=user.public_id, display_name=name or "Member")


def _hidden(viewer: Viewer) -> list[int]:
    return sorted(viewer.blocked)


def _phrase(ref: InterestRef) -> str:
    """'follow the Washington Capitals', 'love Star Trek'."""
    if ref.kind == "sports_team":
        article = "" if ref.name.lower().startswith("the ") else "the "
        return f"follow {article}{ref.name}"
    if ref.kind in {"league", "tv"}:
        return f"follow {ref.name}"
    return f"love {ref.name}"


def thank_you_draft(*, first_name: str, reason: str, shared: list[InterestRef]) -> str:
    """A thank-you note to start from, built from what the two share."""
    name = f", {first_name}" if first_name and first_name != "Member" else ""
    if reason == REASON_CONNECTED:
        opening = f"Thanks for connecting{name}!"
    elif reason.startswith("met at "):
        opening = f"It was great to meet you at {reason.removeprefix('met at ').strip()}{name}!"
    else:
        opening = f"Thank you{name}!"
    if shared:
        return (
            f"{opening} I enjoyed finding out we both {_phrase(shared[0])}. "
            "I'd love to hear how you got into it, and to stay in touch."
        )
    return f"{opening} I'm glad our paths crossed, and I'd love to stay in touch."


def keep_in_touch_view_build(row: KeepInTouch, now: datetime) -> KeepInTouchView:
    awake = row.snoozed_until is None or row.snoozed_until <= now
    return KeepInTouchView(
        contact=_ref(row.contact),
        cadence_days=row.cadence_days,
        last_contact_at=row.last_contact_at,
        due_at=row.due_at,
        snoozed_until=row.snoozed_until if not awake else None,
        is_due=row.due_at <= now and awake,
    )


def _thank_you_views(
    rows: list[ThankYouReminder], *, viewer: Viewer, now: datetime
) -> list[ThankYouView]:
    contact_ids = sorted({row.contact_id for row in rows})
    interests = member_interests_for(contact_ids) if contact_ids else {}
    weights = (
        viewer_interest_weights(user_id=viewer.user_id, total=total_members())
        if contact_ids
        else {}
    )
    views = []
    for row in rows:
        profile: Profile | None = getattr(row.contact, "profile", None)
        shared: list[InterestRef] = []
        first = "Member"
        if profile is not None:
            member = member_view_build(
                profile=profile,
                viewer=viewer,
                member_interests=interests.get(row.contact_id, []),
                weights=weights,
            )
            shared = member.shared
            first = member.display_name.split()[0] if member.display_name else "Member"
        views.append(
            ThankYouView(
                public_id=row.public_id,
                contact=_ref(row.contact),
                reason=row.reason,
                due_at=row.due_at,
                is_due=row.due_at <= now,
                draft=thank_you_draft(first_name=first, reason=row.reason, shared=shared),
            )
        )
    return views


def _open_thank_yous(viewer: Viewer, extra: Q) -> list[ThankYouReminder]:
    return list(
        ThankYouReminder.objects.filter(
            extra,
            owner_id=viewer.user_id,
            done_at__isnull=True,
            dismissed=False,
            contact__is_active=True,
        )
        .exclude(contact_id__in=_hidden(viewer))
        .select_related("contact__profile")
        .order_by("due_at", "pk")[:100]
    )


def followup_list(*, viewer: Viewer, now: datetime | None = None) -> Followups:
    """The viewer's keep-in-touch contacts and open thank-you reminders."""
    if viewer.user_id is None:
        return Followups(keep_in_touch=[], thank_yous=[])
    moment = now or timezone.now()
    cadences = [
        keep_in_touch_view_build(row, moment)
        for row in KeepInTouch.objects.filter(owner_id=viewer.user_id, contact__is_active=True)
        .exclude(contact_id__in=_hidden(viewer))
        .select_related("contact__profile")
        .order_by("due_at", "pk")[:200]
    ]
    cadences.sort(key=lambda k: (not k.is_due, k.due_at))
    thanks = _thank_you_views(_open_thank_yous(viewer, Q()), viewer=viewer, now=moment)
    thanks.sort(key=lambda t: (not t.is_due, t.due_at))
    return Followups(keep_in_touch=cadences, thank_yous=thanks)


def contact_followup_get(*, viewer: Viewer, contact_id: int) -> ContactFollowup:
    """The viewer's own notes, cadence and thank-yous about one member they can see."""
    empty = ContactFollowup(notes=[], keep_in_touch=None, thank_yous=[])
    if viewer.user_id is None or contact_id in viewer.blocked or contact_id == viewer.user_id:
        return empty
    notes = [
        NoteView(
            public_id=n.public_id, body=n.body, created_at=n.created_at, updated_at=n.updated_at
        )
        for n in ContactNote.objects.filter(
            owner_id=viewer.user_id, contact_id=contact_id
        ).order_by("-created_at", "-pk")[:100]
    ]
    row = (
        KeepInTouch.objects.filter(owner_id=viewer.user_id, contact_id=contact_id)
        .select_related("contact__profile")
        .first()
    )
    now = timezone.now()
    thanks = _thank_you_views(
        _open_thank_yous(viewer, Q(contact_id=contact_id)), viewer=viewer, now=now
    )
    return ContactFollowup(
        notes=notes,
        keep_in_touch=keep_in_touch_view_build(row, now) if row is not None else None,
        thank_yous=thanks,
    )


def contact_notes_list(*, viewer: Viewer, contact_public_id: str) -> list[NoteView]:
    """The viewer's notes about one member (none about members they cannot see)."""
    contact_id = (
        User.objects.filter(public_id=contact_public_id, is_active=True)
        .values_list("pk", flat=True)
        .first()
    )
    if contact_id is None:
        return []
    return contact_followup_get(viewer=viewer, contact_id=contact_id).notes


def article_list(*, viewer: Viewer, limit: int = 50) -> ArticleLists:
    """Articles shared with the viewer, and by them; members blocked either way left out."""
    if viewer.user_id is None:
        return ArticleLists(received=[], sent=[])
    hidden = _hidden(viewer)
    received = (
        SharedArticle.objects.filter(recipient_id=viewer.user_id, sender__is_active=True)
        .exclude(sender_id__in=hidden)
        .select_related("sender__profile")
        .order_by("-created_at", "-pk")[:limit]
    )
    sent = (
        SharedArticle.objects.filter(sender_id=viewer.user_id, recipient__is_active=True)
        .exclude(recipient_id__in=hidden)
        .select_related("recipient__profile")
        .order_by("-created_at", "-pk")[:limit]
    )
    return ArticleLists(
        received=[
            ArticleView(a.public_id, _ref(a.sender), a.url, a.note, a.created_at) for a in received
        ],
        sent=[
            ArticleView(a.public_id, _ref(a.recipient), a.url, a.note, a.created_at) for a in sent
        ],
    )


def _introduction_rows(user_id: int) -> list[ReciprocityRow]:
    accepted = Introduction.State.ACCEPTED
    introduced_people = IntroductionParticipant.objects.filter(
        introduction__introducer_id=user_id, introduction__state=accepted
    ).aggregate(people=Count("user_id", distinct=True))["people"]
    made_for_me = IntroductionParticipant.objects.filter(
        user_id=user_id, introduction__state=accepted
    ).count()
    return [
        ReciprocityRow("People you introduced", introduced_people),
        ReciprocityRow("Introductions made for you", made_for_me),
    ]


def _thank_you_rows(user_id: int) -> list[ReciprocityRow]:
    thanked = (
        ThankYouReminder.objects.filter(owner_id=user_id, done_at__isnull=False)
        .values("contact_id")
        .distinct()
        .count()
    )
    return [ReciprocityRow("People you thanked", thanked)]


def _article_rows(user_id: int) -> list[ReciprocityRow]:
    return [
        ReciprocityRow(
            "Articles you shared", SharedArticle.objects.filter(sender_id=user_id).count()
        ),
        ReciprocityRow(
            "Articles shared with you", SharedArticle.objects.filter(recipient_id=user_id).count()
        ),
    ]


# Each source gives rows for one member; other apps (asks, events) can append theirs.
RECIPROCITY_SOURCES: list[Callable[[int], list[ReciprocityRow]]] = [
    _introduction_rows,
    _thank_you_rows,
    _article_rows,
]


def reciprocity_get(*, viewer: Viewer) -> list[ReciprocityRow]:
    """Who helped you, whom you helped: counts, never a score or a ranking."""
    if viewer.user_id is None:
        return []
    return [row for source in RECIPROCITY_SOURCES for row in source(viewer.user_id)]


def followup_due_count(*, viewer: Viewer, now: datetime | None = None) -> int:
    """How many keep-in-touch lapses and thank-yous are due for the viewer (two counts)."""
    if viewer.user_id is None:
        return 0
    moment = now or timezone.now()
    hidden = _hidden(viewer)
    lapsed = (
        KeepInTouch.objects.filter(
            Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=moment),
            owner_id=viewer.user_id,
            due_at__lte=moment,
            contact__is_active=True,
        )
        .exclude(contact_id__in=hidden)
        .count()
    )
    thanks = (
        ThankYouReminder.objects.filter(
            owner_id=viewer.user_id,
            due_at__lte=moment,
            done_at__isnull=True,
            dismissed=False,
            contact__is_active=True,
        )
        .exclude(contact_id__in=hidden)
        .count()
    )
    return lapsed + thanks
