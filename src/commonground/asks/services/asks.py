"""Posting an ask or an offer (at most ASKS_PER_DAY a day), and resolving, closing, reopening."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from commonground.accounts.models import User
from commonground.asks.errors import AskInvalid, NotAskAuthor, TooManyAsks
from commonground.asks.models import (
    ASKS_PER_DAY,
    BODY_MAX_LENGTH,
    MAX_ASK_INTERESTS,
    TITLE_MAX_LENGTH,
    Ask,
    AskAudience,
    AskKind,
    AskStatus,
    AskTopic,
)
from commonground.asks.selectors import ask_get
from commonground.core.validation import clean_text
from commonground.groups.models import Group, Membership, MembershipState
from commonground.interests.models import Interest, InterestStatus
from commonground.profiles.selectors import Viewer

TITLE_MIN_LENGTH = 5


def _group_for(*, user: User, audience: str, group_slug: str) -> Group | None:
    if audience != AskAudience.GROUP:
        return None
    # One answer for a group that does not exist, one that is hidden and one the member is
    # not in: "choose one of yours", so the form cannot probe for secret groups.
    membership = (
        Membership.objects.select_related("group")
        .filter(group__slug=group_slug[:16], user=user, state=MembershipState.ACTIVE)
        .first()
        if group_slug
        else None
    )
    if membership is None:
        raise AskInvalid("Choose one of the groups you are a member of.", field="group")
    return membership.group


def _clean_interests(interests: Sequence[Interest]) -> list[Interest]:
    unique = list({i.pk: i for i in interests}.values())
    if len(unique) > MAX_ASK_INTERESTS:
        raise AskInvalid(f"Choose at most {MAX_ASK_INTERESTS} interests.", field="interests")
    if any(i.status == InterestStatus.MERGED for i in unique):
        raise AskInvalid("Use the interest it was merged into.", field="interests")
    return unique


def _check_choice(value: str, choices: list[str], field: str, message: str) -> None:
    if value not in choices:
        raise AskInvalid(message, field=field)


def ask_create(
    *,
    user: User,
    title: str,
    body: str = "",
    kind: str = AskKind.ASK,
    topic: str = AskTopic.ADVICE,
    interests: Sequence[Interest] = (),
    audience: str = AskAudience.COMMUNITY,
    group_slug: str = "",
) -> Ask:
    """Post an ask or an offer; the engine routes it to likely helpers in the background."""
    _check_choice(kind, AskKind.values, "kind", "Choose ask or offer.")
    _check_choice(
        topic, AskTopic.values, "topic", "Choose advice, introduction, referral, feedback or other."
    )
    _check_choice(audience, AskAudience.values, "audience", "Choose network, group or community.")
    title = clean_text(title, field="title", max_length=TITLE_MAX_LENGTH, required=True)
    if len(title) < TITLE_MIN_LENGTH:
        raise AskInvalid(
            f"Say what you need in at least {TITLE_MIN_LENGTH} characters.", field="title"
        )
    body = clean_text(body, field="body", max_length=BODY_MAX_LENGTH)
    chosen = _clean_interests(interests)
    group = _group_for(user=user, audience=audience, group_slug=group_slug)
    with transaction.atomic():
        _check_daily_limit(user)
        ask = Ask.objects.create(
            author=user,
            kind=kind,
            topic=topic,
            title=title,
            body=body,
            audience=audience,
            group=group,
        )
        ask.interests.set(chosen)
        # Robust: if the queue is down the ask still stands; routing is a nicety, not the post.
        transaction.on_commit(lambda: _schedule_routing(ask.pk), robust=True)
    return ask


def _check_daily_limit(user: User) -> None:
    """Counted inside the posting transaction under a lock on the member's row (PostgreSQL;
    SQLite's IMMEDIATE transactions serialize writers already), so concurrent posts cannot
    both see room for one more."""
    list(User.objects.select_for_update(no_key=True).filter(pk=user.pk).values_list("pk"))
    since = timezone.now() - timedelta(hours=24)
    recent = list(
        Ask.objects.filter(author=user, created_at__gte=since)
        .order_by("created_at")
        .values_list("created_at", flat=True)
    )
    if len(recent) >= ASKS_PER_DAY:
        wait = recent[-ASKS_PER_DAY] + timedelta(hours=24) - timezone.now()
        hours = max(1, -(-int(wait.total_seconds()) // 3600))
        raise TooManyAsks(
            f"You can post at most {ASKS_PER_DAY} asks and offers a day. "
            f"Try again in {hours} hour{'s' if hours != 1 else ''}."
        )


def _schedule_routing(ask_id: int) -> None:
    from commonground.asks.tasks import route_ask

    route_ask.enqueue(ask_id)


def ask_status_set(*, user: User, public_id: str, status: str) -> Ask:
    """Resolve, close or reopen an ask; its author only. Repeating it changes nothing."""
    _check_choice(status, AskStatus.values, "status", "Choose open, resolved or closed.")
    view = ask_get(viewer=Viewer.for_user(user), public_id=public_id)
    if not view.is_author:
        raise NotAskAuthor("Only the member who posted it can do that.")
    ask = view.ask
    if ask.status != status:
        resolved_at = timezone.now() if status == AskStatus.RESOLVED else None
        Ask.objects.filter(pk=ask.pk).update(
            status=status, resolved_at=resolved_at, updated_at=timezone.now()
        )
        ask.refresh_from_db()
    return ask
