"""Demo content: a dozen of each audience, some for Alex, referrals in progress; idempotent."""

from __future__ import annotations

import pytest

from commonground.groups import services as group_services
from commonground.interests.services import taxonomy_load
from commonground.opportunities.demo import PER_AUDIENCE, seed_demo
from commonground.opportunities.models import Opportunity, Referral
from commonground.opportunities.selectors import opportunity_list
from commonground.profiles.selectors import Viewer
from tests.commonground.factories import ProfileFactory, UserFactory, connect, interest_named

pytestmark = pytest.mark.django_db


def test_seed_demo_posts_every_audience_once_with_referrals_in_progress():
    # given: Alex with three connections (two connected to each other) and a group
    taxonomy_load()
    alex = ProfileFactory(user=UserFactory(email="alex@demo.example"), display_name="Alex")
    members = [ProfileFactory(user=UserFactory(email=f"demo-{n}@demo.example")) for n in range(24)]
    for friend in members[:3]:
        connect(alex, friend)
    connect(members[0], members[1])
    group = group_services.group_create(
        user=members[5].user, name="Caps fans", interests=[interest_named("Hockey")]
    )
    group_services.group_join(user=alex.user, slug=group.slug)
    # when
    seed_demo(seed=2026)
    first = Opportunity.objects.count()
    seed_demo(seed=2026)
    # then
    assert Opportunity.objects.count() == first
    by_audience = {
        a: Opportunity.objects.filter(audience=a).count()
        for a in ("everyone", "connections", "second_degree", "groups", "named")
    }
    assert by_audience["everyone"] == PER_AUDIENCE
    assert by_audience["connections"] == PER_AUDIENCE + 1  # and Alex's own
    assert by_audience["groups"] == PER_AUDIENCE
    assert by_audience["named"] >= PER_AUDIENCE - 2
    assert by_audience["second_degree"] == PER_AUDIENCE
    seen = opportunity_list(viewer=Viewer.for_user(alex.user), size=100).total
    assert seen >= PER_AUDIENCE * 3
    assert Referral.objects.filter(candidate=alex.user, status="awaiting_candidate").count() == 1
    assert Referral.objects.filter(opportunity__poster=alex.user, status="reviewing").count() == 1
