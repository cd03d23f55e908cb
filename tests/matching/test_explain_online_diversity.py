"""Explanations add up; online updates are seen at once; diversity spreads exposure."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from tests.matching.conftest import random_graph, random_interests

from commonground_matching import MatchingEngine, exposure_gini


def test_explanation_parts_sum_to_the_score() -> None:
    # given
    n = 120
    rng = np.random.default_rng(31)
    engine = MatchingEngine(goals_weight=0.7, locality_weight=0.1).fit(
        random_interests(n, 30, 0.1, 31),
        random_graph(n, 0.05, 32),
        skills=random_interests(n, 30, 0.05, 33),
        wants_to_learn=random_interests(n, 30, 0.05, 34),
        hiring=rng.random(n) < 0.2,
        seeking=rng.random(n) < 0.2,
        regions=rng.integers(-1, 4, n),
        reach=rng.integers(0, 4, n),
    )
    result = engine.top_k(k=5)

    # when
    explanations = [
        engine.explain(a, int(b)) for a in range(0, n, 9) for b in result.ids[a] if b >= 0
    ]

    # then
    assert len(explanations) > 40
    for why in explanations:
        parts = why.interest_score + why.network_score + why.goals_score + why.locality_score
        assert why.total == pytest.approx(parts)
        assert why.score == pytest.approx(float(engine.scores(why.a)[why.b]), rel=1e-4, abs=1e-6)
        assert why.interest_score == pytest.approx(sum(c for _, c in why.shared_interests))


def test_explanation_names_shared_interests_and_mutual_connections() -> None:
    # given: 0 and 3 share interest 2 (a niche) and interest 0; both know 1 and 2
    interests = sp.csr_matrix(
        np.array([[1, 0, 1], [1, 1, 0], [1, 1, 0], [1, 0, 1], [0, 1, 0]], dtype=float)
    )
    graph = sp.csr_matrix(
        np.array(
            [[0, 1, 1, 0, 0], [1, 0, 0, 1, 0], [1, 0, 0, 1, 0], [0, 1, 1, 0, 0], [0, 0, 0, 0, 0]],
            dtype=float,
        )
    )
    engine = MatchingEngine().fit(interests, graph)

    # when
    why = engine.explain(0, 3)

    # then
    assert [interest for interest, _ in why.shared_interests] == [2, 0]
    assert why.mutual_connections == [1, 2]
    assert why.n_mutual_connections == 2
    assert why.network_parts["adamic_adar"] == pytest.approx(1.0)


def test_update_member_is_seen_by_the_member_and_by_others() -> None:
    # given
    interests = random_interests(200, 40, 0.08, 41)
    engine = MatchingEngine().fit(interests)
    new_row = np.zeros(40)
    new_row[[3, 17]] = [1.0, 2.0]

    # when
    engine.update_member(5, new_row)
    own = engine.top_k([5], k=10)
    everybody = engine.top_k(k=10)

    # then
    scores = engine.scores(5)
    expected = np.lexsort((np.arange(200), -scores))[:10]
    np.testing.assert_array_equal(own.ids[0][own.ids[0] >= 0], expected[scores[expected] > 0])
    np.testing.assert_array_equal(everybody.ids[5], own.ids[0])
    for member in range(200):
        exact = engine.scores(member)
        found = everybody.ids[member][everybody.ids[member] >= 0]
        np.testing.assert_allclose(everybody.scores[member][: found.size], exact[found], rtol=1e-5)


def test_many_updates_fold_into_the_base_matrices() -> None:
    # given
    engine = MatchingEngine().fit(random_interests(300, 30, 0.1, 42))
    rows = random_interests(300, 30, 0.1, 43)

    # when
    for member in range(300):
        engine.update_member(member, rows[member])
    result = engine.top_k(k=5)

    # then: folded once past 256 pending rows, and lists still match brute force
    assert len(engine.state_.overrides) == 300 - 257
    for member in (0, 7, 299):
        scores = engine.scores(member)
        expected = np.lexsort((np.arange(300), -scores))[:5]
        np.testing.assert_array_equal(result.ids[member], expected)


def test_diversity_lowers_exposure_concentration() -> None:
    # given: a few members share everything with everybody
    rng = np.random.default_rng(51)
    dense = (rng.random((400, 60)) < 0.05).astype(float)
    dense[:5, :] = 1.0
    dense[:, :] += rng.random((400, 60)) < 0.02
    interests = sp.csr_matrix(dense)

    # when
    plain = MatchingEngine().fit(interests).top_k(k=5)
    diverse = MatchingEngine(diversity=3.0).fit(interests).top_k(k=5)

    # then
    assert diverse.exposure_gini(400) < plain.exposure_gini(400)
    assert exposure_gini(plain.ids, 400) == plain.exposure_gini(400)
