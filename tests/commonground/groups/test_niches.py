"""Unmet niches: known answers, agreement with brute force, coverage, who counts, display."""

from __future__ import annotations

import itertools
import random
from collections import Counter

import pytest

from commonground.groups.models import UnmetNiche
from commonground.groups.niches import niche_list_for, niche_mine
from commonground.profiles.selectors import Viewer
from tests.commonground.factories import (
    InterestFactory,
    NewMemberFactory,
    ProfileFactory,
    give_interests,
)
from tests.commonground.groups.helpers import make_group

pytestmark = pytest.mark.django_db

DC = {"city": "Washington", "region": "District of Columbia", "country": "US"}
VA = {"city": "Arlington", "region": "Virginia", "country": "US"}


def _stored() -> set[tuple[str, str, tuple[int, ...], int]]:
    return {
        (n.level, n.region_key, tuple(sorted(n.interest_ids)), n.member_count)
        for n in UnmetNiche.objects.all()
    }


def test_known_answer_per_region_country_and_everywhere():
    # given: 4 in DC love kittens and bacon (3 of them tea too); 2 in Virginia love both
    kittens, bacon, tea = (InterestFactory(name=n) for n in ("Kittens", "Bacon", "Tea"))
    for i in range(4):
        give_interests(ProfileFactory(**DC), kittens, bacon, *([tea] if i < 3 else []))
    for _ in range(2):
        give_interests(ProfileFactory(**VA), kittens, bacon)
    k, b, t = kittens.pk, bacon.pk, tea.pk
    kb, kt, bt, kbt = (k, b), (k, t), (b, t), (k, b, t)
    # when
    summary = niche_mine(min_members=3)
    # then
    assert (summary.members, summary.places) == (6, 4)
    assert _stored() == {
        ("region", "district of columbia", kb, 4),
        ("region", "district of columbia", kt, 3),
        ("region", "district of columbia", bt, 3),
        ("region", "district of columbia", kbt, 3),
        ("country", "", kb, 6),
        ("country", "", kt, 3),
        ("country", "", bt, 3),
        ("country", "", kbt, 3),
        ("everywhere", "", kb, 6),
        ("everywhere", "", kt, 3),
        ("everywhere", "", bt, 3),
        ("everywhere", "", kbt, 3),
    }
    assert summary.niches == 12
    assert UnmetNiche.objects.filter(level="region").first().place == "District of Columbia, US"


def test_pairs_only_with_max_size_2_and_a_rerun_replaces_everything():
    kittens, bacon, tea = InterestFactory(), InterestFactory(), InterestFactory()
    for _ in range(3):
        give_interests(ProfileFactory(**DC), kittens, bacon, tea)
    niche_mine(min_members=3)
    assert UnmetNiche.objects.count() == 3 * 4
    niche_mine(min_members=3, max_size=2)
    assert UnmetNiche.objects.count() == 3 * 3
    assert not UnmetNiche.objects.filter(interest_c__isnull=False).exists()


def test_mining_agrees_with_brute_force_counting():
    # given: a random community over 7 interests and 3 places
    rng = random.Random(7)
    interests = [InterestFactory() for _ in range(7)]
    places = [DC, VA, {"city": "Lyon", "region": "ARA", "country": "France"}]
    holdings = []
    for _ in range(60):
        place = rng.choice(places)
        held = rng.sample(interests, rng.randint(1, 5))
        give_interests(ProfileFactory(**place), *held)
        holdings.append((place, {i.pk for i in held}))
    # when
    niche_mine(min_members=4)
    # then
    expected = set()
    by_place: dict[tuple[str, str], list[set[int]]] = {}
    for place, held in holdings:
        by_place.setdefault(("region", place["region"].casefold()), []).append(held)
        by_place.setdefault(("country", place["country"].casefold()), []).append(held)
        by_place.setdefault(("everywhere", ""), []).append(held)
    for (level, key), sets in by_place.items():
        counts: Counter[tuple[int, ...]] = Counter()
        for held in sets:
            for size in (2, 3):
                counts.update(itertools.combinations(sorted(held), size))
        for combo, count in counts.items():
            if count >= 4:
                expected.add((level, key if level == "region" else "", combo, count))
    stored = {
        (n.level, n.region_key, tuple(sorted(n.interest_ids)), n.member_count)
        for n in UnmetNiche.objects.all()
    }
    assert stored == expected
    assert len(expected) > 20


