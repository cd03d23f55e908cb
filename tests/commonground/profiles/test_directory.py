from __future__ import annotations

import pytest

from commonground.core.errors import ValidationFailed
from commonground.profiles.directory import DirectoryFilter, member_search
from commonground.profiles.selectors import Viewer
from tests.commonground.factories import (
    InterestFactory,
    NewMemberFactory,
    ProfileFactory,
    UserFactory,
    connect,
    give_interests,
)

pytestmark = pytest.mark.django_db


def test_and_filter_returns_only_members_with_every_interest():
    # given
    kittens, bacon = InterestFactory(name="Kittens"), InterestFactory(name="Bacon")
    viewer = ProfileFactory()
    both = ProfileFactory(display_name="Both")
    only_kittens = ProfileFactory(display_name="Only kittens")
    give_interests(both, kittens, bacon)
    give_interests(only_kittens, kittens)

    # when
    page = member_search(
        viewer=Viewer.for_user(viewer.user),
        viewer_profile=viewer,
        flt=DirectoryFilter(interest_ids=(kittens.pk, bacon.pk)),
    )

    # then
    assert [m.display_name for m in page.items] == ["Both"]
    assert page.total == 1


def _search(viewer_profile, **flt_and_page):
    page = flt_and_page.pop("page", 1)
    size = flt_and_page.pop("size", 20)
    return member_search(
        viewer=Viewer.for_user(viewer_profile.user) if viewer_profile else Viewer.for_user(None),
        viewer_profile=viewer_profile,
        flt=DirectoryFilter(**flt_and_page),
        page=page,
        size=size,
    )


def test_a_shared_niche_ranks_above_a_shared_popular_interest():
    # given
    niche, popular = InterestFactory(name="Letterpress"), InterestFactory(name="Coffee")
    viewer = ProfileFactory()
    give_interests(viewer, niche, popular)
    shares_popular = ProfileFactory(display_name="Shares popular")
    shares_niche = ProfileFactory(display_name="Shares niche")
    shares_both = ProfileFactory(display_name="Shares both")
    give_interests(shares_popular, popular)
    give_interests(shares_niche, niche)
    give_interests(shares_both, niche, popular)
    for _ in range(6):
        give_interests(ProfileFactory(display_name="Fan"), popular)

    # when
    page = _search(viewer)

    # then
    names = [m.display_name for m in page.items]
    assert names[:2] == ["Shares both", "Shares niche"]
    assert names.index("Shares niche") < names.index("Shares popular")
    by_name = {m.display_name: m for m in page.items}
    assert [r.name for r in by_name["Shares both"].shared] == ["Letterpress", "Coffee"]
    assert [r.name for r in by_name["Shares niche"].shared] == ["Letterpress"]
    assert by_name["Shares niche"].score > by_name["Shares popular"].score > 0
    assert page.total == 9


def test_members_who_hide_their_interests_never_match_a_filter_nor_gain_rank():
    # given
    niche = InterestFactory(name="Letterpress")
    viewer = ProfileFactory()
    give_interests(viewer, niche)
    hidden = ProfileFactory(display_name="Hidden", interests_visibility="only_me")
    hidden_to_strangers = ProfileFactory(
        display_name="Connections only", interests_visibility="connections"
    )
    ProfileFactory(display_name="Plain")
    give_interests(hidden, niche)
    give_interests(hidden_to_strangers, niche)

    # when
    filtered = _search(viewer, interest_ids=(niche.pk,))
    everyone = _search(viewer)

    # then
    assert [m.display_name for m in filtered.items] == []
    assert filtered.total == 0
    # Unranked, in join order, with nothing shared or scored.
    assert [m.display_name for m in everyone.items] == ["Hidden", "Connections only", "Plain"]
    assert [(m.score, m.shared, m.interests) for m in everyone.items] == [
        (0.0, [], None),
        (0.0, [], None),
        (0.0, [], []),
    ]


def test_a_connection_finds_interests_hidden_from_strangers():
    # given
    niche = InterestFactory(name="Letterpress")
    viewer = ProfileFactory()
    give_interests(viewer, niche)
    friend = ProfileFactory(display_name="Friend", interests_visibility="connections")
    give_interests(friend, niche)
    connect(viewer, friend)

    # when
    page = _search(viewer, interest_ids=(niche.pk,))

    # then
    assert [(m.display_name, m.is_connection, [r.name for r in m.shared]) for m in page.items] == [
        ("Friend", True, ["Letterpress"])
    ]


def test_anonymous_search_sees_only_interests_shown_to_everyone():
    # given
    niche = InterestFactory(name="Letterpress")
    public = ProfileFactory(display_name="Public", interests_visibility="everyone")
    members_only = ProfileFactory(display_name="Members only")
    give_interests(public, niche)
    give_interests(members_only, niche)

    # when
    page = _search(None, interest_ids=(niche.pk,))

    # then
    assert [m.display_name for m in page.items] == ["Public"]


def test_the_viewer_never_appears_in_their_own_results_nor_do_unfinished_or_inactive_members():
    # given
    niche = InterestFactory(name="Letterpress")
    viewer = ProfileFactory(display_name="Me")
    unfinished = NewMemberFactory(display_name="Unfinished")
    inactive = ProfileFactory(display_name="Inactive", user=UserFactory(is_active=False))
    visible = ProfileFactory(display_name="Visible")
    for p in (viewer, unfinished, inactive, visible):
        give_interests(p, niche)

    # when
    page = _search(viewer, interest_ids=(niche.pk,))

    # then
    assert [m.display_name for m in page.items] == ["Visible"]
    assert page.total == 1


