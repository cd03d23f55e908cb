"""Ask reads. The one visibility rule for asks and offers lives here; every channel uses it.

An ask is visible to its author, and otherwise only to an active member who is not blocked
either way with the author (and, for its answers, with each answerer), and who is in its
audience:

- network: the author's connections;
- group: the group's active members (a secret or private group's asks never reach anyone
  outside it; leaving the group hides them again);
- community: every member.

Asks of deactivated authors are hidden from everyone else. To anyone outside the rule an ask
is missing: the same 404 as an ask that does not exist, and absent from every list, search,
count, routing and notification.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from commonground.accounts.models import User
from commonground.asks.errors import AnswerNotFound, AskNotFound
from commonground.asks.models import Answer, Ask, AskAudience, AskKind, AskRouting, AskStatus
from commonground.core.markdown import render_markdown
from commonground.core.pagination import Page
from commonground.groups.models import Group, Membership, MembershipState
from commonground.groups.selectors import membership_of
from commonground.interests.models import Interest
from commonground.network.graph import connection_ids, relations_of
from commonground.network.models import Mute
from commonground.network.selectors_followups import ReciprocityRow
from commonground.profiles.models import Profile
from commonground.profiles.selectors import Viewer, q_listed, rarity_weight, total_members

# The feed ranks at most this many of the newest open asks in Python; older ones follow.
RANK_WINDOW = 500
TABS = ("asks", "offers", "mine")


def q_ask_visible_to(viewer: Viewer, *, prefix: str = "") -> Q:
    """The rule as a filter, for lists, search and counts."""
    if not viewer.is_member:
        return Q(pk__in=[])
    user_id: int = viewer.user_id  # type: ignore[assignment]
    p = prefix
    groups = Membership.objects.filter(user_id=user_id, state=MembershipState.ACTIVE).values(
        "group_id"
    )
    audience = (
        Q(**{f"{p}audience": AskAudience.COMMUNITY})
        | Q(
            **{f"{p}audience": AskAudience.NETWORK, f"{p}author_id__in": sorted(viewer.connections)}
        )
        | Q(**{f"{p}audience": AskAudience.GROUP, f"{p}group_id__in": groups})
    )
    others = audience & Q(**{f"{p}author__is_active": True})
    if viewer.blocked:
        others &= ~Q(**{f"{p}author_id__in": sorted(viewer.blocked)})
    return Q(**{f"{p}author_id": user_id}) | others


def ask_visible(*, ask: Ask, viewer: Viewer, in_group: bool, author_active: bool) -> bool:
    """The same rule for one ask, for the detail channel. `in_group`: the viewer is an active
    member of the ask's group."""
    if not viewer.is_member:
        return False
    if ask.author_id == viewer.user_id:
        return True
    if not author_active or ask.author_id in viewer.blocked:
        return False
    if ask.audience == AskAudience.COMMUNITY:
        return True
    if ask.audience == AskAudience.NETWORK:
        return ask.author_id in viewer.connections
    return ask.audience == AskAudience.GROUP and in_group


def asks_visible_to(viewer: Viewer) -> QuerySet[Ask]:
    return Ask.objects.filter(q_ask_visible_to(viewer))


