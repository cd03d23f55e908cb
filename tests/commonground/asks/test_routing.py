"""Routing: rank_helpers (the engine's rarity weighting, skills, mentoring) and ask_route
(top members of the audience, reasons, once, in a background worker)."""

from __future__ import annotations

import time

import pytest
from django.core.management import call_command

from commonground.accounts.models import User
from commonground.asks.models import AskRouting
from commonground.asks.services import ask_route
from commonground.interests.models import Interest, MemberInterest
from commonground.interests.services import member_interest_counts_rebuild
from commonground.network.services import member_block
from commonground.profiles.models import Profile
from commonground.suggestions.routing import MENTORING_BONUS, rank_helpers
from tests.commonground.asks.helpers import make_ask, make_group
from tests.commonground.factories import InterestFactory, ProfileFactory, connect, give_interests

pytestmark = pytest.mark.django_db


def _ids(ranked) -> list[int]:
    return [member for member, _, _ in ranked]


def test_a_shared_niche_counts_far_more_than_a_shared_popular_interest():
    # given: many hold Music, two hold Lichen
    author = ProfileFactory()
    niche, popular = InterestFactory(name="Lichen"), InterestFactory(name="Music")
    crowd = ProfileFactory.create_batch(6)
    for p in crowd:
        give_interests(p, popular)
    lichen_fan, both = ProfileFactory(), ProfileFactory()
    give_interests(lichen_fan, niche)
    give_interests(both, niche, popular)
    candidates = [p.user_id for p in [*crowd, lichen_fan, both]]

    # when
    ranked = rank_helpers(
        author_id=author.user_id, interest_ids=[niche.pk, popular.pk], candidate_ids=candidates
    )

    # then: both first, then the niche alone, then the crowd (ties to the lower id)
    assert _ids(ranked)[:2] == [both.user_id, lichen_fan.user_id]
    assert _ids(ranked)[2:] == sorted(p.user_id for p in crowd)
    assert ranked[0][2] == [niche.pk, popular.pk]
    assert ranked[1][2] == [niche.pk]
    assert ranked[1][1] > 2 * ranked[2][1]


def test_a_skill_outranks_a_passion_and_mentoring_adds_a_bonus():
    author = ProfileFactory()
    baking = InterestFactory(name="Sourdough baking")
    fan, baker, mentor = ProfileFactory(), ProfileFactory(), ProfileFactory(open_to=["mentoring"])
    give_interests(fan, baking, intensity=3)
    give_interests(baker, baking, kind="skill")
    give_interests(mentor, baking, kind="skill")
    ranked = rank_helpers(
        author_id=author.user_id,
        interest_ids=[baking.pk],
        candidate_ids=[fan.user_id, baker.user_id, mentor.user_id],
    )
    assert _ids(ranked) == [mentor.user_id, baker.user_id, fan.user_id]
    assert ranked[0][1] == pytest.approx(ranked[1][1] + MENTORING_BONUS, abs=1e-5)


def test_never_the_author_never_a_stranger_and_at_most_k():
    author = ProfileFactory()
    topic = InterestFactory()
    give_interests(author, topic)
    sharing = ProfileFactory.create_batch(4)
    for p in sharing:
        give_interests(p, topic)
    stranger = ProfileFactory(open_to=["mentoring"])
    give_interests(stranger, InterestFactory())
    candidates = [author.user_id, stranger.user_id, *(p.user_id for p in sharing)]
    ranked = rank_helpers(
        author_id=author.user_id, interest_ids=[topic.pk], candidate_ids=candidates, k=3
    )
    assert _ids(ranked) == sorted(p.user_id for p in sharing)[:3]
    assert rank_helpers(author_id=author.user_id, interest_ids=[topic.pk], candidate_ids=[]) == []


def test_without_interests_the_authors_own_interests_are_the_query():
    author, match, other = ProfileFactory(), ProfileFactory(), ProfileFactory()
    mine = InterestFactory(name="Astronomy")
    give_interests(author, mine)
    give_interests(match, mine)
    give_interests(other, InterestFactory())
    ranked = rank_helpers(
        author_id=author.user_id, interest_ids=[], candidate_ids=[match.user_id, other.user_id]
    )
    assert ranked == [(match.user_id, ranked[0][1], [mine.pk])]


def test_an_ask_is_routed_to_the_top_ten_of_its_audience_with_reasons():
    # given: 12 members share the ask's interest; one knows it as a skill
    author = ProfileFactory()
    baking = InterestFactory(name="Sourdough baking")
    data = InterestFactory(name="Data science")
    helpers = ProfileFactory.create_batch(12)
    for p in helpers:
        give_interests(p, data)
    skilled = ProfileFactory()
    give_interests(skilled, baking, kind="skill")
    give_interests(skilled, data)
    ask = make_ask(author, baking, data)

    # when
    told = ask_route(ask_id=ask.pk)

    # then
    rows = list(AskRouting.objects.filter(ask=ask).order_by("-score", "member_id"))
    assert told == 10
    assert len(rows) == 10
    assert rows[0].member_id == skilled.user_id
    assert rows[0].reason == "You know Sourdough baking (skill) and love Data science"
    assert rows[1].reason == "You love Data science"
    assert all(r.notified_at is not None for r in rows)


