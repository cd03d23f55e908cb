"""Event reads: the one visibility rule (detail and list agree), ranking, people to meet."""

from __future__ import annotations

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonground.core.errors import NotFound
from commonground.events import services
from commonground.events.models import Event
from commonground.events.people import people_to_meet
from commonground.events.selectors import (
    event_get,
    event_list_for,
    event_list_mine,
    events_going_for_feed,
    events_visible_to,
)
from commonground.groups import services as group_services
from commonground.groups.models import Group
from commonground.network.services import member_block, member_mute
from commonground.profiles.selectors import Viewer
from commonground.suggestions.models import Suggestion
from tests.commonground.events.helpers import make_event
from tests.commonground.factories import InterestFactory, ProfileFactory, connect, give_interests
from tests.commonground.groups.helpers import make_group

pytestmark = pytest.mark.django_db


def _viewer(profile) -> Viewer:
    return Viewer.for_user(profile.user)


_RELATIONS = st.sampled_from(
    ["creator", "none", "connection", "member", "organizer", "invited", "requested", "left"]
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    audience=st.sampled_from(["public", "private", "secret", "connections"]),
    relation=_RELATIONS,
    anonymous=st.booleans(),
    cancelled=st.booleans(),
)
def test_the_detail_rule_and_the_list_filter_agree(audience, relation, anonymous, cancelled):
    # given: an event of a group (of each visibility) or for the creator's connections
    owner, other = ProfileFactory(), ProfileFactory()
    slug = None
    if audience != "connections":
        group = make_group(owner, visibility=audience)
        slug = group.slug
        if relation in ("member", "organizer", "invited", "left"):
            group_services.group_invite(
                user=owner.user, slug=slug, member_public_id=other.user.public_id
            )
            if relation != "invited":
                group_services.group_join(user=other.user, slug=slug)
            if relation == "organizer":
                group_services.group_role_set(
                    user=owner.user,
                    slug=slug,
                    member_public_id=other.user.public_id,
                    role="organizer",
                )
            if relation == "left":
                group_services.group_leave(user=other.user, slug=slug)
        elif relation == "requested" and audience == "private":
            group_services.group_join(user=other.user, slug=slug)
    if relation == "connection":
        connect(owner, other)
    event = make_event(owner, group_slug=slug)
    if cancelled:
        services.event_cancel(user=owner.user, public_id=event.public_id)
    subject = owner if relation == "creator" else other
    viewer = Viewer(user_id=None) if anonymous else _viewer(subject)
    # when
    try:
        event_get(viewer=viewer, public_id=event.public_id)
        detail = True
    except NotFound:
        detail = False
    listed = events_visible_to(viewer).filter(pk=event.pk).exists()
    in_list = any(v.event.pk == event.pk for v in event_list_for(viewer=viewer, size=100).items)
    # then: the channels agree (the ranked list shows only upcoming, scheduled events)
    assert detail == listed
    assert in_list == (listed and not cancelled)
    expected = not anonymous and (
        relation == "creator"
        or (audience == "public")
        or (audience == "connections" and relation == "connection")
        or (audience in ("private", "secret") and relation in ("member", "organizer"))
    )
    assert detail == expected
    Event.objects.all().delete()
    Group.objects.all().delete()


def test_secret_group_events_stay_out_of_a_non_members_feed():
    # given: a member going to a secret group's event, who then leaves the group
    owner, member = ProfileFactory(), ProfileFactory()
    group = make_group(owner, visibility="secret")
    group_services.group_invite(
        user=owner.user, slug=group.slug, member_public_id=member.user.public_id
    )
    group_services.group_join(user=member.user, slug=group.slug)
    event = make_event(owner, group_slug=group.slug)
    services.event_rsvp(user=member.user, public_id=event.public_id)
    assert [e.pk for e in events_going_for_feed(user_id=member.user_id)] == [event.pk]
    # when
    group_services.group_leave(user=member.user, slug=group.slug)
    # then
    assert events_going_for_feed(user_id=member.user_id) == []


def test_ranking_puts_shared_rare_topics_and_my_groups_first():
    # given
    niche, common = InterestFactory(name="Bookbinding"), InterestFactory(name="Music")
    me = ProfileFactory()
    give_interests(me, niche, common)
    for _ in range(5):
        give_interests(ProfileFactory(), common)
    host = ProfileFactory()
    connect(host, me)
    plain = make_event(host, title="Plain meetup")
    musical = make_event(host, title="Music night", topics=[common])
    binding = make_event(host, title="Binding bee", topics=[niche])
    # when
    page = event_list_for(viewer=_viewer(me))
    # then
    assert [v.event.pk for v in page.items] == [binding.pk, musical.pk, plain.pk]
    assert page.total == 3