@pytest.mark.parametrize(
    ("near", "expected"),
    [
        ("city", ["Same city"]),
        ("region", ["Same city", "Same region"]),
        ("country", ["Same city", "Same region", "Same country"]),
    ],
)
def test_near_filters_by_place_and_respects_location_visibility(near, expected):
    # given
    viewer = ProfileFactory(city="Arlington", region="Virginia", country="US")
    ProfileFactory(display_name="Same city", city="arlington", region="virginia", country="us")
    ProfileFactory(display_name="Same region", city="Richmond", region="Virginia", country="US")
    ProfileFactory(display_name="Same country", city="Austin", region="Texas", country="US")
    ProfileFactory(display_name="Abroad", city="Arlington", region="Virginia", country="UK")
    ProfileFactory(
        display_name="Hidden place",
        city="Arlington",
        region="Virginia",
        country="US",
        location_visibility="only_me",
    )

    # when
    page = _search(viewer, near=near)

    # then
    assert sorted(m.display_name for m in page.items) == sorted(expected)
    assert page.total == len(expected)


def test_near_without_a_place_on_the_profile_is_a_validation_error():
    # given
    viewer = ProfileFactory(city="", region="Virginia", country="US")

    # when
    with pytest.raises(ValidationFailed) as caught:
        _search(viewer, near="city")

    # then
    assert (caught.value.field, caught.value.message) == (
        "near",
        "Add your city to your profile to search near you.",
    )


def test_near_with_an_unknown_scope_is_a_validation_error():
    # given
    viewer = ProfileFactory()

    # when / then
    with pytest.raises(ValidationFailed) as caught:
        _search(viewer, near="planet")
    assert caught.value.field == "near"


def test_profession_filter_matches_part_of_the_profession_and_respects_work_visibility():
    # given
    viewer = ProfileFactory()
    ProfileFactory(display_name="Scientist", profession="Research Scientist")
    ProfileFactory(display_name="Data", profession="Data scientist")
    ProfileFactory(display_name="Lawyer", profession="Lawyer")
    ProfileFactory(display_name="Hidden", profession="Scientist", work_visibility="only_me")

    # when
    page = _search(viewer, profession="Scien")

    # then
    assert sorted(m.display_name for m in page.items) == ["Data", "Scientist"]


def test_more_than_five_interests_is_a_validation_error():
    # given
    viewer = ProfileFactory()
    ids = tuple(InterestFactory().pk for _ in range(6))

    # when / then
    with pytest.raises(ValidationFailed) as caught:
        _search(viewer, interest_ids=ids)
    assert caught.value.field == "interests"


def _ranked_population():
    """A viewer, 5 members who share something (distinct scores), 4 who share nothing."""
    rare = [InterestFactory(name=f"Rare {n}") for n in range(5)]
    viewer = ProfileFactory(display_name="Viewer")
    give_interests(viewer, *rare)
    scored = []
    for n in range(5):
        member = ProfileFactory(display_name=f"Scored {n}")
        give_interests(member, *rare[: 5 - n])  # Scored 0 shares 5, Scored 4 shares 1
        scored.append(member)
    unscored = [ProfileFactory(display_name=f"Unscored {n}") for n in range(4)]
    return viewer, scored, unscored


def test_pages_list_scored_members_first_then_the_rest_without_duplicates():
    # given
    viewer, _, _ = _ranked_population()

    # when
    pages = [_search(viewer, page=n, size=3) for n in (1, 2, 3, 4)]

    # then
    assert [[m.display_name for m in p.items] for p in pages] == [
        ["Scored 0", "Scored 1", "Scored 2"],
        ["Scored 3", "Scored 4", "Unscored 0"],
        ["Unscored 1", "Unscored 2", "Unscored 3"],
        [],
    ]
    assert [(p.total, p.pages, p.has_next, p.has_previous) for p in pages] == [
        (9, 3, True, False),
        (9, 3, True, True),
        (9, 3, False, True),
        (9, 3, False, True),
    ]


@pytest.mark.parametrize("size", [1, 2, 4, 5, 7])
def test_every_page_size_covers_each_member_exactly_once_in_order(size):
    # given
    viewer, scored, unscored = _ranked_population()
    expected = [p.display_name for p in scored + unscored]

    # when
    seen = []
    for number in range(1, 10 // size + 2):
        seen += [m.display_name for m in _search(viewer, page=number, size=size).items]

    # then
    assert seen == expected


def _population_for_query_count(results: int):
    shared = InterestFactory(name="Letterpress")
    viewer = ProfileFactory()
    give_interests(viewer, shared)
    for n in range(results):
        member = ProfileFactory(display_name=f"M{n}")
        give_interests(member, InterestFactory(), InterestFactory())
        if n % 2 == 0:  # half share an interest and are ranked, half are not
            give_interests(member, shared)
    return viewer


MEMBER_SEARCH_QUERIES = 8


@pytest.mark.parametrize("results", [5, 25])
def test_member_search_runs_a_fixed_number_of_queries(results, django_assert_num_queries):
    # given
    viewer_profile = _population_for_query_count(results)
    viewer = Viewer.for_user(viewer_profile.user)

    # when
    with django_assert_num_queries(MEMBER_SEARCH_QUERIES):
        page = member_search(
            viewer=viewer, viewer_profile=viewer_profile, flt=DirectoryFilter(), size=50
        )
        # then: everything the page shows is loaded already
        shown = [(m.display_name, len(m.interests), [r.name for r in m.shared]) for m in page.items]

    assert len(shown) == results
    assert page.total == results
    assert shown[0][2] == ["Letterpress"]
