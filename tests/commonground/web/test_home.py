"""The home page: what waits for the member across the product, each block through its app's
own visibility rule, in a fixed number of queries."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonground.asks.services import answer_create
from commonground.events import services as events
from commonground.groups.models import UnmetNiche
from commonground.interests.models import Interest
from commonground.network.followup_models import KeepInTouch
from commonground.network.services.followups import keep_in_touch_set, thank_you_reminder_create
from commonground.network.services.introductions import introduction_create
from commonground.network.services.safety import member_block
from commonground.profiles.models import Profile
from tests.commonground.asks.helpers import make_ask
from tests.commonground.events.helpers import make_event
from tests.commonground.factories import (
    InterestFactory,
    ProfileFactory,
    connect,
    give_interests,
)
from tests.commonground.groups.helpers import add_member, make_group
from tests.commonground.opportunities.helpers import post

pytestmark = pytest.mark.django_db

# Whatever the data, the page reads this many times (session, user, profile, the header badges,
# and each block through its own selector).
QUERIES = 65
BLOCKS = ("home-events", "home-followups", "home-asks", "home-opportunities", "home-niche")


def _home(member: Profile) -> str:
    client = Client()
    client.force_login(member.user)
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    return response.content.decode()


def _past() -> datetime:
    return timezone.now() - timedelta(days=1)


def _world(me: Profile, kittens: Interest, *, size: int, tag: str = "") -> None:
    """`size` of everything the home page shows, each visible to `me`, plus hidden twins."""
    for n in range(size):
        owner = ProfileFactory()
        public = make_group(owner, kittens, name=f"Kitten club {tag}{n}")
        add_member(public, me)
        going = make_event(owner, group_slug=public.slug, title=f"Going event {tag}{n}")
        events.event_rsvp(user=me.user, public_id=going.public_id)
        make_event(owner, group_slug=public.slug, title=f"Ranked event {tag}{n}", topics=[kittens])
        secret = make_group(owner, kittens, name=f"Hush {tag}{n}", visibility="secret")
        make_event(owner, group_slug=secret.slug, title=f"Secret event {tag}{n}", topics=[kittens])

        friend = ProfileFactory()
        connect(me, friend)
        thank_you_reminder_create(
            owner=me.user, contact=friend.user, reason=f"met at Picnic {tag}{n}", due_at=_past()
        )
        keep_in_touch_set(owner=me.user, contact_public_id=friend.user.public_id, cadence_days=14)
        KeepInTouch.objects.filter(owner=me.user, contact=friend.user).update(due_at=_past())
        introducer, other = ProfileFactory(), ProfileFactory()
        connect(introducer, me)
        connect(introducer, other)
        introduction_create(
            introducer=introducer.user,
            member_public_ids=[me.user.public_id, other.user.public_id],
            reason="You both love kittens",
        )

        author = ProfileFactory()
        make_ask(author, kittens, title=f"Visible ask {tag}{n}")
        closed = make_group(author, kittens, name=f"Closed circle {tag}{n}", visibility="private")
        make_ask(
            author, kittens, title=f"Group ask {tag}{n}", audience="group", group_slug=closed.slug
        )

        poster = ProfileFactory()
        post(poster, title=f"Visible job {tag}{n}", interests=[kittens])
        post(poster, title=f"Connections job {tag}{n}", interests=[kittens], audience="connections")


def _niche(kittens: Interest, bacon: Interest) -> UnmetNiche:
    return UnmetNiche.objects.create(
        level="region",
        country_key="us",
        region_key="district of columbia",
        place="District of Columbia, US",
        interest_a=kittens,
        interest_b=bacon,
        member_count=46,
        lift=3.0,
        mined_at=timezone.now(),
    )


def test_each_block_shows_what_the_member_may_see_and_nothing_hidden():
    # given
    me = ProfileFactory()
    kittens, bacon = InterestFactory(name="Kittens"), InterestFactory(name="Bacon")
    give_interests(me, kittens)
    _world(me, kittens, size=1)
    _niche(kittens, bacon)
    # when
    html = _home(me)
    # then
    for block in BLOCKS:
        assert f'id="{block}"' in html
    assert "Going event 0" in html
    assert "Ranked event 0" in html
    assert "Visible ask 0" in html
    assert "Visible job 0" in html
    assert html.count("wants to introduce you") == 1
    assert html.count("You met at Picnic 0") == 1
    assert html.count("Get in touch with") == 1
    assert "<strong>46 people</strong> in District of Columbia, US" in html
    assert "i=kittens&amp;i=bacon&amp;scope=regional" in html or (
        "i=bacon&amp;i=kittens&amp;scope=regional" in html
    )
    for hidden in ("Secret event", "Hush", "Group ask", "Closed circle", "Connections job"):
        assert hidden not in html


def test_what_a_member_who_blocked_me_posted_never_shows():
    # given
    me, blocker = ProfileFactory(), ProfileFactory()
    kittens = InterestFactory()
    give_interests(me, kittens)
    make_ask(blocker, kittens, title="Blocker's ask")
    post(blocker, title="Blocker's job", interests=[kittens])
    group = make_group(blocker, kittens, name="Blocker's club")
    add_member(group, me)
    make_event(blocker, group_slug=group.slug, title="Blocker's event", topics=[kittens])
    assert "Blocker&#x27;s ask" in _home(me)
    member_block(user=blocker.user, member_public_id=me.user.public_id)
    # when
    html = _home(me)
    # then
    assert "Blocker&#x27;s ask" not in html
    assert "Blocker&#x27;s job" not in html
    assert 'id="home-asks"' not in html
    assert 'id="home-opportunities"' not in html


def test_blocks_show_three_items_at_most():
    # given
    me = ProfileFactory()
    kittens = InterestFactory(name="Kittens")
    give_interests(me, kittens)
    _world(me, kittens, size=4)
    # when
    html = _home(me)
    # then
    assert html.count("Going event") == 3
    assert "Ranked event" not in html  # three going already
    assert html.count("Visible ask") == 3
    assert html.count("Visible job") == 3
    assert html.count("wants to introduce you") == 3
    assert html.count("Get in touch with") == 3


def test_empty_blocks_are_absent():
    # given: a member with nothing waiting, in a community with nothing for them
    me = ProfileFactory()
    stranger = ProfileFactory()
    make_ask(stranger, InterestFactory(), title="Something about knitting")
    # when
    html = _home(me)
    # then
    for block in BLOCKS:
        assert f'id="{block}"' not in html
    assert "People for you" in html
    assert "Your interests" in html


def test_a_niche_of_another_region_is_no_nudge():
    # given
    me = ProfileFactory()
    kittens, bacon = InterestFactory(), InterestFactory()
    give_interests(me, kittens)
    niche = _niche(kittens, bacon)
    UnmetNiche.objects.filter(pk=niche.pk).update(region_key="bavaria", place="Bavaria, DE")
    # when
    html = _home(me)
    # then
    assert 'id="home-niche"' not in html
    assert "Bavaria" not in html


def test_an_ask_already_answered_and_an_event_not_shared_stay_off():
    # given
    me, author, owner = ProfileFactory(), ProfileFactory(), ProfileFactory()
    kittens = InterestFactory()
    give_interests(me, kittens)
    ask = make_ask(author, kittens, title="Answered already")
    answer_create(user=me.user, ask_public_id=ask.public_id, body="Try this")
    group = make_group(owner, InterestFactory())
    make_event(owner, group_slug=group.slug, title="Nothing in common")
    # when
    html = _home(me)
    # then
    assert "Answered already" not in html
    assert "Nothing in common" not in html


def test_the_page_reads_in_a_fixed_number_of_queries(django_assert_num_queries):
    # given
    small, large = ProfileFactory(), ProfileFactory()
    kittens, bacon = InterestFactory(), InterestFactory()
    give_interests(small, kittens)
    give_interests(large, kittens)
    _world(small, kittens, size=1, tag="s")
    _world(large, kittens, size=5, tag="l")
    _niche(kittens, bacon)
    clients = {}
    for member in (small, large):
        clients[member.pk] = Client()
        clients[member.pk].force_login(member.user)
        clients[member.pk].get(reverse("web:home"))  # warm the session and caches
    # when / then
    for member in (small, large):
        with django_assert_num_queries(QUERIES):
            response = clients[member.pk].get(reverse("web:home"))
        assert response.status_code == 200