def test_in_person_events_elsewhere_rank_below_those_in_my_city():
    me = ProfileFactory(city="Lyon", country="France")
    host = ProfileFactory()
    connect(host, me)
    far = make_event(host, title="Far", city="Oslo", country="Norway")
    near = make_event(host, title="Near", city="Lyon", country="France")
    page = event_list_for(viewer=_viewer(me))
    assert [v.event.pk for v in page.items] == [near.pk, far.pk]


@pytest.mark.parametrize("count", [2, 8])
def test_the_list_costs_a_fixed_number_of_queries(count, django_assert_num_queries):
    # given
    me = ProfileFactory()
    host = ProfileFactory()
    connect(host, me)
    owner = ProfileFactory()
    group = make_group(owner)
    group_services.group_join(user=me.user, slug=group.slug)
    topic = InterestFactory()
    give_interests(me, topic)
    for i in range(count):
        make_event(host, title=f"Connections event {i}", topics=[topic])
        event = make_event(owner, title=f"Group event {i}", group_slug=group.slug, topics=[topic])
        services.event_rsvp(user=me.user, public_id=event.public_id)
    viewer = _viewer(me)
    # when / then
    with django_assert_num_queries(8):
        page = event_list_for(viewer=viewer)
    assert page.total == 2 * count
    with django_assert_num_queries(6):
        mine = event_list_mine(viewer=viewer)
    assert [v.state for v in mine] == ["going"] * count


def test_people_to_meet_ranks_by_rare_shared_interests_and_leaves_out_blocked_and_muted():
    # given
    niche, common = InterestFactory(), InterestFactory()
    me, host = ProfileFactory(), ProfileFactory()
    give_interests(me, niche, common)
    best, good, blocked, muted, nothing = (ProfileFactory() for _ in range(5))
    give_interests(best, niche, common)
    give_interests(good, common)
    give_interests(blocked, niche)
    give_interests(muted, niche)
    for _ in range(4):
        give_interests(ProfileFactory(), common)
    group = make_group(host)
    event = make_event(host, group_slug=group.slug)
    for p in (me, best, good, blocked, muted, nothing):
        services.event_rsvp(user=p.user, public_id=event.public_id)
    member_block(user=me.user, member_public_id=blocked.user.public_id)
    member_mute(user=me.user, member_public_id=muted.user.public_id)
    viewer = _viewer(me)
    view = event_get(viewer=viewer, public_id=event.public_id)
    # when
    people = people_to_meet(viewer=viewer, view=view)
    # then
    assert [p.public_id for p in people] == [best.user.public_id, good.user.public_id]
    assert [s.name for s in people[0].shared] == [niche.name, common.name]


def test_people_the_engine_suggests_come_first_in_its_order():
    # given: the engine suggested `mentor` (no shared interest: goals or network) and `fan`
    niche = InterestFactory()
    me, host, fan, mentor, other = (ProfileFactory() for _ in range(5))
    give_interests(me, niche)
    give_interests(fan, niche)
    give_interests(other, niche)
    now = timezone.now()
    Suggestion.objects.create(
        user=me.user, candidate=mentor.user, rank=1, score=0.9, computed_at=now
    )
    Suggestion.objects.create(user=me.user, candidate=fan.user, rank=2, score=0.5, computed_at=now)
    event = make_event(host, group_slug=make_group(host).slug)
    for p in (me, fan, mentor, other):
        services.event_rsvp(user=p.user, public_id=event.public_id)
    viewer = _viewer(me)
    # when
    people = people_to_meet(viewer=viewer, view=event_get(viewer=viewer, public_id=event.public_id))
    # then
    assert [p.public_id for p in people] == [
        mentor.user.public_id,
        fan.user.public_id,
        other.user.public_id,
    ]


def test_interests_hidden_from_the_viewer_do_not_count():
    niche = InterestFactory()
    me, host, private = ProfileFactory(), ProfileFactory(), ProfileFactory()
    private.interests_visibility = "only_me"
    private.save()
    give_interests(me, niche)
    give_interests(private, niche)
    group = make_group(host)
    event = make_event(host, group_slug=group.slug)
    for p in (me, private):
        services.event_rsvp(user=p.user, public_id=event.public_id)
    viewer = _viewer(me)
    view = event_get(viewer=viewer, public_id=event.public_id)
    assert people_to_meet(viewer=viewer, view=view) == []
