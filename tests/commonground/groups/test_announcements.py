"""Announcing a new group: who it reaches, the background job, preferences, rate limits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from commonground.groups.announcements import (
    announcement_offer,
    announcement_recipients,
    announcement_send,
    group_announce,
)
from commonground.groups.errors import (
    AnnouncementNotAllowed,
    AnnouncementRateLimited,
    NotOrganizer,
)
from commonground.groups.models import Announcement, Group, Membership
from commonground.groups.selectors import group_get
from commonground.network.services import member_block
from commonground.notifications.models import Notification
from commonground.notifications.services import PreferenceChange, notification_preferences_set
from commonground.profiles.selectors import Viewer
from tests.commonground.factories import InterestFactory, ProfileFactory, give_interests
from tests.commonground.groups.helpers import add_member, make_group

pytestmark = pytest.mark.django_db

IMMEDIATE = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "ENQUEUE_ON_COMMIT": False,
    }
}
DC = {"city": "Washington", "region": "District of Columbia", "country": "US"}


def _world():
    kittens, bacon = InterestFactory(name="Kittens"), InterestFactory(name="Bacon")
    owner = ProfileFactory(**DC)
    group = make_group(
        owner,
        kittens,
        bacon,
        name="DC kittens and bacon",
        scope="regional",
        region="District of Columbia",
        country="US",
    )
    people = {}
    for name, place, interests in [
        ("match", DC, (kittens, bacon)),
        ("match2", DC, (kittens, bacon)),
        ("one_interest", DC, (kittens,)),
        ("elsewhere", {"city": "Paris", "region": "IDF", "country": "France"}, (kittens, bacon)),
        ("member", DC, (kittens, bacon)),
        ("blocked_organizer", DC, (kittens, bacon)),
        ("hidden_interests", {**DC, "interests_visibility": "only_me"}, (kittens, bacon)),
        ("opted_out", DC, (kittens, bacon)),
    ]:
        people[name] = ProfileFactory(display_name=name, **place)
        give_interests(people[name], *interests)
    add_member(group, people["member"])
    member_block(user=people["blocked_organizer"].user, member_public_id=owner.user.public_id)
    notification_preferences_set(
        user=people["opted_out"].user,
        changes={"groups.announcement": PreferenceChange(in_app=False, email="off")},
    )
    return group, owner, people


def test_recipients_hold_all_interests_live_there_are_not_in_it_and_did_not_block():
    group, owner, _ = _world()
    names = set(
        announcement_recipients(group=group, organizer_id=owner.user_id).values_list(
            "display_name", flat=True
        )
    )
    assert names == {"match", "match2", "opted_out"}


def test_a_virtual_group_reaches_matching_members_anywhere():
    kittens = InterestFactory()
    owner = ProfileFactory()
    group = make_group(owner, kittens)
    here, far = ProfileFactory(), ProfileFactory(city="Lyon", region="ARA", country="France")
    give_interests(here, kittens)
    give_interests(far, kittens)
    recipients = announcement_recipients(group=group, organizer_id=owner.user_id)
    assert set(recipients.values_list("user_id", flat=True)) == {here.user_id, far.user_id}


def test_announcing_reaches_the_matching_members_through_the_background_job(
    settings, django_capture_on_commit_callbacks
):
    # given
    settings.TASKS = IMMEDIATE
    group, owner, _people = _world()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        announcement = group_announce(user=owner.user, slug=group.slug)
    # then: three match; the one who turned announcements off hears nothing
    assert announcement.reached == 3
    notes = Notification.objects.filter(kind="groups.announcement")
    assert sorted(n.recipient.profile.display_name for n in notes) == ["match", "match2"]
    note = notes.first()
    assert note.url == f"/groups/{group.slug}/"
    assert note.text == "A new group for people who love Bacon and Kittens: DC kittens and bacon"
    assert Announcement.objects.get().sent_at is not None


def test_sending_twice_sends_once(django_capture_on_commit_callbacks):
    group, owner, _ = _world()
    announcement = Announcement.objects.create(group=group, organizer=owner.user, reached=3)
    with django_capture_on_commit_callbacks(execute=True):
        first = announcement_send(announcement_id=announcement.pk)
    with django_capture_on_commit_callbacks(execute=True):
        second = announcement_send(announcement_id=announcement.pk)
    assert (first, second) == (3, 0)
    assert Notification.objects.filter(kind="groups.announcement").count() == 2


def test_once_per_group_per_week_and_once_per_organizer_per_day():
    # given
    group, owner, _ = _world()
    other = make_group(owner, name="Another new group")
    group_announce(user=owner.user, slug=group.slug)
    # when / then: the same group again, and another group the same day
    with pytest.raises(AnnouncementRateLimited) as again:
        group_announce(user=owner.user, slug=group.slug)
    with pytest.raises(AnnouncementRateLimited) as same_day:
        group_announce(user=owner.user, slug=other.slug)
    assert again.value.status == same_day.value.status == 429
    # a day later the organizer may announce the other group, not yet the first again
    Announcement.objects.update(created_at=timezone.now() - timedelta(days=2))
    group_announce(user=owner.user, slug=other.slug)
    Announcement.objects.update(created_at=timezone.now() - timedelta(days=8))
    group_announce(user=owner.user, slug=group.slug)
    assert Announcement.objects.count() == 3


def test_only_organizers_announce_only_new_and_never_secret_groups():
    group, owner, people = _world()
    with pytest.raises(NotOrganizer):
        group_announce(user=people["member"].user, slug=group.slug)
    secret = make_group(owner, name="Secret one", visibility="secret")
    with pytest.raises(AnnouncementNotAllowed):
        group_announce(user=owner.user, slug=secret.slug)
    Group.objects.filter(pk=group.pk).update(created_at=timezone.now() - timedelta(days=31))
    with pytest.raises(AnnouncementNotAllowed):
        group_announce(user=owner.user, slug=group.slug)
    assert Announcement.objects.count() == 0


def test_the_offer_says_why_an_organizer_cannot_announce():
    group, owner, _ = _world()
    view = group_get(viewer=Viewer.for_user(owner.user), slug=group.slug)
    assert announcement_offer(view=view).can_announce is True
    group_announce(user=owner.user, slug=group.slug)
    offer = announcement_offer(view=view)
    assert offer.can_announce is False
    assert offer.reason == "Announced this week: a group can be announced once a week."
    assert offer.last is not None
    assert offer.last.reached == 3


@pytest.mark.parametrize("change", ["demoted", "left"])
def test_an_announcement_whose_organizer_lost_the_role_before_sending_reaches_nobody(
    change, django_capture_on_commit_callbacks
):
    # given: an organizer (not the owner) announced; then lost the role or left
    group, _owner, _ = _world()
    organizer = ProfileFactory()
    add_member(group, organizer)
    Membership.objects.filter(group=group, user=organizer.user).update(role="organizer")
    announcement = Announcement.objects.create(group=group, organizer=organizer.user, reached=3)
    membership = Membership.objects.filter(group=group, user=organizer.user)
    if change == "demoted":
        membership.update(role="member")
    else:
        membership.delete()

    # when
    with django_capture_on_commit_callbacks(execute=True):
        sent = announcement_send(announcement_id=announcement.pk)

    # then
    assert sent == 0
    assert not Notification.objects.filter(kind="groups.announcement").exists()
    assert Announcement.objects.get(pk=announcement.pk).sent_at is not None
