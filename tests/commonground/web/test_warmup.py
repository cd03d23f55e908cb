"""The warm-up path: six gentle steps, done wherever the member did them, one query."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commonground.events import services as events
from commonground.groups.discussions import services as discussions
from commonground.messaging.services.conversations import conversation_start
from commonground.network.services.introductions import introduction_accept, introduction_create
from commonground.profiles.models import Profile
from commonground.web.warmup import warmup_path
from tests.commonground.events.helpers import event_input
from tests.commonground.factories import InterestFactory, ProfileFactory, connect, give_interests
from tests.commonground.groups.helpers import add_member, make_group

pytestmark = pytest.mark.django_db


def _done(profile: Profile) -> list[str]:
    return [step.key for step in warmup_path(user=profile.user).steps if step.done]


def test_a_new_member_starts_with_following_interests():
    # given
    member = ProfileFactory()
    # when
    path = warmup_path(user=member.user)
    # then
    assert [step.key for step in path.steps] == [
        "interests",
        "react",
        "virtual_group",
        "small_group",
        "in_person",
        "one_to_one",
    ]
    assert path.done_count == 0
    assert path.next_step is not None
    assert path.next_step.key == "interests"


def test_the_facts_are_read_in_one_query(django_assert_num_queries):
    member = ProfileFactory()
    with django_assert_num_queries(1):
        warmup_path(user=member.user)


def test_each_step_is_done_by_doing_it_anywhere_in_the_product():
    # given
    me, owner, a, b = ProfileFactory(), ProfileFactory(), ProfileFactory(), ProfileFactory()
    kittens = InterestFactory()
    give_interests(me, kittens, InterestFactory(), InterestFactory())
    assert _done(me) == ["interests"]

    # when: a reaction to a post in an in-person group I joined
    local = make_group(owner, kittens, scope="local", city="Lyon", country="France")
    add_member(local, me)
    post = discussions.post_create(user=owner.user, slug=local.slug, body="Hello #kittens")
    discussions.reaction_toggle(
        user=me.user, slug=local.slug, post_id=post.public_id, emoji="thumbs_up"
    )
    # then
    assert _done(me) == ["interests", "react"]

    # when: a virtual group
    add_member(make_group(owner, kittens, scope="virtual"), me)
    assert _done(me) == ["interests", "react", "virtual_group"]

    # when: a one-to-one introduction does not count as a small group; three people do
    for other in (a, b):
        connect(owner, other)
    connect(owner, me)
    pair = introduction_create(
        introducer=owner.user,
        member_public_ids=[me.user.public_id, a.user.public_id],
        reason="Cats",
    )
    introduction_accept(user=me.user, introduction_public_id=pair.public_id)
    introduction_accept(user=a.user, introduction_public_id=pair.public_id)
    assert "small_group" not in _done(me)
    trio = introduction_create(
        introducer=owner.user,
        member_public_ids=[me.user.public_id, a.user.public_id, b.user.public_id],
        reason="All three of you love cats",
    )
    for person in (me, a, b):
        introduction_accept(user=person.user, introduction_public_id=trio.public_id)
    assert _done(me) == ["interests", "react", "virtual_group", "small_group"]

    # when: going to a virtual event does not count; an in-person one does
    online = events.event_create(
        user=owner.user,
        data=event_input(mode="virtual", venue="", online_url="https://meet.example/cats"),
    )
    events.event_rsvp(user=me.user, public_id=online.public_id)
    assert "in_person" not in _done(me)
    meetup = events.event_create(user=owner.user, data=event_input())
    events.event_rsvp(user=me.user, public_id=meetup.public_id)
    assert "in_person" in _done(me)

    # when: a one-to-one message
    conversation_start(sender=me.user, recipient_public_ids=[owner.user.public_id], body="Thanks!")
    # then
    path = warmup_path(user=me.user)
    assert path.complete
    assert path.done_count == 6


def test_home_shows_the_next_step_until_the_member_hides_it(client):
    # given
    member = ProfileFactory()
    client.force_login(member.user)
    # when
    page = client.get(reverse("web:home")).content.decode()
    # then
    assert "Your next gentle step" in page
    assert "Follow a few interests" in page
    # when
    response = client.post(reverse("web:warmup_toggle"), {"show": "0"})
    # then
    assert response.status_code == 302
    assert "Your next gentle step" not in client.get(reverse("web:home")).content.decode()
    assert Profile.objects.get(pk=member.pk).show_warmup is False
    # and the whole path stays one click away
    page = client.get(reverse("web:warmup")).content.decode()
    assert "Show the next step on my home page" in page


def test_the_toggle_needs_a_post_and_a_login(client):
    member = ProfileFactory()
    assert client.post(reverse("web:warmup_toggle"), {"show": "0"}).status_code == 302
    assert Profile.objects.get(pk=member.pk).show_warmup is True
    client.force_login(member.user)
    assert client.get(reverse("web:warmup_toggle")).status_code == 405