def ask_audience_ids(*, ask: Ask) -> list[int]:
    """Members who may see this ask and could be asked to help: listed members in its
    audience, less the author, anyone blocked either way with them, and anyone who muted the
    author (they chose not to hear from them). Routing and its notifications use this."""
    if not User.objects.filter(pk=ask.author_id, is_active=True).exists():
        return []
    author = relations_of(user_id=ask.author_id)
    if ask.audience == AskAudience.NETWORK:
        members = Profile.objects.filter(user_id__in=sorted(connection_ids(user_id=ask.author_id)))
    elif ask.audience == AskAudience.GROUP:
        if ask.group_id is None:
            return []
        members = Profile.objects.filter(
            user__group_memberships__group_id=ask.group_id,
            user__group_memberships__state=MembershipState.ACTIVE,
        )
    else:
        members = Profile.objects.all()
    muted_author = Mute.objects.filter(muted_id=ask.author_id).values("muter_id")
    ids = (
        members.filter(q_listed(viewer=Viewer(user_id=None)))
        .exclude(user_id=ask.author_id)
        .exclude(user_id__in=sorted(author.blocked))
        .exclude(user_id__in=muted_author)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    return list(ids)


@dataclass
class AskCard:
    """An ask in a list, as one viewer may see it."""

    ask: Ask
    interests: list[Interest]
    author_name: str
    answer_count: int
    routed_reason: str = ""
    score: float = 0.0
    shared: list[Interest] = field(default_factory=list)
    answered: bool = False  # the viewer answered it already

    @property
    def public_id(self) -> str:
        return self.ask.public_id


@dataclass
class AnswerView:
    answer: Answer
    author_name: str
    author_public_id: str
    is_mine: bool

    @property
    def body_html(self) -> str:
        return render_markdown(self.answer.body)


@dataclass
class AskView:
    """One ask as one viewer may see it, with the answers they may see."""

    ask: Ask
    interests: list[Interest]
    author_name: str
    author_public_id: str
    group: Group | None
    answers: list[AnswerView]
    is_author: bool
    routed_reason: str = ""
    routed_count: int = 0

    @property
    def body_html(self) -> str:
        return render_markdown(self.ask.body)

    @property
    def my_answer(self) -> Answer | None:
        return next((a.answer for a in self.answers if a.is_mine), None)

    @property
    def can_answer(self) -> bool:
        return not self.is_author and self.ask.is_open and self.my_answer is None


def _name(user: User) -> str:
    profile: Profile | None = getattr(user, "profile", None)
    return (profile.display_name if profile else "") or "Member"


def _get_visible(*, viewer: Viewer, public_id: str) -> Ask:
    ask = (
        Ask.objects.select_related("author__profile", "group").filter(public_id=public_id).first()
        if viewer.is_member
        else None
    )
    if ask is None:
        raise AskNotFound("No such ask.")
    in_group = False
    if ask.audience == AskAudience.GROUP and ask.group is not None:
        membership = membership_of(group=ask.group, user_id=viewer.user_id)
        in_group = membership is not None and membership.is_active
    if not ask_visible(
        ask=ask, viewer=viewer, in_group=in_group, author_active=ask.author.is_active
    ):
        raise AskNotFound("No such ask.")
    return ask


def answers_visible(*, ask: Ask, viewer: Viewer) -> QuerySet[Answer]:
    """The answers of a visible ask this viewer may see: none by members blocked either way."""
    rows = ask.answers.filter(author__is_active=True)
    if viewer.blocked:
        rows = rows.exclude(author_id__in=sorted(viewer.blocked))
    return rows


def ask_get(*, viewer: Viewer, public_id: str) -> AskView:
    """One ask as this viewer may see it; AskNotFound when hidden or missing alike."""
    ask = _get_visible(viewer=viewer, public_id=public_id)
    answers = [
        AnswerView(
            answer=row,
            author_name=_name(row.author),
            author_public_id=row.author.public_id,
            is_mine=row.author_id == viewer.user_id,
        )
        for row in answers_visible(ask=ask, viewer=viewer)
        .select_related("author__profile")
        .order_by("-helpful", "created_at", "pk")
    ]
    is_author = ask.author_id == viewer.user_id
    routing = AskRouting.objects.filter(ask=ask, member_id=viewer.user_id).first()
    return AskView(
        ask=ask,
        interests=list(ask.interests.order_by("name")),
        author_name=_name(ask.author),
        author_public_id=ask.author.public_id,
        group=ask.group,
        answers=answers,
        is_author=is_author,
        routed_reason=routing.reason if routing else "",
        routed_count=ask.routings.count() if is_author else 0,
    )


def answer_get_for_ask(*, viewer: Viewer, ask_public_id: str, answer_public_id: str) -> Answer:
    """An answer the viewer may see, on an ask the viewer may see; 404 otherwise."""
    ask = _get_visible(viewer=viewer, public_id=ask_public_id)
    answer = (
        answers_visible(ask=ask, viewer=viewer)
        .select_related("ask", "author")
        .filter(public_id=answer_public_id)
        .first()
    )
    if answer is None:
        raise AnswerNotFound("No such answer.")
    return answer


def _cards(viewer: Viewer, asks: list[Ask]) -> list[AskCard]:
    return [
        AskCard(
            ask=ask,
            interests=sorted(ask.interests.all(), key=lambda i: i.name),
            author_name=_name(ask.author),
            answer_count=getattr(ask, "n_answers", 0),
        )
        for ask in asks
    ]


def _listed(viewer: Viewer, asks: QuerySet[Ask]) -> QuerySet[Ask]:
    answers = Q(answers__author__is_active=True)
    if viewer.blocked:
        answers &= ~Q(answers__author_id__in=sorted(viewer.blocked))
    return asks.select_related("author__profile").annotate(
        n_answers=Count("answers", filter=answers, distinct=True)
    )


def _search(
    viewer: Viewer, asks: QuerySet[Ask], *, text: str, interest_ids: list[int]
) -> QuerySet[Ask]:
    if text:
        asks = asks.filter(Q(title__icontains=text) | Q(body__icontains=text))
    through = Ask.interests.through
    for interest_id in dict.fromkeys(interest_ids):
        asks = asks.filter(pk__in=through.objects.filter(interest_id=interest_id).values("ask_id"))
    return asks


def ask_list_for(
    *,
    viewer: Viewer,
    tab: str = "asks",
    text: str = "",
    interest_ids: list[int] | None = None,
    page: int = 1,
    size: int = 20,
) -> Page[AskCard]:
    """A tab of the asks page. "asks" and "offers": others' open posts this viewer may see,
    those the engine routed to them first, then by how well their interests fit the viewer
    (rare interests counting most), then newest; the ones they answered already last.
    "mine": the viewer's own, newest first. Text and interests narrow any tab (an ask must
    have ALL the interests)."""
    if tab not in TABS:
        tab = "asks"
    if not viewer.is_member:
        return Page(items=[], number=page, size=size, total=0)
    asks = asks_visible_to(viewer)
    asks = _search(viewer, asks, text=text, interest_ids=interest_ids or [])
    if tab == "mine":
        asks = asks.filter(author_id=viewer.user_id)
        total = asks.count()
        start = (page - 1) * size
        rows = list(
            _listed(viewer, asks)
            .prefetch_related("interests")
            .order_by("-created_at", "-pk")[start : start + size]
        )
        return Page(items=_cards(viewer, rows), number=page, size=size, total=total)
    kind = AskKind.OFFER if tab == "offers" else AskKind.ASK
    # One's own posts live in "mine"; these tabs are what others ask and offer.
    asks = asks.filter(kind=kind, status=AskStatus.OPEN).exclude(author_id=viewer.user_id)
    if viewer.muted:
        asks = asks.exclude(author_id__in=sorted(viewer.muted))
    return _rank(viewer, asks, page=page, size=size)


def _rank(viewer: Viewer, asks: QuerySet[Ask], *, page: int, size: int) -> Page[AskCard]:
    user_id: int = viewer.user_id  # type: ignore[assignment]
    total = asks.count()
    window = list(
        _listed(viewer, asks)
        .prefetch_related("interests")
        .order_by("-created_at", "-pk")[:RANK_WINDOW]
    )
    routed = dict(
        AskRouting.objects.filter(
            member_id=viewer.user_id, ask_id__in=[a.pk for a in window]
        ).values_list("ask_id", "reason")
    )
    answered = set(
        Answer.objects.filter(author_id=user_id, ask_id__in=[a.pk for a in window]).values_list(
            "ask_id", flat=True
        )
    )
    mine = set(Interest.objects.filter(members__user_id=user_id).values_list("id", flat=True))
    everyone = total_members()
    cards = _cards(viewer, window)
    for card in cards:
        card.routed_reason = routed.get(card.ask.pk, "")
        card.answered = card.ask.pk in answered
        # Rarity-weighted shared interests, as in the directory: a shared niche counts far
        # more than a shared "music".
        card.shared = [i for i in card.interests if i.pk in mine]
        card.score = sum(rarity_weight(i.member_count, everyone) for i in card.shared)
    # What still needs the viewer first: asks they already answered go last.
    cards.sort(key=lambda c: (c.answered, not c.routed_reason, -c.score))
    start = (page - 1) * size
    items = cards[start : start + size]
    if len(items) < size and total > len(window):
        # Past the ranked window, older asks follow newest first.
        skip = RANK_WINDOW + max(0, start - len(window))
        older = (
            _listed(viewer, asks)
            .prefetch_related("interests")
            .order_by("-created_at", "-pk")[skip : skip + size - len(items)]
        )
        items += _cards(viewer, list(older))
    return Page(items=items, number=page, size=size, total=total)


def my_groups(*, viewer: Viewer) -> list[Group]:
    """The groups the viewer is an active member of: the only groups they may ask."""
    if viewer.user_id is None:
        return []
    return list(
        Group.objects.filter(
            memberships__user_id=viewer.user_id, memberships__state=MembershipState.ACTIVE
        ).order_by("name")
    )


def asks_posted_since(*, user_id: int, hours: int = 24) -> int:
    return Ask.objects.filter(
        author_id=user_id, created_at__gte=timezone.now() - timedelta(hours=hours)
    ).count()


def helped_counts(*, user: User) -> dict[str, int]:
    """Reciprocity, for the network follow-ups page: "helped_others" counts the help this
    member gave that was marked as helping (their answers to asks, and the requests on their
    offers they marked), "helped_you" the help they received (answers on their asks, and
    their requests on others' offers, marked)."""
    helpful = Answer.objects.filter(helpful=True)
    gave = helpful.filter(
        Q(ask__kind=AskKind.ASK, author=user) | Q(ask__kind=AskKind.OFFER, ask__author=user)
    ).count()
    received = helpful.filter(
        Q(ask__kind=AskKind.ASK, ask__author=user) | Q(ask__kind=AskKind.OFFER, author=user)
    ).count()
    return {"helped_others": gave, "helped_you": received}


def reciprocity_rows(user_id: int) -> list[ReciprocityRow]:
    """The asks part of the network's "give and take" view."""
    counts = helped_counts(user=User(pk=user_id))
    return [
        ReciprocityRow("Your answers that helped", counts["helped_others"]),
        ReciprocityRow("Answers that helped you", counts["helped_you"]),
    ]
