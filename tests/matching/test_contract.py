"""The scikit-learn contract: what fit, top_k and friends promise whatever the data."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from tests.matching.conftest import random_graph, random_interests

from commonground_matching import MatchingEngine, NotFittedError

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _fitted(seed: int = 0, **params: object) -> MatchingEngine:
    interests = random_interests(150, 40, 0.06, seed)
    graph = random_graph(150, 0.03, seed + 1)
    return MatchingEngine(**params).fit(interests, graph)  # type: ignore[arg-type]


def test_fit_returns_self() -> None:
    # given
    engine = MatchingEngine()

    # when
    returned = engine.fit(random_interests(20, 5, 0.3, 0))

    # then
    assert returned is engine
    assert engine.n_members_ == 20
    assert engine.n_interests_ == 5


def test_init_stores_parameters_untouched() -> None:
    # given
    params = {"interest_weight": 2, "network_weight": 0.0, "n_jobs": None, "kernel": "scipy"}

    # when
    engine = MatchingEngine(**params)  # type: ignore[arg-type]

    # then
    assert {name: engine.get_params()[name] for name in params} == params
    assert engine.interest_weight == 2
    assert not hasattr(engine, "state_")


def test_fit_does_not_change_parameters() -> None:
    # given
    engine = MatchingEngine(similar_members=7)
    before = engine.get_params()

    # when
    engine.fit(random_interests(30, 6, 0.3, 1))

    # then
    assert engine.get_params() == before


def test_refit_equals_fresh_fit() -> None:
    # given
    interests, graph = random_interests(120, 30, 0.08, 3), random_graph(120, 0.04, 4)
    engine = MatchingEngine().fit(random_interests(50, 10, 0.2, 9))

    # when
    refit = engine.fit(interests, graph).top_k(k=7)
    fresh = MatchingEngine().fit(interests, graph).top_k(k=7)

    # then
    np.testing.assert_array_equal(refit.ids, fresh.ids)
    np.testing.assert_array_equal(refit.scores, fresh.scores)


def test_batch_equals_single() -> None:
    # given
    engine = _fitted(seed=5)
    batch = engine.top_k(k=10)

    # when
    singles = [engine.top_k([member], k=10) for member in range(0, 150, 7)]

    # then
    for single in singles:
        member = int(single.members[0])
        np.testing.assert_array_equal(single.ids[0], batch.ids[member])
        np.testing.assert_allclose(single.scores[0], batch.scores[member], rtol=1e-6)


def test_result_scores_equal_scores_of_the_member() -> None:
    # given
    engine = _fitted(seed=6)

    # when
    result = engine.top_k(k=10)

    # then
    for member in range(0, 150, 11):
        found = result.ids[member] >= 0
        exact = engine.scores(member)[result.ids[member][found]]
        np.testing.assert_allclose(result.scores[member][found], exact, rtol=1e-5, atol=1e-7)


def test_pickling_round_trip_keeps_results() -> None:
    # given
    engine = _fitted(seed=7)
    expected = engine.top_k(k=5)

    # when
    restored = pickle.loads(pickle.dumps(engine))

    # then
    np.testing.assert_array_equal(restored.top_k(k=5).ids, expected.ids)
    assert restored.get_params() == engine.get_params()


def test_both_kernels_agree_where_both_are_certified() -> None:
    # given
    interests = random_interests(300, 60, 0.05, 8)

    # when
    scipy_result = MatchingEngine(kernel="scipy").fit(interests).top_k(k=8)
    auto_result = MatchingEngine(kernel="auto").fit(interests).top_k(k=8)

    # then
    both = scipy_result.certified & auto_result.certified
    assert both.mean() > 0.5
    np.testing.assert_array_equal(scipy_result.ids[both], auto_result.ids[both])


def test_unfitted_engine_says_so() -> None:
    # given
    engine = MatchingEngine()

    # when / then
    with pytest.raises(NotFittedError, match="not fitted"):
        engine.top_k()
