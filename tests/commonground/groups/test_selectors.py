"""Discovery: the visibility rule, AND search, ranking by fit, and the "start one" count."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonground.core.errors import ApplicationError, NotFound
from commonground.groups import services
from commonground.groups.models import Group
from commonground.groups.selectors import (
    group_get,
    group_list_for,
    group_search,
    group_start_reach,
    groups_visible_to,
)
from commonground.profiles.selectors import Viewer
from tests.commonground.factories import InterestFactory, ProfileFactory, give_interests
from tests.commonground.groups.helpers import make_group

pytestmark = pytest.mark.django_db


def _viewer(profile) -> Viewer:
    return Viewer.for_user(profile.user)


def _names(page) -> list[str]:
    return [v.group.name for v in page.items]


def test_search_is_and_the_group_must_contain_every_searched_interest():
    # given
    owner = ProfileFactory()
    kittens, bacon, tea = (InterestFactory(name=n) for n in ("Kittens", "Bacon", "Tea"))
    make_group(owner, kittens, name="Kittens only")
    make_group(owner, bacon, name="Bacon only")
    make_group(owner, kittens, bacon, name="Kittens and bacon")
    make_group(owner, kittens, bacon, tea, name="Kittens, bacon and tea")
    viewer = _viewer(ProfileFactory())
    # when
    both = group_search(viewer=viewer, interest_ids=[kittens.pk, bacon.pk])
    three = group_search(viewer=viewer, interest_ids=[kittens.pk, bacon.pk, tea.pk])
    one = group_search(viewer=viewer, interest_ids=[kittens.pk])
    # then
    assert sorted(_names(both)) == ["Kittens and bacon", "Kittens, bacon and tea"]
    assert both.total == 2
    assert _names(three) == ["Kittens, bacon and tea"]
    assert sorted(_names(one)) == ["Kittens and bacon", "Kittens only", "Kittens, bacon and tea"]


def test_search_filters_by_scope_and_refuses_bad_input():
    owner = ProfileFactory()
    kittens = InterestFactory()
    make_group(owner, kittens, name="Online kittens")
    make_group(owner, kittens, name="Lyon kittens", scope="local", city="Lyon", country="France")
    viewer = _viewer(ProfileFactory())
    found = group_search(viewer=viewer, interest_ids=[kittens.pk], scope="local")
    assert _names(found) == ["Lyon kittens"]
    with pytest.raises(ApplicationError):
        group_search(viewer=viewer, interest_ids=[kittens.pk], scope="moon")
    with pytest.raises(ApplicationError):
        group_search(viewer=viewer, interest_ids=[InterestFactory().pk for _ in range(6)])


def test_the_list_ranks_by_rarity_weighted_interest_fit():
    # given: a niche interest few hold, a popular one many hold
    crowd = ProfileFactory.create_batch(8)
    niche, popular, other = InterestFactory(), InterestFactory(), InterestFactory()
    for p in crowd:
        give_interests(p, popular)
    me = ProfileFactory()
    give_interests(me, niche, popular)
    owner = ProfileFactory()
    make_group(owner, other, name="Nothing shared")
    make_group(owner, popular, other, name="Popular half")
    make_group(owner, niche, other, name="Niche half")
    make_group(owner, niche, popular, name="All shared")
    # when
    page = group_list_for(viewer=_viewer(me))
    # then
    assert _names(page) == ["All shared", "Niche half", "Popular half", "Nothing shared"]
    assert page.items[0].score == pytest.approx(1.0)
    assert page.items[3].score == 0.0


def test_the_list_ranks_groups_in_the_viewers_place_above_those_elsewhere():
    me = ProfileFactory(city="Lyon", region="Auvergne-Rhône-Alpes", country="France")
    kittens = InterestFactory()
    give_interests(me, kittens)
    owner = ProfileFactory()
    make_group(owner, kittens, name="Paris", scope="local", city="Paris", country="France")
    make_group(owner, kittens, name="Online", scope="virtual")
    make_group(owner, kittens, name="France", scope="national", country="france")
    make_group(owner, kittens, name="Germany", scope="national", country="Germany")
    page = group_list_for(viewer=_viewer(me))
    assert _names(page)[2:] == ["Germany", "Paris"]
    assert sorted(_names(page)[:2]) == ["France", "Online"]


def test_private_groups_are_listed_to_members_secret_ones_only_to_their_members():
    owner, invited, outsider = ProfileFactory(), ProfileFactory(), ProfileFactory()
    public = make_group(owner, name="Public")
    private = make_group(owner, name="Private", visibility="private")
    secret = make_group(owner, name="Secret", visibility="secret")
    services.group_invite(
        user=owner.user, slug=secret.slug, member_public_id=invited.user.public_id
    )
    assert sorted(_names(group_list_for(viewer=_viewer(outsider)))) == ["Private", "Public"]
    assert sorted(_names(group_list_for(viewer=_viewer(invited)))) == [
        "Private",
        "Public",
        "Secret",
    ]
    assert _names(group_list_for(viewer=Viewer(user_id=None))) == ["Public"]
    with pytest.raises(NotFound) as hidden:
        group_get(viewer=_viewer(outsider), slug=secret.slug)
    with pytest.raises(NotFound) as missing:
        group_get(viewer=_viewer(outsider), slug="doesnotexist")
    assert hidden.value.as_dict() == missing.value.as_dict()
    assert group_get(viewer=_viewer(outsider), slug=private.slug).can_see_members is False
    assert group_get(viewer=_viewer(owner), slug=public.slug).can_see_members is True


def test_start_count_counts_listed_members_in_reach_who_share_all_and_may_be_seen():
    # given
    kittens, bacon = InterestFactory(), InterestFactory()
    me = ProfileFactory(city="Lyon", region="ARA", country="France", reach="local")
    both_here = ProfileFactory.create_batch(2, city="Lyon", region="ARA", country="France")
    for p in both_here:
        give_interests(p, kittens, bacon)
    hidden = ProfileFactory(
        city="Lyon", region="ARA", country="France", interests_visibility="only_me"
    )
    give_interests(hidden, kittens, bacon)
    elsewhere = ProfileFactory(city="Paris", region="IDF", country="France")
    give_interests(elsewhere, kittens, bacon)
    only_one = ProfileFactory(city="Lyon", region="ARA", country="France")
    give_interests(only_one, kittens)
    viewer = _viewer(me)
    # when / then
    assert group_start_reach(viewer=viewer, interest_ids=[kittens.pk, bacon.pk]) == 2
    assert (
        group_start_reach(viewer=viewer, interest_ids=[kittens.pk, bacon.pk], scope="national") == 3
    )
    assert group_search(viewer=viewer, interest_ids=[kittens.pk, bacon.pk]).total == 0


def test_start_count_falls_back_to_the_community_when_the_viewer_has_no_place():
    kittens = InterestFactory()
    me = ProfileFactory(city="", region="", country="", reach="local")
    other = ProfileFactory()
    give_interests(other, kittens)
    assert group_start_reach(viewer=_viewer(me), interest_ids=[kittens.pk]) == 1
    assert group_start_reach(viewer=Viewer(user_id=None), interest_ids=[kittens.pk]) == 0


_ROLES = st.sampled_from(["none", "owner", "member", "requested", "invited", "left"])


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    visibility=st.sampled_from(["public", "private", "secret"]),
    relation=_ROLES,
    anonymous=st.booleans(),
)
def test_the_detail_rule_and_the_list_filter_agree(visibility, relation, anonymous):
    # given
    owner, other = ProfileFactory(), ProfileFactory()
    group = make_group(owner, visibility=visibility)
    if relation == "member":
        services.group_invite(
            user=owner.user, slug=group.slug, member_public_id=other.user.public_id
        )
        services.group_join(user=other.user, slug=group.slug)
    elif relation == "invited":
        services.group_invite(
            user=owner.user, slug=group.slug, member_public_id=other.user.public_id
        )
    elif relation == "requested" and visibility == "private":
        services.group_join(user=other.user, slug=group.slug)
    elif relation == "left":
        services.group_invite(
            user=owner.user, slug=group.slug, member_public_id=other.user.public_id
        )
        services.group_join(user=other.user, slug=group.slug)
        services.group_leave(user=other.user, slug=group.slug)
    subject = owner if relation == "owner" else other
    viewer = Viewer(user_id=None) if anonymous else _viewer(subject)
    # when
    try:
        group_get(viewer=viewer, slug=group.slug)
        detail = True
    except NotFound:
        detail = False
    listed = groups_visible_to(viewer).filter(pk=group.pk).exists()
    in_list = any(v.group.pk == group.pk for v in group_list_for(viewer=viewer, size=100).items)
    # then
    assert detail == listed == in_list
    Group.objects.all().delete()
