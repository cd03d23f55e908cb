"""Concurrent identical group writes make exactly one row and never a server error."""

from __future__ import annotations

import pytest

from commonground.groups import services
from commonground.groups.models import Group, Membership
from tests.commonground.concurrency import race
from tests.commonground.factories import InterestFactory, ProfileFactory

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

THREADS = 50


def test_50_concurrent_joins_by_the_same_member_make_one_membership(file_database):
    # given: a flushed database, so interests come from the factory, not the taxonomy
    owner, member = ProfileFactory(), ProfileFactory()
    group = services.group_create(user=owner.user, name="Kittens", interests=[InterestFactory()])
    # when
    answers, handled, unexpected = race(
        [lambda: services.group_join(user=member.user, slug=group.slug).pk] * THREADS,
        file_database,
    )
    # then
    assert unexpected == []
    assert handled == []
    only = Membership.objects.get(group=group, user=member.user)
    assert answers == [only.pk] * THREADS
    assert Group.objects.get(pk=group.pk).member_count == 2


def test_concurrent_approvals_of_one_request_count_it_once(file_database):
    owner, member = ProfileFactory(), ProfileFactory()
    group = services.group_create(
        user=owner.user, name="Kittens", interests=[InterestFactory()], visibility="private"
    )
    services.group_join(user=member.user, slug=group.slug)
    answers, handled, unexpected = race(
        [
            lambda: (
                services.group_request_approve(
                    user=owner.user, slug=group.slug, member_public_id=member.user.public_id
                ).state
            )
        ]
        * 20,
        file_database,
    )
    assert unexpected == []
    assert handled == []
    assert answers == ["active"] * 20
    assert Group.objects.get(pk=group.pk).member_count == 2
