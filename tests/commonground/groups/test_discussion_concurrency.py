"""Concurrent discussion writes and announcements: exact counts, no server error."""

from __future__ import annotations

import pytest

from commonground.groups import services
from commonground.groups.announcements import group_announce
from commonground.groups.discussions import services as discussions
from commonground.groups.models import Announcement, Comment, Post, Reaction
from tests.commonground.concurrency import race
from tests.commonground.factories import InterestFactory, ProfileFactory

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def _group_with(members: int):
    owner = ProfileFactory()
    group = services.group_create(user=owner.user, name="Kittens", interests=[InterestFactory()])
    profiles = [ProfileFactory() for _ in range(members)]
    for p in profiles:
        services.group_join(user=p.user, slug=group.slug)
    return group, owner, profiles


def test_20_concurrent_announcements_of_one_group_make_one(file_database):
    group, owner, _ = _group_with(0)
    answers, handled, unexpected = race(
        [lambda: group_announce(user=owner.user, slug=group.slug).pk] * 20, file_database
    )
    assert unexpected == []
    assert len(answers) == 1
    assert handled == ["announcement_rate_limited"] * 19
    assert Announcement.objects.count() == 1


def test_30_concurrent_comments_are_all_counted(file_database):
    group, owner, members = _group_with(10)
    post = discussions.post_create(user=owner.user, slug=group.slug, body="Go")
    jobs = [
        (
            lambda p=p, n=n: (
                discussions.comment_create(
                    user=p.user, slug=group.slug, post_id=post.public_id, body=f"Comment {n}"
                ).pk
            )
        )
        for n, p in enumerate(members * 3)
    ]
    answers, handled, unexpected = race(jobs, file_database)
    assert (unexpected, handled) == ([], [])
    assert len(set(answers)) == 30
    assert Comment.objects.count() == 30
    assert Post.objects.get().comment_count == 30


def test_concurrent_identical_reactions_leave_at_most_one(file_database):
    group, owner, (member,) = _group_with(1)
    post = discussions.post_create(user=owner.user, slug=group.slug, body="Go")
    answers, handled, unexpected = race(
        [
            lambda: discussions.reaction_toggle(
                user=member.user, slug=group.slug, post_id=post.public_id, emoji="heart"
            )
        ]
        * 20,
        file_database,
    )
    assert (unexpected, handled) == ([], [])
    assert len(answers) == 20
    assert Reaction.objects.filter(user=member.user).count() in (0, 1)