def test_groups_cover_combinations_where_they_reach():
    # given
    kittens, bacon, tea, jam = (InterestFactory() for _ in range(4))
    for _ in range(3):
        give_interests(ProfileFactory(**DC), kittens, bacon, tea, jam)
    owner = ProfileFactory(**DC)
    # a regional {kittens, bacon} group in DC, a virtual {tea, jam} one, a secret {kittens,
    # tea} one and a one-interest {bacon} one
    make_group(owner, kittens, bacon, scope="regional", region="District of Columbia", country="US")
    make_group(owner, tea, jam)
    make_group(owner, kittens, tea, visibility="secret")
    make_group(owner, bacon)
    k, b, t, j = kittens.pk, bacon.pk, tea.pk, jam.pk
    # when
    niche_mine(min_members=3)
    # then
    regional = {tuple(sorted(n.interest_ids)) for n in UnmetNiche.objects.filter(level="region")}
    country = {tuple(sorted(n.interest_ids)) for n in UnmetNiche.objects.filter(level="country")}
    every_pair_and_triple = {
        tuple(sorted(c)) for s in (2, 3) for c in itertools.combinations((k, b, t, j), s)
    }
    covered_everywhere = {c for c in every_pair_and_triple if {t, j} <= set(c)}
    covered_in_dc = covered_everywhere | {c for c in every_pair_and_triple if {k, b} <= set(c)}
    assert regional == every_pair_and_triple - covered_in_dc
    assert country == every_pair_and_triple - covered_everywhere
    assert tuple(sorted((k, t))) in regional  # the secret group covers nothing


def test_only_listed_members_whose_interests_members_may_see_count():
    kittens, bacon = InterestFactory(), InterestFactory()
    for _ in range(2):
        give_interests(ProfileFactory(**DC), kittens, bacon)
    give_interests(ProfileFactory(**DC, interests_visibility="only_me"), kittens, bacon)
    give_interests(NewMemberFactory(), kittens, bacon)
    summary = niche_mine(min_members=3)
    assert (summary.members, summary.niches) == (2, 0)
    niche_mine(min_members=2)
    assert {n.member_count for n in UnmetNiche.objects.all()} == {2}


def test_a_member_sees_their_places_niches_with_one_of_their_interests_region_first():
    # given
    kittens, bacon, tea, jam = (InterestFactory(name=n) for n in ("Kittens", "Bacon", "Tea", "Jam"))
    for _ in range(3):
        give_interests(ProfileFactory(**DC), kittens, bacon)
        give_interests(ProfileFactory(**VA), tea, jam)
    for _ in range(2):
        give_interests(ProfileFactory(**DC), tea, jam)
    me = ProfileFactory(**DC)
    give_interests(me, kittens, jam)
    niche_mine(min_members=3, max_size=2)
    # when
    shown = niche_list_for(viewer=Viewer.for_user(me.user))
    # then: DC's kittens+bacon, then the country's (US) jam+tea; the same pairs again for
    # the country or the community are left out
    assert [([i.name for i in n.interests], n.where, n.niche.member_count) for n in shown] == [
        (["Bacon", "Kittens"], "in your region", 3),
        (["Jam", "Tea"], "in your country", 5),
    ]
    assert shown[0].scope == "regional"
    assert niche_list_for(viewer=Viewer(user_id=None)) == []


def test_starting_the_group_takes_its_niche_away_at_once(django_capture_on_commit_callbacks):
    kittens, bacon = InterestFactory(), InterestFactory()
    for _ in range(3):
        give_interests(ProfileFactory(**DC), kittens, bacon)
    niche_mine(min_members=3)
    assert UnmetNiche.objects.count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        make_group(
            ProfileFactory(**DC),
            kittens,
            bacon,
            scope="national",
            country="US",
        )
    assert list(UnmetNiche.objects.values_list("level", flat=True)) == ["everywhere"]


def test_the_niches_command_mines_and_summarizes():
    from io import StringIO

    from django.core.management import call_command

    kittens, bacon = InterestFactory(), InterestFactory()
    for _ in range(3):
        give_interests(ProfileFactory(**DC), kittens, bacon)
    out = StringIO()
    call_command("niches", "--min-members", "3", stdout=out)
    assert "3 members · 3 places · 3 unmet niches stored" in out.getvalue()
    assert UnmetNiche.objects.count() == 3
