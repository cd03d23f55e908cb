"""Demo groups: created once, with discussions, alex@ in a couple of them."""

from __future__ import annotations

import pytest

from commonground.demo.generate import create_demo_logins, seed_members
from commonground.groups.demo import GROUPS, seed_demo
from commonground.groups.models import Comment, Group, Membership, Post, Reaction

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_fills_the_groups():
    # given
    seed_members(count=300, seed=2026, email_prefix="demo-")
    create_demo_logins()
    # when
    seed_demo(seed=2026)
    counts = (Group.objects.count(), Post.objects.count(), Comment.objects.count())
    seed_demo(seed=2026)
    # then
    assert (Group.objects.count(), Post.objects.count(), Comment.objects.count()) == counts
    assert sorted(Group.objects.values_list("name", flat=True)) == sorted(g.name for g in GROUPS)
    assert Post.objects.count() == sum(len(g.posts) for g in GROUPS)
    assert Reaction.objects.count() > 0
    assert Post.objects.filter(pinned=True).count() == len(GROUPS)
    alex_in = Membership.objects.filter(user__email="alex@demo.example", state="active")
    assert alex_in.count() >= 2
    for group in Group.objects.all():
        assert group.member_count == group.memberships.filter(state="active").count()
