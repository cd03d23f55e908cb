"""The directory ranks by the engine's interest score: the product's database formula
(commonground.interests.weights + stored norms) against the engine itself."""

from __future__ import annotations

import random

import numpy as np
import pytest

from commonground.interests.services import member_interest_norms_refresh
from commonground.profiles.directory import DirectoryFilter, member_search
from commonground.profiles.selectors import Viewer, member_get
from commonground.suggestions.matrices import build_matrices
from commonground_matching import MatchingEngine
from tests.commonground.factories import InterestFactory, ProfileFactory, give_interests

pytestmark = pytest.mark.django_db

INTEREST_ONLY = {
    "network_weight": 0.0,
    "walk_weight": 0.0,
    "similar_weight": 0.0,
    "tag_weight": 0.0,
    "goals_weight": 0.0,
    "hiring_weight": 0.0,
    "locality_weight": 0.0,
}


@pytest.fixture
def community():
    """24 members, 12 interests of uneven popularity, intensities 1-3, seeded."""
    rng = random.Random(5)
    interests = [InterestFactory(name=f"Interest {n}") for n in range(12)]
    members = [ProfileFactory(display_name=f"Member {n:02d}") for n in range(24)]
    for member in members:
        held = rng.sample(interests, rng.randint(1, 5)) + [interests[0]] * (rng.random() < 0.7)
        for interest in dict.fromkeys(held):
            give_interests(member, interest, intensity=rng.choice([1, 2, 3]))
    member_interest_norms_refresh()
    return members


def test_directory_scores_and_order_equal_the_engine_interest_cosine(community):
    # given: the engine on the same community, interest part alone
    matrices = build_matrices()
    engine = MatchingEngine(**INTEREST_ONLY).fit(matrices.interests)

    for viewer_profile in community[:6]:
        # when
        page = member_search(
            viewer=Viewer.for_user(viewer_profile.user),
            viewer_profile=viewer_profile,
            flt=DirectoryFilter(),
            size=30,
        )

        # then: each member's score is the engine's, and the list is in the engine's order
        expected = engine.scores(matrices.index_of[viewer_profile.user_id])
        by_public_id = {p.user.public_id: expected[matrices.index_of[p.user_id]] for p in community}
        scores = [item.score for item in page.items]
        assert len(page.items) == 23
        np.testing.assert_allclose(
            scores, [max(by_public_id[i.public_id], 0.0) for i in page.items], atol=1e-6
        )
        assert scores == sorted(scores, reverse=True)
        assert scores[0] > 0


def test_the_member_page_shows_the_same_score_as_the_directory(community):
    # given
    viewer_profile, other = community[0], community[1]
    viewer = Viewer.for_user(viewer_profile.user)

    # when
    listed = member_search(
        viewer=viewer, viewer_profile=viewer_profile, flt=DirectoryFilter(), size=30
    )
    page = member_get(viewer=viewer, public_id=other.user.public_id)

    # then
    [same] = [item for item in listed.items if item.public_id == other.user.public_id]
    assert page.score == pytest.approx(same.score, abs=1e-12)


def test_an_edit_refreshes_the_members_norm_at_once(community):
    # given
    member = community[3]
    before = member.user.interest_norm.inverse

    # when: one more, rare interest lengthens the row
    give_interests(member, InterestFactory(name="Letterpress"), intensity=3)

    # then
    member.user.interest_norm.refresh_from_db()
    assert member.user.interest_norm.inverse < before
