"""Never suggested: the member themself, existing connections, excluded pairs."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.matching.conftest import random_graph, random_interests

from commonground_matching import MatchingEngine


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(min_value=2, max_value=30),
    m=st.integers(min_value=1, max_value=8),
    seed=st.integers(min_value=0, max_value=10_000),
    k=st.integers(min_value=1, max_value=6),
)
def test_top_k_is_the_exact_ranking_without_forbidden_pairs(
    n: int, m: int, seed: int, k: int
) -> None:
    # given
    rng = np.random.default_rng(seed)
    interests = random_interests(n, m, 0.3, seed)
    graph = random_graph(n, 0.15, seed + 1)
    exclusions = rng.integers(0, n, size=(3, 2))
    engine = MatchingEngine(kernel="scipy").fit(interests, graph, exclusions=exclusions)
    forbidden = set(map(tuple, exclusions.tolist())) | {(b, a) for a, b in exclusions.tolist()}

    # when
    result = engine.top_k(k=k)

    # then
    for member in range(n):
        ids = result.ids[member][result.ids[member] >= 0]
        assert member not in ids
        assert not set(graph[member].indices) & set(ids.tolist())
        assert not any((member, int(other)) in forbidden for other in ids)
        assert len(set(ids.tolist())) == ids.size
        scores = engine.scores(member)
        best = np.sort(scores[scores > 0])[::-1][:k]
        np.testing.assert_allclose(result.scores[member][: best.size], best, rtol=1e-5)


def test_exclusions_as_sparse_matrix_apply_both_ways() -> None:
    # given: 0-3 identical, 0 blocked 1 (sparse, one direction only)
    interests = sp.csr_matrix(np.array([[1, 0], [1, 0], [1, 0], [1, 0], [0, 1]], dtype=float))
    blocked = sp.csr_matrix(([1.0], ([0], [1])), shape=(5, 5))
    engine = MatchingEngine().fit(interests, exclusions=blocked)

    # when
    result = engine.top_k([0, 1], k=3)

    # then
    assert result.ids.tolist() == [[2, 3, -1], [2, 3, -1]]
    assert np.isneginf(engine.scores(1)[0])


def test_connections_are_never_suggested_even_when_best_match() -> None:
    # given
    interests = random_interests(60, 10, 0.2, 3)
    graph = random_graph(60, 0.1, 4)

    # when
    result = MatchingEngine().fit(interests, graph).top_k(k=15)

    # then
    for member in range(60):
        assert not set(graph[member].indices) & set(result.ids[member].tolist())
