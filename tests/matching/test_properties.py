"""Properties that hold for any input (hypothesis)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.matching.conftest import random_graph, random_interests

from commonground_matching import MatchingEngine, exposure_gini


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(min_value=3, max_value=25),
    seed=st.integers(min_value=0, max_value=10_000),
    a=st.integers(min_value=0, max_value=24),
    b=st.integers(min_value=0, max_value=24),
)
def test_explanation_total_is_the_score(n: int, seed: int, a: int, b: int) -> None:
    # given
    a, b = a % n, b % n
    rng = np.random.default_rng(seed)
    engine = MatchingEngine(goals_weight=0.5, locality_weight=0.2).fit(
        random_interests(n, 6, 0.3, seed),
        random_graph(n, 0.2, seed + 1),
        skills=random_interests(n, 6, 0.2, seed + 2),
        wants_to_learn=random_interests(n, 6, 0.2, seed + 3),
        regions=rng.integers(-1, 3, n),
    )

    # when
    why = engine.explain(a, b)
    score = float(engine.scores(a)[b])

    # then
    if np.isfinite(score):
        assert why.score == pytest.approx(score, rel=1e-4, abs=1e-6)
    assert why.total >= 0.0


@settings(max_examples=50, deadline=None)
@given(
    ids=st.lists(
        st.lists(st.integers(min_value=-1, max_value=9), min_size=3, max_size=3),
        min_size=1,
        max_size=20,
    ),
)
def test_exposure_gini_is_between_0_and_1(ids: list[list[int]]) -> None:
    # when
    gini = exposure_gini(np.array(ids, dtype=np.int64), 10)

    # then
    assert 0.0 <= gini < 1.0


@settings(max_examples=25, deadline=None)
@given(n=st.integers(min_value=2, max_value=40), seed=st.integers(min_value=0, max_value=10_000))
def test_scores_are_sorted_and_ids_padded_consistently(n: int, seed: int) -> None:
    # given
    engine = MatchingEngine().fit(random_interests(n, 5, 0.3, seed))

    # when
    result = engine.top_k(k=4)

    # then
    assert np.all(np.diff(result.scores, axis=1) <= 1e-7)
    assert np.array_equal(result.ids < 0, result.scores == 0)
