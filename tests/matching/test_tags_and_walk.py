"""The second interest view (``tags``) and the weight of similar members in the walk."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.sparse as sp
from tests.matching.conftest import random_graph, random_interests

from commonground_matching import MatchingEngine, MatchingInputError, MatchingTypeError
from commonground_matching.weighting import walk_matrix


def _tags() -> sp.csr_matrix:
    # tag 0: members 0 and 2 (rare); tag 1: members 0, 1, 2 (common); member 3 has none
    return sp.csr_matrix(np.array([[1.0, 1.0], [0.0, 1.0], [1.0, 1.0], [0.0, 0.0]]))


def test_shared_rare_tag_decides_when_interests_are_silent() -> None:
    # given: no interest is shared by anybody; tags as above
    interests = sp.csr_matrix(np.eye(4))
    engine = MatchingEngine(tag_weight=0.5).fit(interests, tags=_tags())
    # idf: tag 0 log(5/3), tag 1 log(5/4); member 1 holds only tag 1
    t0, t1 = math.log(5 / 3), math.log(5 / 4)
    cos_01 = t1 / math.hypot(t0, t1)

    # when
    result = engine.top_k([0], k=3)
    scores = engine.scores(0)

    # then: 2 has exactly 0's tags (cosine 1, the best: 0.5 * 1); 1 shares the common one
    assert result.ids.tolist() == [[2, 1, -1]]
    np.testing.assert_allclose(result.scores[0, :2], [0.5, 0.5 * cos_01], rtol=1e-5)
    np.testing.assert_allclose(scores[[1, 2, 3]], [0.5 * cos_01, 0.5, 0.0], rtol=1e-5)


def test_explain_lists_shared_tags_and_adds_up() -> None:
    # given
    interests = sp.csr_matrix(np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 1.0]]))
    engine = MatchingEngine(tag_weight=0.5).fit(interests, tags=_tags())

    # when
    why = engine.explain(0, 2)

    # then: both tags are shared, the rarer one first
    assert [tag for tag, _ in why.shared_tags] == [0, 1]
    assert why.tag_score == pytest.approx(0.5, rel=1e-5)
    assert why.total == pytest.approx(float(engine.scores(0)[2]), rel=1e-5)


def test_explain_without_tags_has_no_tag_part(tiny_interests: sp.csr_matrix) -> None:
    # given
    engine = MatchingEngine().fit(tiny_interests)

    # when
    why = engine.explain(0, 1)

    # then
    assert why.shared_tags == []
    assert why.tag_score == 0.0


def test_tag_weight_zero_equals_no_tags() -> None:
    # given
    interests = random_interests(60, 40, 0.08, seed=3)
    graph = random_graph(60, 0.06, seed=4)
    tags = random_interests(60, 15, 0.1, seed=5)

    # when
    with_zero = MatchingEngine(tag_weight=0.0).fit(interests, graph, tags=tags).top_k(k=5)
    without = MatchingEngine().fit(interests, graph).top_k(k=5)

    # then
    assert with_zero.ids.tolist() == without.ids.tolist()
    np.testing.assert_allclose(with_zero.scores, without.scores, rtol=1e-6)


def test_top_k_with_tags_matches_brute_force() -> None:
    # given
    interests = random_interests(120, 80, 0.05, seed=7)
    graph = random_graph(120, 0.03, seed=8)
    tags = random_interests(120, 30, 0.08, seed=9)
    engine = MatchingEngine().fit(interests, graph, tags=tags)
    k = 10

    # when
    result = engine.top_k(k=k)

    # then: every list is the brute-force top-k of scores()
    hits = 0
    for member in range(120):
        scores = engine.scores(member)
        finite = np.flatnonzero(np.isfinite(scores) & (scores > 0))
        best = finite[np.lexsort((finite, -scores[finite]))][:k]
        hits += len(set(best.tolist()) & set(result.ids[member].tolist()))
        np.testing.assert_allclose(
            result.scores[member][result.ids[member] >= 0],
            scores[result.ids[member][result.ids[member] >= 0]],
            rtol=1e-5,
        )
    assert hits / (120 * k) >= 0.99


def test_tags_with_wrong_row_count_name_the_argument() -> None:
    # given
    interests = sp.csr_matrix(np.eye(4))

    # when / then
    with pytest.raises(MatchingInputError, match=r"tags must have shape \(4, 2\), got \(3, 2\)"):
        MatchingEngine().fit(interests, tags=sp.csr_matrix(np.ones((3, 2))))


def test_negative_or_dense_tags_are_refused() -> None:
    # given
    interests = sp.csr_matrix(np.eye(2))

    # when / then
    with pytest.raises(MatchingInputError, match="tags must be non-negative"):
        MatchingEngine().fit(interests, tags=sp.csr_matrix(np.array([[-1.0], [1.0]])))
    with pytest.raises(MatchingTypeError, match=r"tags must be a scipy\.sparse matrix"):
        MatchingEngine().fit(interests, tags=np.ones((2, 1)))  # type: ignore[arg-type]


def test_negative_weights_name_the_parameter() -> None:
    # given
    interests = sp.csr_matrix(np.eye(2))

    # when / then
    with pytest.raises(MatchingInputError, match="tag_weight"):
        MatchingEngine(tag_weight=-1.0).fit(interests)
    with pytest.raises(MatchingInputError, match="walk_similar_weight"):
        MatchingEngine(walk_similar_weight=-0.5).fit(interests)


def test_walk_matrix_weighs_similar_members_against_connections() -> None:
    # given: 0-1 connected; 0 finds 2 similar (cosine 0.5); 2 has no connection
    graph = sp.csr_matrix(np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]]))
    similar = sp.csr_matrix(np.array([[0.0, 0.0, 0.5], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]))

    # when
    light = walk_matrix(graph, similar, 0.25).toarray()
    full = walk_matrix(graph, similar, 1.0).toarray()

    # then: edge 0-2 weighs 0.125 (resp. 0.5) against 1 for the connection
    np.testing.assert_allclose(light[0], [0.0, 1 / 1.125, 0.125 / 1.125], rtol=1e-6)
    np.testing.assert_allclose(full[0], [0.0, 1 / 1.5, 0.5 / 1.5], rtol=1e-6)
    np.testing.assert_allclose(light[2], [1.0, 0.0, 0.0], rtol=1e-6)


def test_walk_similar_weight_zero_walks_over_connections_only() -> None:
    # given: path 0-1-2 plus 3 who shares 0's interests but knows nobody
    graph = sp.csr_matrix(
        np.array([[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 0]], dtype=float)
    )
    interests = sp.csr_matrix(np.array([[1, 0], [0, 1], [0, 1], [1, 0]], dtype=float))
    params = {"network_weight": 0.0, "similar_weight": 0.0}

    # when
    walk_only = MatchingEngine(walk_similar_weight=0.0, **params).fit(interests, graph)
    with_similar = MatchingEngine(walk_similar_weight=1.0, **params).fit(interests, graph)

    # then: without similar edges the walk from 0 reaches only 2 (via 1); with them also 3
    assert walk_only.explain(0, 3).network_parts["walk"] == 0.0
    assert walk_only.explain(0, 2).network_parts["walk"] > 0.0
    assert with_similar.explain(0, 3).network_parts["walk"] > 0.0


def test_online_update_keeps_tags_and_matches_brute_force() -> None:
    # given
    interests = random_interests(80, 50, 0.06, seed=11)
    graph = random_graph(80, 0.04, seed=12)
    tags = random_interests(80, 20, 0.1, seed=13)
    engine = MatchingEngine().fit(interests, graph, tags=tags)
    new_row = sp.csr_matrix(random_interests(1, 50, 0.2, seed=14))

    # when
    engine.update_member(5, new_row)
    result = engine.top_k([5], k=5)

    # then
    scores = engine.scores(5)
    np.testing.assert_allclose(result.scores[0], scores[result.ids[0]], rtol=1e-5)
    finite = np.flatnonzero(np.isfinite(scores) & (scores > 0))
    best = finite[np.lexsort((finite, -scores[finite]))][:5]
    assert result.ids[0].tolist() == best.tolist()
    assert engine.explain(5, int(best[0])).score == pytest.approx(float(scores[best[0]]), rel=1e-5)
