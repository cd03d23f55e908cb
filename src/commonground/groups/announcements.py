"""Announcing a new group to the members who match it.

Recipients are the directory's own answer, as the announcing organizer sees it: listed
members (never anyone blocked either way or muted by the organizer) whose interests — and,
for a group with a place, whose location — the organizer may see, who hold ALL the group's
interests and live where the group is, and who are not in it yet (nor invited nor asking).
Each member decides whether they hear of such announcements: `notify` honours their
preference for the "groups.announcement" kind.

Rate limits, counted in the database under row locks: one announcement per group per
7 days, one per organizer per day, and only while the group is new (30 days).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from commonground.accounts.models import User
from commonground.groups.errors import (
    AnnouncementNotAllowed,
    AnnouncementRateLimited,
    NotOrganizer,
)
from commonground.groups.models import (
    Announcement,
    Group,
    GroupScope,
    GroupVisibility,
    Membership,
)
from commonground.groups.selectors import GroupView, group_get
from commonground.interests.models import MemberInterest
from commonground.notifications.services import notify
from commonground.profiles.models import Profile
from commonground.profiles.selectors import Viewer, q_group_visible, q_listed

NEW_GROUP_DAYS = 30
PER_GROUP_EVERY = timedelta(days=7)
PER_ORGANIZER_EVERY = timedelta(days=1)


def announcement_recipients(*, group: Group, organizer_id: int) -> QuerySet[Profile]:
    """The members an announcement of this group by this organizer reaches."""
    viewer = Viewer.for_user(User.objects.get(pk=organizer_id))
    members = (
        Profile.objects.filter(q_listed(viewer=viewer))
        .exclude(user_id=organizer_id)
        .filter(q_group_visible(group="interests", viewer=viewer))
    )
    for interest_id in group.interests.values_list("id", flat=True):
        members = members.filter(
            user_id__in=MemberInterest.objects.filter(interest_id=interest_id).values("user_id")
        )
    if group.scope != GroupScope.VIRTUAL:
        place = {
            f"{level}_key": getattr(group, f"{level}_key")
            for level in ("country", "region", "city")
            if getattr(group, f"{level}_key")
        }
        members = members.filter(q_group_visible(group="location", viewer=viewer)).filter(**place)
    return members.exclude(user_id__in=Membership.objects.filter(group=group).values("user_id"))


def group_announce(*, user: User, slug: str) -> Announcement:
    """Announce a new group to the members who match it; the notifications go out from a
    background job. Answers the announcement with how many members it reaches."""
    view = group_get(viewer=Viewer.for_user(user), slug=slug)
    group = view.group
    if not view.is_organizer:
        raise NotOrganizer("Only the group's organizers can announce it.")
    if group.visibility == GroupVisibility.SECRET:
        raise AnnouncementNotAllowed("A secret group is by invitation only: invite people instead.")
    now = timezone.now()
    if group.created_at < now - timedelta(days=NEW_GROUP_DAYS):
        raise AnnouncementNotAllowed(
            f"Only groups started in the last {NEW_GROUP_DAYS} days can be announced."
        )
    with transaction.atomic():
        # Organizer first, then group: every announcement takes the locks in that order.
        User.objects.select_for_update().filter(pk=user.pk).first()
        Group.objects.select_for_update().filter(pk=group.pk).first()
        last = group.announcements.order_by("-created_at").first()
        if last is not None and last.created_at > now - PER_GROUP_EVERY:
            next_at = last.created_at + PER_GROUP_EVERY
            raise AnnouncementRateLimited(
                f"This group was announced recently; announce it again after {next_at:%d %b %Y}."
            )
        if Announcement.objects.filter(
            organizer=user, created_at__gt=now - PER_ORGANIZER_EVERY
        ).exists():
            raise AnnouncementRateLimited("You can announce one group a day. Try again tomorrow.")
        reached = announcement_recipients(group=group, organizer_id=user.pk).count()
        announcement = Announcement.objects.create(group=group, organizer=user, reached=reached)
        transaction.on_commit(lambda: _enqueue(announcement.pk))
    return announcement


def _enqueue(announcement_id: int) -> None:
    from commonground.groups.tasks import send_group_announcement

    send_group_announcement.enqueue(announcement_id)


def announcement_send(*, announcement_id: int) -> int:
    """Notify an announcement's recipients, once: run twice, or retried after a crash, it
    sends one set (the claim and the notifications commit together)."""
    with transaction.atomic():
        claimed = Announcement.objects.filter(pk=announcement_id, sent_at__isnull=True).update(
            sent_at=timezone.now()
        )
        if not claimed:
            return 0
        announcement = Announcement.objects.select_related("group").get(pk=announcement_id)
        group = announcement.group
        if group.visibility == GroupVisibility.SECRET:
            return 0  # made secret since: it reaches nobody
        membership = Membership.objects.filter(
            group=group, user_id=announcement.organizer_id
        ).first()
        if membership is None or not membership.is_organizer:
            return 0  # they left or lost the role since: nobody announces in their name
        names = " and ".join(group.interests.order_by("name").values_list("name", flat=True))
        sent = 0
        recipients = announcement_recipients(group=group, organizer_id=announcement.organizer_id)
        for user in User.objects.filter(pk__in=recipients.values("user_id")).order_by("pk"):
            notify(
                recipient=user,
                kind="groups.announcement",
                text=f"A new group for people who love {names}: {group.name}",
                url=f"/groups/{group.slug}/",
                actor=announcement.organizer,
                thread_key=f"group-announcement:{group.slug}",
            )
            sent += 1
    return sent


@dataclass(frozen=True)
class AnnouncementOffer:
    """What an organizer's group page says about announcing the group."""

    can_announce: bool
    reason: str
    last: Announcement | None


def announcement_offer(*, view: GroupView) -> AnnouncementOffer:
    group = view.group
    last = group.announcements.order_by("-created_at").first()
    now = timezone.now()
    if group.visibility == GroupVisibility.SECRET:
        reason = "A secret group is by invitation only: it is never announced."
    elif group.created_at < now - timedelta(days=NEW_GROUP_DAYS):
        reason = f"Only groups started in the last {NEW_GROUP_DAYS} days can be announced."
    elif last is not None and last.created_at > now - PER_GROUP_EVERY:
        reason = "Announced this week: a group can be announced once a week."
    else:
        reason = ""
    return AnnouncementOffer(can_announce=not reason, reason=reason, last=last)