def test_routing_is_idempotent_and_tells_each_member_once():
    author = ProfileFactory()
    topic = InterestFactory()
    helper = ProfileFactory()
    give_interests(helper, topic)
    ask = make_ask(author, topic)
    first = ask_route(ask_id=ask.pk)
    notified = AskRouting.objects.get().notified_at
    second = ask_route(ask_id=ask.pk)
    assert (first, second) == (1, 0)
    assert AskRouting.objects.count() == 1
    assert AskRouting.objects.get().notified_at == notified


def test_routing_never_reaches_anyone_who_cannot_see_the_ask():
    # given: a network ask; a connection, a blocked connection, a stranger all share it
    author = ProfileFactory()
    topic = InterestFactory()
    friend, blocked, stranger = ProfileFactory(), ProfileFactory(), ProfileFactory()
    for p in (friend, blocked, stranger):
        give_interests(p, topic, kind="skill")
    connect(author, friend)
    connect(author, blocked)
    member_block(user=blocked.user, member_public_id=author.user.public_id)
    network_ask = make_ask(author, topic, audience="network")
    # and a secret-group ask; only one sharing member is in the group
    owner = ProfileFactory()
    group = make_group(owner, author, friend, visibility="secret")
    group_ask = make_ask(author, topic, audience="group", group_slug=group.slug, title="In group")

    # when
    ask_route(ask_id=network_ask.pk)
    ask_route(ask_id=group_ask.pk)

    # then
    assert list(AskRouting.objects.filter(ask=network_ask).values_list("member_id", flat=True)) == [
        friend.user_id
    ]
    assert list(AskRouting.objects.filter(ask=group_ask).values_list("member_id", flat=True)) == [
        friend.user_id
    ]


def test_offers_and_closed_asks_are_not_routed():
    author, helper = ProfileFactory(), ProfileFactory()
    topic = InterestFactory()
    give_interests(helper, topic)
    offer = make_ask(author, topic, kind="offer", title="I can review CVs")
    closed = make_ask(author, topic, title="Closed before routing")
    closed.status = "closed"
    closed.save()
    assert (ask_route(ask_id=offer.pk), ask_route(ask_id=closed.pk)) == (0, 0)
    assert ask_route(ask_id=999_999) == 0
    assert AskRouting.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_posting_an_ask_routes_it_in_a_background_worker():
    # given
    author, helper = ProfileFactory(), ProfileFactory()
    topic = InterestFactory(name="Lichen photography")
    give_interests(helper, topic, kind="skill")

    # when: the post commits, a job is queued, and a worker runs the queue once
    ask = make_ask(author, Interest.objects.get(pk=topic.pk))
    assert AskRouting.objects.count() == 0
    call_command("db_worker", batch=True, queue_name="*", interval=0.1, startup_delay=False)

    # then
    routing = AskRouting.objects.get(ask=ask)
    assert (routing.member_id, routing.reason) == (
        helper.user_id,
        "You know Lichen photography (skill)",
    )


def _community(n: int, interests: list[Interest], popular: Interest) -> list[int]:
    """n listed members with 8 interests each and one popular interest, written in bulk (the
    factories are too slow)."""
    users = User.objects.bulk_create(
        [User(email=f"bench{i}@example.org", password="!") for i in range(n)]
    )
    Profile.objects.bulk_create(
        [
            Profile(
                user=u,
                display_name=f"Bench {i}",
                onboarding_step=4,
                open_to=["mentoring"] if i % 7 == 0 else [],
            )
            for i, u in enumerate(users)
        ]
    )
    links = [
        MemberInterest(
            user=u,
            interest=interests[(i * 31 + j * 17) % len(interests)],
            kind="skill" if (i + j) % 5 == 0 else "passion",
            intensity=1 + (i + j) % 3,
        )
        for i, u in enumerate(users)
        for j in range(8)
    ]
    # and one popular interest that everybody holds
    links += [MemberInterest(user=u, interest=popular) for u in users]
    MemberInterest.objects.bulk_create(links, ignore_conflicts=True)
    member_interest_counts_rebuild()
    return [u.pk for u in users]


@pytest.mark.slow
@pytest.mark.parametrize("with_popular", [False, True])
def test_ranking_five_thousand_candidates_is_fast(with_popular):
    # given: 5,000 members; asked about three interests (~200 holders each), and in the
    # second case also one that every candidate holds (5,000 more rows, all tied)
    interests = [InterestFactory() for _ in range(200)]
    popular = InterestFactory(name="Music")
    candidates = _community(5_000, interests, popular)
    author = ProfileFactory()
    asked = [interests[3].pk, interests[40].pk, interests[150].pk]
    if with_popular:
        asked.append(popular.pk)

    # when: the best of five runs (the machine is shared)
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        ranked = rank_helpers(
            author_id=author.user_id, interest_ids=asked, candidate_ids=candidates
        )
        timings.append(time.perf_counter() - started)

    # then
    print(f"rank_helpers, 5,000 candidates, popular={with_popular}: {min(timings) * 1000:.1f} ms")
    assert len(ranked) == 10
    assert min(timings) < 0.2
