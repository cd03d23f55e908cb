"""Invalid input raises an error naming the argument, the expectation and what came."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from commonground_matching import MatchingEngine, MatchingInputError, MatchingTypeError


@pytest.fixture
def interests() -> sp.csr_matrix:
    return sp.csr_matrix(np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]))


def test_dense_interests_are_refused_by_name() -> None:
    # when / then
    with pytest.raises(MatchingTypeError, match=r"interests must be a scipy.sparse matrix, got"):
        MatchingEngine().fit(np.ones((3, 2)))  # type: ignore[arg-type]


def test_negative_interest_weight_is_refused(interests: sp.csr_matrix) -> None:
    # given
    negative = interests.copy()
    negative.data[0] = -2.0

    # when / then
    with pytest.raises(
        MatchingInputError, match=r"interests must be non-negative, got a minimum of -2"
    ):
        MatchingEngine().fit(negative)


def test_asymmetric_connections_are_refused(interests: sp.csr_matrix) -> None:
    # given
    one_way = sp.csr_matrix(([1.0], ([0], [1])), shape=(3, 3))

    # when / then
    with pytest.raises(MatchingInputError, match="connections must be symmetric"):
        MatchingEngine().fit(interests, one_way)


def test_connections_of_the_wrong_shape_are_refused(interests: sp.csr_matrix) -> None:
    # when / then
    with pytest.raises(
        MatchingInputError, match=r"connections must have shape \(3, 3\), got \(2, 2\)"
    ):
        MatchingEngine().fit(interests, sp.eye(2, format="csr"))


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"regions": np.array([0, 1])}, r"regions must be a 1-d array of length 3"),
        (
            {"reach": np.array([0, 4, 1])},
            r"reach must hold integers in \[0, 3\], got values in \[0, 4\]",
        ),
        ({"hiring": np.array([0.5, 1, 0])}, r"hiring must be a boolean array"),
        ({"exclusions": np.array([[0, 5]])}, r"exclusions must hold member indices in \[0, 3\)"),
        ({"skills": sp.eye(3, 3, format="csr")}, r"skills must have shape \(3, 2\), got \(3, 3\)"),
    ],
)
def test_optional_inputs_are_checked_by_name(
    interests: sp.csr_matrix, arguments: dict[str, object], message: str
) -> None:
    # when / then
    with pytest.raises((MatchingInputError, MatchingTypeError), match=message):
        MatchingEngine().fit(interests, **arguments)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"interest_weight": -1.0}, r"interest_weight must be a finite number >= 0, got -1.0"),
        ({"network_weight": "high"}, r"network_weight must be a real number >= 0, got 'high'"),
        ({"rescore_margin": -1}, r"rescore_margin must be an int >= 0, got -1"),
        (
            {"kernel": "gpu"},
            r"kernel must be one of \('auto', 'numba', 'sparse_dot_topn', 'scipy'\), got 'gpu'",
        ),
        ({"n_jobs": 0}, r"n_jobs must be an int >= 1, got 0"),
    ],
)
def test_bad_parameters_are_reported_at_fit(
    interests: sp.csr_matrix, params: dict[str, object], message: str
) -> None:
    # when / then
    with pytest.raises((MatchingInputError, MatchingTypeError), match=message):
        MatchingEngine(**params).fit(interests)  # type: ignore[arg-type]


def test_query_arguments_are_checked(interests: sp.csr_matrix) -> None:
    # given
    engine = MatchingEngine().fit(interests)

    # when / then
    with pytest.raises(MatchingInputError, match=r"k must be an int >= 1, got 0"):
        engine.top_k(k=0)
    with pytest.raises(MatchingInputError, match=r"members must hold indices in \[0, 3\), got"):
        engine.top_k([7])
    with pytest.raises(MatchingTypeError, match=r"member must be an int member index, got"):
        engine.scores(1.5)  # type: ignore[arg-type]
    with pytest.raises(MatchingInputError, match=r"b must be a member index in \[0, 3\), got -1"):
        engine.explain(0, -1)
    with pytest.raises(MatchingInputError, match=r"interests_row must have shape \(2,\)"):
        engine.update_member(0, np.ones(3))


def test_errors_are_value_and_type_errors() -> None:
    # then
    assert issubclass(MatchingInputError, ValueError)
    assert issubclass(MatchingTypeError, TypeError)
