"""Known answers on tiny matrices computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.sparse as sp

from commonground_matching import MatchingEngine


def test_idf_cosine_top_k_on_three_members(tiny_interests: sp.csr_matrix) -> None:
    # given: idf = log(4/3), log(4/3), log(4/2); rows normalized to unit length
    x2_b = math.log(4 / 3) / math.hypot(math.log(4 / 3), math.log(2))
    engine = MatchingEngine().fit(tiny_interests)

    # when
    result = engine.top_k(k=2)

    # then
    assert result.ids.tolist() == [[1, 2], [0, -1], [0, -1]]
    expected = [
        [math.sqrt(0.5), math.sqrt(0.5) * x2_b],
        [math.sqrt(0.5), 0.0],
        [math.sqrt(0.5) * x2_b, 0.0],
    ]
    np.testing.assert_allclose(result.scores, expected, rtol=1e-5)
    assert result.members.tolist() == [0, 1, 2]


def test_shared_niche_outranks_shared_popular_interest() -> None:
    # given: interest 0 is held by everybody but one, interest 1 by members 0 and 5 only
    rows = np.array([[1, 1], [1, 0], [1, 0], [1, 0], [1, 0], [0, 1]], dtype=float)
    engine = MatchingEngine().fit(sp.csr_matrix(rows))

    # when
    best = engine.top_k([0], k=1)

    # then
    assert best.ids.tolist() == [[5]]


def test_adamic_adar_part_is_normalized_by_the_best_pair() -> None:
    # given: 0-1, 0-2, 3-1, 3-2, 4-1; no interests in common
    pairs = [(0, 1), (0, 2), (3, 1), (3, 2), (4, 1)]
    rows = [p[0] for p in pairs] + [p[1] for p in pairs]
    cols = [p[1] for p in pairs] + [p[0] for p in pairs]
    graph = sp.csr_matrix((np.ones(10), (rows, cols)), shape=(5, 5))
    interests = sp.csr_matrix(np.eye(5))
    engine = MatchingEngine(walk_weight=0.0, similar_weight=0.0, network_weight=1.0)
    engine.fit(interests, graph)
    aa_3 = 1 / math.log(3) + 1 / math.log(2)
    aa_4 = 1 / math.log(3)

    # when
    scores = engine.scores(0)

    # then
    assert np.isneginf(scores[[0, 1, 2]]).all()
    np.testing.assert_allclose(scores[[3, 4]], [1.0, aa_4 / aa_3], rtol=1e-5)
    assert engine.top_k([0], k=3).ids.tolist() == [[3, 4, -1]]


def test_mentoring_and_locality_add_their_weights() -> None:
    # given: 0 can teach interest 1, which 2 wants to learn; 0 and 1 share region 7
    interests = sp.csr_matrix(np.eye(3))
    skills = sp.csr_matrix(np.array([[0, 1, 0], [0, 0, 0], [0, 0, 0]], dtype=float))
    wants = sp.csr_matrix(np.array([[0, 0, 0], [0, 0, 0], [0, 1, 0]], dtype=float))
    engine = MatchingEngine(goals_weight=0.5, locality_weight=0.25).fit(
        interests,
        skills=skills,
        wants_to_learn=wants,
        regions=np.array([7, 7, 3]),
        reach=np.array([0, 3, 3]),
    )

    # when
    scores = engine.scores(0)

    # then: skills and wants rows are unit vectors, so mentoring is exactly 1
    np.testing.assert_allclose(scores[1:], [0.25, 0.5], rtol=1e-6)
    assert engine.top_k([0], k=2).ids.tolist() == [[2, 1]]


def test_hiring_meets_seeking_adds_to_shared_interests() -> None:
    # given: 0 hires, 1 seeks, 2 does neither; 1 and 2 hold exactly 0's interests
    interests = sp.csr_matrix(np.array([[1, 1], [1, 1], [1, 1], [0, 1]], dtype=float))
    engine = MatchingEngine(goals_weight=1.0, hiring_weight=0.5).fit(
        interests,
        hiring=np.array([1, 0, 0, 0], dtype=bool),
        seeking=np.array([0, 1, 0, 0], dtype=bool),
    )

    # when
    scores = engine.scores(0)

    # then
    assert scores[1] == pytest.approx(1.5 * scores[2], rel=1e-5)
    assert engine.top_k([0], k=1).ids.tolist() == [[1]]


def test_fewer_candidates_than_k_pads_with_minus_one() -> None:
    # given: nobody shares anything with member 2
    interests = sp.csr_matrix(np.array([[1, 0], [1, 0], [0, 1]], dtype=float))
    engine = MatchingEngine().fit(interests)

    # when
    result = engine.top_k([2], k=3)

    # then
    assert result.ids.tolist() == [[-1, -1, -1]]
    assert result.scores.tolist() == [[0.0, 0.0, 0.0]]


def test_ties_go_to_the_lower_id() -> None:
    # given: members 1, 2 and 3 are identical matches for member 0
    interests = sp.csr_matrix(np.array([[1, 0], [1, 0], [1, 0], [1, 0], [0, 1]], dtype=float))
    engine = MatchingEngine().fit(interests)

    # when
    result = engine.top_k([3, 0], k=2)

    # then
    assert result.ids.tolist() == [[0, 1], [1, 2]]
