"""The visibility rule over every audience and relation, the feed's order, search, counts."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonground.asks import services
from commonground.asks.errors import AskNotFound
from commonground.asks.models import Ask, AskRouting
from commonground.asks.selectors import (
    ask_audience_ids,
    ask_get,
    ask_list_for,
    asks_visible_to,
    my_groups,
)
from commonground.groups import services as group_services
from commonground.network.services import member_block, member_mute
from commonground.profiles.selectors import Viewer
from tests.commonground.asks.helpers import make_ask, make_group
from tests.commonground.factories import (
    InterestFactory,
    ProfileFactory,
    connect,
    give_interests,
)

pytestmark = pytest.mark.django_db


def _viewer(profile) -> Viewer:
    return Viewer.for_user(profile.user)


def _titles(page) -> list[str]:
    return [card.ask.title for card in page.items]


def _sees(profile, ask) -> bool:
    try:
        ask_get(viewer=_viewer(profile), public_id=ask.public_id)
    except AskNotFound:
        return False
    return True


def test_a_network_ask_is_for_the_authors_connections_only():
    author, friend, stranger = ProfileFactory(), ProfileFactory(), ProfileFactory()
    connect(author, friend)
    ask = make_ask(author, audience="network")
    assert (_sees(author, ask), _sees(friend, ask), _sees(stranger, ask)) == (True, True, False)


def test_a_secret_group_ask_never_reaches_anyone_outside_the_group():
    # given: a secret group with a member, an invitee, a member who left, an outsider
    owner, member, invited, left, outsider = (ProfileFactory() for _ in range(5))
    group = make_group(owner, member, left, visibility="secret")
    group_services.group_invite(
        user=owner.user, slug=group.slug, member_public_id=invited.user.public_id
    )
    ask = make_ask(member, audience="group", group_slug=group.slug)
    group_services.group_leave(user=left.user, slug=group.slug)

    # then
    assert _sees(owner, ask) is True
    assert _sees(member, ask) is True
    assert _sees(invited, ask) is False
    assert _sees(left, ask) is False
    assert _sees(outsider, ask) is False
    assert sorted(ask_audience_ids(ask=ask)) == [owner.user_id]


def test_blocked_pairs_never_see_each_others_asks_or_answers():
    # given: ben answered ana's ask; then ana blocks ben; cy answered too
    ana, ben, cy = ProfileFactory(), ProfileFactory(), ProfileFactory()
    ask = make_ask(ana)
    bens_own = make_ask(ben, title="Bens own ask for help")
    services.answer_create(user=ben.user, ask_public_id=ask.public_id, body="Ben's answer")
    services.answer_create(user=cy.user, ask_public_id=ask.public_id, body="Cy's answer")
    member_block(user=ana.user, member_public_id=ben.user.public_id)

    # then: either way
    assert _sees(ben, ask) is False
    assert _sees(ana, bens_own) is False
    view = ask_get(viewer=_viewer(ana), public_id=ask.public_id)
    assert [a.answer.body for a in view.answers] == ["Cy's answer"]
    card = ask_list_for(viewer=_viewer(cy)).items
    assert [(c.ask.title, c.answer_count) for c in card] == [
        ("Bens own ask for help", 0),
        ("Advice on moving into data science", 2),
    ]
    ana_list = ask_list_for(viewer=_viewer(ana), tab="mine").items
    assert [c.answer_count for c in ana_list] == [1]
    assert ben.user_id not in ask_audience_ids(ask=ask)


def test_a_deactivated_authors_asks_disappear_for_others():
    author, reader = ProfileFactory(), ProfileFactory()
    ask = make_ask(author)
    author.user.is_active = False
    author.user.save()
    assert _sees(reader, ask) is False
    assert ask_list_for(viewer=_viewer(reader)).total == 0


def test_muted_authors_stay_readable_but_leave_the_lists_and_are_not_routed_to_muters():
    author, reader = ProfileFactory(), ProfileFactory()
    ask = make_ask(author)
    member_mute(user=reader.user, member_public_id=author.user.public_id)
    assert _sees(reader, ask) is True
    assert ask_list_for(viewer=_viewer(reader)).total == 0
    assert reader.user_id not in ask_audience_ids(ask=ask)


RELATIONS = st.sampled_from(
    ["stranger", "connection", "group_member", "group_left", "blocked", "blocked_by", "self"]
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    audience=st.sampled_from(["network", "group", "community"]),
    visibility=st.sampled_from(["public", "private", "secret"]),
    relation=RELATIONS,
    kind=st.sampled_from(["ask", "offer"]),
    author_active=st.booleans(),
    anonymous=st.booleans(),
)
def test_the_detail_rule_the_list_filter_the_feed_and_routing_agree(
    audience, visibility, relation, kind, author_active, anonymous
):
    # given
    author, other = ProfileFactory(), ProfileFactory()
    owner = ProfileFactory()
    group = make_group(owner, author, visibility=visibility)
    if relation in ("group_member", "group_left"):
        group_services.group_invite(
            user=owner.user, slug=group.slug, member_public_id=other.user.public_id
        )
        group_services.group_invite_accept(user=other.user, slug=group.slug)
    if relation == "connection":
        connect(author, other)
    ask = make_ask(
        author,
        kind=kind,
        audience=audience,
        group_slug=group.slug if audience == "group" else "",
    )
    if relation == "group_left":
        group_services.group_leave(user=other.user, slug=group.slug)
    if relation == "blocked":
        member_block(user=author.user, member_public_id=other.user.public_id)
    if relation == "blocked_by":
        member_block(user=other.user, member_public_id=author.user.public_id)
    if not author_active:
        author.user.is_active = False
        author.user.save()
    subject = author if relation == "self" else other
    viewer = Viewer(user_id=None) if anonymous else _viewer(subject)

    # when
    try:
        ask_get(viewer=viewer, public_id=ask.public_id)
        detail = True
    except AskNotFound:
        detail = False
    filtered = asks_visible_to(viewer).filter(pk=ask.pk).exists()
    tab = "offers" if kind == "offer" else "asks"
    feed = ask_list_for(viewer=viewer, tab=tab, size=100).items
    in_feed = any(card.ask.pk == ask.pk for card in feed)
    routed_to = not anonymous and subject.user_id in ask_audience_ids(ask=ask)

    # then: the feed shows others' posts only; routing reaches only members who can see it
    assert detail == filtered
    assert in_feed == (detail and relation != "self")
    assert not routed_to or (detail and relation != "self")
    Ask.objects.all().delete()


def test_the_feed_puts_asks_routed_to_the_viewer_first_then_by_rarity_weighted_fit():
    # given: the viewer loves a niche and a popular interest
    crowd = ProfileFactory.create_batch(6)
    niche, popular = InterestFactory(name="Lichen"), InterestFactory(name="Music")
    for p in crowd:
        give_interests(p, popular)
    me = ProfileFactory()
    give_interests(me, niche, popular)
    author = ProfileFactory()
    make_ask(author, niche, title="About lichen")
    make_ask(author, popular, title="About music")
    make_ask(author, title="About nothing shared")
    routed = make_ask(author, title="Routed to me")
    AskRouting.objects.create(ask=routed, member=me.user, score=1.0, reason="You know Lichen")
    done = make_ask(author, niche, title="Answered already")
    services.answer_create(user=me.user, ask_public_id=done.public_id, body="Done")

    # when
    page = ask_list_for(viewer=_viewer(me))

    # then
    assert _titles(page) == [
        "Routed to me",
        "About lichen",
        "About music",
        "About nothing shared",
        "Answered already",
    ]
    assert [c.answered for c in page.items] == [False, False, False, False, True]
    assert page.items[0].routed_reason == "You know Lichen"
    assert [i.name for i in page.items[1].shared] == ["Lichen"]


def test_tabs_keep_asks_offers_and_mine_apart_and_only_open_ones_in_asks_and_offers():
    me, author = ProfileFactory(), ProfileFactory()
    make_ask(author, title="An open ask")
    make_ask(author, title="An open offer", kind="offer")
    closed = make_ask(author, title="A closed ask")
    services.ask_status_set(user=author.user, public_id=closed.public_id, status="closed")
    make_ask(me, title="My own ask")
    assert _titles(ask_list_for(viewer=_viewer(me), tab="asks")) == ["An open ask"]
    assert _titles(ask_list_for(viewer=_viewer(me), tab="offers")) == ["An open offer"]
    assert _titles(ask_list_for(viewer=_viewer(me), tab="mine")) == ["My own ask"]
    assert _titles(ask_list_for(viewer=_viewer(author), tab="mine")) == [
        "A closed ask",
        "An open offer",
        "An open ask",
    ]


def test_search_by_words_and_by_all_of_the_interests():
    author, me = ProfileFactory(), ProfileFactory()
    data, ml = InterestFactory(name="Data science"), InterestFactory(name="Machine learning")
    make_ask(author, data, title="CV review for data roles")
    make_ask(author, data, ml, title="Which ML course first?", body="Looking at courses")
    make_ask(author, title="Someone to walk my dog")
    viewer = _viewer(me)
    assert _titles(ask_list_for(viewer=viewer, text="course")) == ["Which ML course first?"]
    assert _titles(ask_list_for(viewer=viewer, text="DOG")) == ["Someone to walk my dog"]
    assert sorted(_titles(ask_list_for(viewer=viewer, interest_ids=[data.pk]))) == [
        "CV review for data roles",
        "Which ML course first?",
    ]
    both = ask_list_for(viewer=viewer, interest_ids=[data.pk, ml.pk])
    assert _titles(both) == ["Which ML course first?"]
    assert both.total == 1


def _fill(n: int, me) -> None:
    for i in range(n):
        author = ProfileFactory()
        connect(author, me)
        ask = make_ask(author, InterestFactory(), InterestFactory(), title=f"Ask number {i}")
        services.answer_create(user=me.user, ask_public_id=ask.public_id, body="Try this")
        AskRouting.objects.create(ask=ask, member=me.user, score=1.0, reason="You know it")


@pytest.mark.parametrize("tab", ["asks", "mine"])
def test_the_list_costs_a_fixed_number_of_queries(tab, django_assert_num_queries):
    # given
    me = ProfileFactory()
    _fill(2, me)
    make_ask(me, InterestFactory(), title="My first ask")
    viewer = _viewer(me)
    expected = 7 if tab == "asks" else 3
    with django_assert_num_queries(expected):
        small = ask_list_for(viewer=viewer, tab=tab)
    _fill(6, me)
    for n in range(3):
        make_ask(me, title=f"My ask number {n}")

    # when / then
    with django_assert_num_queries(expected):
        large = ask_list_for(viewer=viewer, tab=tab)
    assert len(large.items) > len(small.items)


def test_my_groups_lists_only_active_memberships():
    owner, me = ProfileFactory(), ProfileFactory()
    mine = make_group(owner, me)
    make_group(owner)
    assert my_groups(viewer=_viewer(me)) == [mine]
    assert my_groups(viewer=Viewer(user_id=None)) == []


def test_pages_past_the_ranked_window_follow_newest_first(monkeypatch):
    # given: five asks and a ranked window of two
    monkeypatch.setattr("commonground.asks.selectors.RANK_WINDOW", 2)
    author, me = ProfileFactory(), ProfileFactory()
    for n in range(5):
        make_ask(author, title=f"Ask number {n}")
    viewer = _viewer(me)

    # when
    pages = [ask_list_for(viewer=viewer, page=n, size=2) for n in (1, 2, 3, 4)]

    # then
    assert [_titles(p) for p in pages] == [
        ["Ask number 4", "Ask number 3"],
        ["Ask number 2", "Ask number 1"],
        ["Ask number 0"],
        [],
    ]
    assert pages[0].total == 5
