"""Demo content: deterministic, idempotent, with answers and an ask routed to Alex."""

from __future__ import annotations

import pytest

from commonground.asks.demo import POSTS, ROUTED_TO_ALEX, seed_demo
from commonground.asks.models import Answer, Ask, AskRouting
from commonground.interests.services import taxonomy_load
from tests.commonground.factories import ProfileFactory, UserFactory, give_interests, interest_named

pytestmark = pytest.mark.django_db


def test_seed_demo_posts_asks_and_offers_once_and_routes_one_to_alex():
    # given: demo members, Alex among them
    taxonomy_load()
    alex = ProfileFactory(user=UserFactory(email="alex@demo.example"), display_name="Alex")
    give_interests(alex, interest_named("Washington Capitals"), interest_named("Podcasts"))
    for n in range(8):
        ProfileFactory(user=UserFactory(email=f"demo-{n}@demo.example"))

    # when
    seed_demo(seed=2026)
    seed_demo(seed=2026)

    # then
    assert Ask.objects.count() == len(POSTS)
    assert Ask.objects.filter(kind="offer").count() == 2
    assert Answer.objects.count() == sum(len(p.answers) for p in POSTS)
    assert Answer.objects.filter(helpful=True).count() == 3
    routed = AskRouting.objects.get(ask__title=ROUTED_TO_ALEX, member=alex.user)
    assert routed.reason == "You love Podcasts and Washington Capitals"
    assert not Ask.objects.filter(author=alex.user).exists()
