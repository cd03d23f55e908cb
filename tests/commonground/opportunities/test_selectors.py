"""The visibility rule, "for you" ranking with reasons, and "people who fit" with paths."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonground.groups import services as group_services
from commonground.network.services import member_block
from commonground.opportunities import selectors, services
from commonground.opportunities.errors import NotPoster, OpportunityNotFound
from commonground.opportunities.models import Opportunity
from commonground.profiles.models import Profile
from commonground.profiles.selectors import Viewer
from tests.commonground.factories import InterestFactory, ProfileFactory, connect, give_interests
from tests.commonground.opportunities.helpers import expire, post

pytestmark = pytest.mark.django_db


def _sees(profile, opportunity) -> bool:
    return selectors.opportunity_visible(
        opportunity=opportunity, viewer=Viewer.for_user(profile.user)
    )


def test_a_former_group_member_loses_a_group_only_opportunity():
    # given
    poster, member = ProfileFactory(), ProfileFactory()
    group = group_services.group_create(
        user=poster.user, name="Guild", interests=[InterestFactory()]
    )
    group_services.group_join(user=member.user, slug=group.slug)
    opportunity = post(poster, audience="groups", audience_groups=[group.slug])
    assert _sees(member, opportunity)
    # when
    group_services.group_leave(user=member.user, slug=group.slug)
    # then
    assert not _sees(member, opportunity)
    with pytest.raises(OpportunityNotFound):
        selectors.opportunity_get(
            viewer=Viewer.for_user(member.user), public_id=opportunity.public_id
        )


def test_a_block_either_way_hides_even_an_everyone_opportunity():
    poster, blocker, blocked, other = (ProfileFactory() for _ in range(4))
    opportunity = post(poster, audience="everyone")
    member_block(user=blocker.user, member_public_id=poster.user.public_id)
    member_block(user=poster.user, member_public_id=blocked.user.public_id)
    assert [_sees(p, opportunity) for p in (poster, blocker, blocked, other)] == [
        True,
        False,
        False,
        True,
    ]


def test_second_degree_reaches_connections_of_connections_and_no_further():
    a, b, c, d = (ProfileFactory() for _ in range(4))
    connect(a, b)
    connect(b, c)
    connect(c, d)
    opportunity = post(a, audience="second_degree")
    assert [_sees(p, opportunity) for p in (b, c, d)] == [True, True, False]


def test_a_referred_candidate_sees_the_opportunity_they_were_referred_to():
    poster, invitee, candidate = ProfileFactory(), ProfileFactory(), ProfileFactory()
    connect(invitee, candidate)
    opportunity = post(poster, audience="named", audience_members=[invitee.user.public_id])
    assert not _sees(candidate, opportunity)
    services.referral_create(
        user=invitee.user,
        opportunity_public_id=opportunity.public_id,
        candidate_public_id=candidate.user.public_id,
    )
    assert _sees(candidate, opportunity)


def test_anonymous_sees_nothing():
    opportunity = post(ProfileFactory())
    assert not selectors.opportunity_visible(opportunity=opportunity, viewer=Viewer(user_id=None))
    assert selectors.opportunity_list(viewer=Viewer(user_id=None)).total == 0


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    audiences=st.lists(
        st.sampled_from(["everyone", "connections", "second_degree", "groups", "named"]),
        min_size=1,
        max_size=4,
    ),
    edges=st.sets(st.tuples(st.integers(0, 4), st.integers(0, 4)), max_size=6),
    in_group=st.sets(st.integers(0, 4), max_size=5),
    named=st.sets(st.integers(1, 4), min_size=1, max_size=4),
    blocks=st.sets(st.integers(1, 4), max_size=2),
)
def test_the_detail_check_and_the_list_query_agree(audiences, edges, in_group, named, blocks):
    # given: five members (0 posts), random connections, group members, names and blocks
    Opportunity.objects.all().delete()
    people = [ProfileFactory() for _ in range(5)]
    for a, b in sorted({(min(e), max(e)) for e in edges if e[0] != e[1]}):
        connect(people[a], people[b])
    group = group_services.group_create(
        user=people[0].user, name="Guild", interests=[InterestFactory()]
    )
    for i in in_group - {0}:
        group_services.group_join(user=people[i].user, slug=group.slug)
    posted = [
        post(
            people[0],
            audience=audience,
            audience_groups=[group.slug],
            audience_members=[people[i].user.public_id for i in sorted(named)],
        )
        for audience in audiences
    ]
    for i in blocks:
        member_block(user=people[0].user, member_public_id=people[i].user.public_id)
    # then: for every member, the detail rule and the list agree on every opportunity
    for person in people:
        viewer = Viewer.for_user(person.user)
        listed = {v.public_id for v in selectors.opportunity_list(viewer=viewer, size=100).items}
        one_by_one = {
            o.public_id
            for o in posted
            if selectors.opportunity_visible(opportunity=o, viewer=viewer)
        }
        assert listed == one_by_one


def test_for_you_ranks_by_rare_skills_with_reasons_and_leaves_out_closed_and_own():
    # given
    python, viz, music = (
        InterestFactory(name="Python"),
        InterestFactory(name="Data visualization"),
        InterestFactory(name="Music"),
    )
    me, poster = ProfileFactory(open_to=["freelance"]), ProfileFactory()
    give_interests(me, python, viz, kind="skill")
    give_interests(me, music)
    for _ in range(5):
        give_interests(ProfileFactory(), music)
    best = post(poster, title="Best", kind="freelance", skills=[python, viz])
    musical = post(poster, title="Musical", interests=[music], remote=False, country="US")
    post(poster, title="Nothing shared")
    closed = post(poster, title="Closed")
    expire(closed)
    post(me, title="My own", skills=[python])
    # when
    page = selectors.opportunity_list_for_you(viewer=Viewer.for_user(me.user))
    # then
    assert [v.opportunity.title for v in page.items] == ["Best", "Musical", "Nothing shared"]
    assert page.total == 3
    assert page.items[0].reason == (
        "Needs Data visualization and Python, which you list as skills · Remote · "
        "You are open to freelance work"
    )
    assert page.items[1].reason == "About Music · In your country"
    assert page.items[0].matched == {python.pk, viz.pk}
    assert musical.pk != best.pk


def test_search_matches_words_skill_kind_and_remote():
    python = InterestFactory(name="Python")
    poster, me = ProfileFactory(), ProfileFactory()
    post(poster, title="Rust gig", kind="freelance", organization="Ferris Co")
    post(poster, title="Python job", skills=[python])
    post(poster, title="Python onsite", skills=[python], remote=False, country="US")
    viewer = Viewer.for_user(me.user)

    def titles(**kw):
        return sorted(
            v.opportunity.title for v in selectors.opportunity_list(viewer=viewer, **kw).items
        )

    assert titles(text="ferris") == ["Rust gig"]
    assert titles(skill_ids=[python.pk]) == ["Python job", "Python onsite"]
    assert titles(skill_ids=[python.pk], remote=True) == ["Python job"]
    assert titles(kind="freelance") == ["Rust gig"]
    assert titles(text="python onsite") == ["Python onsite"]


def test_people_who_fit_shows_paths_and_never_hidden_or_blocked_members():
    # given: poster → sam → ana (fits) ; poster → lee → hidden (fits, hides interests)
    python = InterestFactory(name="Python")
    poster = ProfileFactory(display_name="Poster")
    sam, ana = ProfileFactory(display_name="Sam Lee"), ProfileFactory(display_name="Ana Ruiz")
    lee = ProfileFactory(display_name="Lee")
    hidden = ProfileFactory(display_name="Hidden", interests_visibility="only_me")
    blocked = ProfileFactory(display_name="Blocked")
    far = ProfileFactory(display_name="Far away")
    connect(poster, sam)
    connect(sam, ana)
    connect(poster, lee)
    connect(lee, hidden)
    connect(lee, blocked)
    for p in (ana, hidden, blocked, far):
        give_interests(p, python, kind="skill")
    member_block(user=blocked.user, member_public_id=poster.user.public_id)
    opportunity = post(poster, skills=[python])
    viewer = Viewer.for_user(poster.user)
    view = selectors.opportunity_get(viewer=viewer, public_id=opportunity.public_id)
    # when
    people = selectors.people_who_fit(viewer=viewer, view=view)
    # then
    assert [(p.display_name, p.path) for p in people] == [("Ana Ruiz", ["Sam Lee"])]
    assert people[0].reason == "Needs Python, which they list as skills · Remote"


def test_people_who_fit_is_for_the_poster_only():
    poster, other = ProfileFactory(), ProfileFactory()
    opportunity = post(poster)
    viewer = Viewer.for_user(other.user)
    view = selectors.opportunity_get(viewer=viewer, public_id=opportunity.public_id)
    with pytest.raises(NotPoster):
        selectors.people_who_fit(viewer=viewer, view=view)


def test_an_open_to_signal_boosts_a_member_only_for_posters_who_may_see_it():
    # given: two equally fitting connections of the poster; one signals to connections,
    # one to nobody
    python = InterestFactory(name="Python")
    poster = ProfileFactory()
    quiet, open_ = ProfileFactory(display_name="A quiet"), ProfileFactory(display_name="B open")
    for p in (quiet, open_):
        connect(poster, p)
        give_interests(p, python)
        Profile.objects.filter(pk=p.pk).update(open_to=[])
    services.open_to_signal_set(user=quiet.user, kinds=["job"], audience="only_me")
    services.open_to_signal_set(user=open_.user, kinds=["job"], audience="connections")
    opportunity = post(poster, skills=[python])
    viewer = Viewer.for_user(poster.user)
    view = selectors.opportunity_get(viewer=viewer, public_id=opportunity.public_id)
    # when
    people = selectors.people_who_fit(viewer=viewer, view=view)
    # then
    assert [p.display_name for p in people] == ["B open", "A quiet"]
    assert people[0].reason.endswith("They are open to a job")
    assert "open to" not in people[1].reason


def test_signal_visibility_rule():
    owner, friend, named, stranger = (ProfileFactory() for _ in range(4))
    connect(owner, friend)
    signal = services.open_to_signal_set(user=owner.user, kinds=["job"], audience="connections")

    def sees(p):
        return selectors.open_to_signal_visible(signal=signal, viewer=Viewer.for_user(p.user))

    assert [sees(p) for p in (owner, friend, named, stranger)] == [True, True, False, False]
    signal = services.open_to_signal_set(
        user=owner.user, kinds=["job"], audience="named", audience_members=[named.user.public_id]
    )
    assert [sees(p) for p in (owner, friend, named, stranger)] == [True, False, True, False]
