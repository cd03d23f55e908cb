"""Input checks for the matching engine.

Every error names the argument, what was expected and what was received, so that an operator
running the engine on their own data can fix the input without reading the source.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

__all__ = [
    "MatchingInputError",
    "MatchingTypeError",
    "NotFittedError",
    "check_bool_vector",
    "check_connections",
    "check_exclusions",
    "check_int_vector",
    "check_interest_like",
    "check_interest_row",
    "check_interests",
    "check_k",
    "check_member",
    "check_members",
    "check_non_negative_int",
    "check_non_negative_number",
    "check_positive_int",
]


class MatchingInputError(ValueError):
    """An argument has the right type but an invalid value (shape, sign, range)."""


class MatchingTypeError(TypeError):
    """An argument has the wrong type."""


class NotFittedError(MatchingInputError, AttributeError):
    """The engine was used before :meth:`MatchingEngine.fit`."""


def _describe(value: Any) -> str:
    if sp.issparse(value):
        return f"a {type(value).__name__} of shape {value.shape}"
    if isinstance(value, np.ndarray):
        return f"an ndarray of shape {value.shape} and dtype {value.dtype}"
    return f"{value!r} ({type(value).__name__})"


def check_non_negative_number(name: str, value: object) -> float:
    """Return ``value`` as a float, or raise if it is not a finite number >= 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise MatchingTypeError(f"{name} must be a real number >= 0, got {_describe(value)}")
    as_float = float(value)
    if not np.isfinite(as_float) or as_float < 0:
        raise MatchingInputError(f"{name} must be a finite number >= 0, got {value!r}")
    return as_float


def check_positive_int(name: str, value: object, *, allow_none: bool = False) -> int | None:
    """Return ``value`` as an int >= 1 (or None when allowed)."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        expected = "an int >= 1 or None" if allow_none else "an int >= 1"
        raise MatchingTypeError(f"{name} must be {expected}, got {_describe(value)}")
    if int(value) < 1:
        raise MatchingInputError(f"{name} must be an int >= 1, got {value!r}")
    return int(value)


def check_non_negative_int(name: str, value: object) -> int:
    """Return ``value`` as an int >= 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise MatchingTypeError(f"{name} must be an int >= 0, got {_describe(value)}")
    if int(value) < 0:
        raise MatchingInputError(f"{name} must be an int >= 0, got {value!r}")
    return int(value)


def check_k(k: object) -> int:
    """Return the list length ``k`` as an int >= 1."""
    checked = check_positive_int("k", k)
    assert checked is not None
    return checked


def check_interests(interests: object) -> sp.csr_matrix:
    """Return the members x interests matrix as CSR float32 with sorted, summed entries."""
    matrix = check_interest_like("interests", interests, n_rows=None, n_cols=None)
    if matrix.shape[0] < 1 or matrix.shape[1] < 1:
        raise MatchingInputError(
            f"interests must have at least one member and one interest, got shape {matrix.shape}"
        )
    return matrix


def check_interest_like(
    name: str, value: object, *, n_rows: int | None, n_cols: int | None
) -> sp.csr_matrix:
    """Validate a non-negative sparse matrix and return it as canonical CSR float32."""
    if not sp.issparse(value):
        raise MatchingTypeError(f"{name} must be a scipy.sparse matrix, got {_describe(value)}")
    matrix = sp.csr_matrix(value, dtype=np.float32)
    expected_rows = matrix.shape[0] if n_rows is None else n_rows
    expected_cols = matrix.shape[1] if n_cols is None else n_cols
    if matrix.shape != (expected_rows, expected_cols):
        raise MatchingInputError(
            f"{name} must have shape ({expected_rows}, {expected_cols}), got {matrix.shape}"
        )
    matrix.sum_duplicates()
    matrix.sort_indices()
    if matrix.nnz and not np.all(np.isfinite(matrix.data)):
        raise MatchingInputError(f"{name} must contain only finite values, got NaN or inf")
    if matrix.nnz and matrix.data.min() < 0:
        raise MatchingInputError(
            f"{name} must be non-negative, got a minimum of {float(matrix.data.min())}"
        )
    matrix.eliminate_zeros()
    return matrix


def check_interest_row(value: object, n_interests: int) -> sp.csr_matrix:
    """One member's interests: sparse (1, n_interests) or a dense vector of n_interests."""
    if sp.issparse(value):
        return check_interest_like("interests_row", value, n_rows=1, n_cols=n_interests)
    dense = np.asarray(value)
    if dense.shape != (n_interests,):
        raise MatchingInputError(
            f"interests_row must have shape ({n_interests},) or (1, {n_interests}), "
            f"got shape {dense.shape}"
        )
    row = sp.csr_matrix(dense.reshape(1, -1).astype(np.float64))
    return check_interest_like("interests_row", row, n_rows=1, n_cols=n_interests)


def check_connections(connections: object, n_members: int) -> sp.csr_matrix:
    """Return the connection graph as a symmetric 0/1 CSR float32 matrix without self-loops."""
    if connections is None:
        return sp.csr_matrix((n_members, n_members), dtype=np.float32)
    graph = check_interest_like("connections", connections, n_rows=n_members, n_cols=n_members)
    graph.data[:] = 1.0
    if (graph != graph.T).nnz:
        raise MatchingInputError(
            "connections must be symmetric (a connection goes both ways), got a matrix "
            f"with {(graph != graph.T).nnz} asymmetric entries"
        )
    graph.setdiag(0)
    graph.eliminate_zeros()
    return sp.csr_matrix(graph, dtype=np.float32)


def check_exclusions(exclusions: object, n_members: int) -> sp.csr_matrix:
    """Return excluded pairs as a symmetric boolean CSR matrix (members x members)."""
    if exclusions is None:
        return sp.csr_matrix((n_members, n_members), dtype=bool)
    if sp.issparse(exclusions):
        matrix = sp.csr_matrix(exclusions)
        if matrix.shape != (n_members, n_members):
            raise MatchingInputError(
                f"exclusions must have shape ({n_members}, {n_members}), got {matrix.shape}"
            )
        rows, cols = matrix.nonzero()
    else:
        pairs = np.asarray(exclusions)
        if pairs.size == 0:
            return sp.csr_matrix((n_members, n_members), dtype=bool)
        if pairs.ndim != 2 or pairs.shape[1] != 2 or not np.issubdtype(pairs.dtype, np.integer):
            raise MatchingInputError(
                "exclusions must be a scipy.sparse matrix or an (n, 2) integer array of pairs, "
                f"got {_describe(pairs)}"
            )
        if pairs.min() < 0 or pairs.max() >= n_members:
            raise MatchingInputError(
                f"exclusions must hold member indices in [0, {n_members}), got values in "
                f"[{int(pairs.min())}, {int(pairs.max())}]"
            )
        rows, cols = pairs[:, 0], pairs[:, 1]
    both_rows = np.concatenate([rows, cols])
    both_cols = np.concatenate([cols, rows])
    matrix = sp.csr_matrix(
        (np.ones(both_rows.size, dtype=bool), (both_rows, both_cols)),
        shape=(n_members, n_members),
    )
    matrix.sum_duplicates()
    matrix.sort_indices()
    return matrix


def check_bool_vector(name: str, value: object, n_members: int) -> npt.NDArray[np.bool_]:
    """Return a boolean flag per member (all False when ``value`` is None)."""
    if value is None:
        return np.zeros(n_members, dtype=bool)
    array = np.asarray(value)
    if array.shape != (n_members,):
        raise MatchingInputError(
            f"{name} must be a 1-d array of length {n_members}, got {_describe(array)}"
        )
    if array.dtype != bool and (
        not np.issubdtype(array.dtype, np.integer) or not np.isin(array, (0, 1)).all()
    ):
        raise MatchingTypeError(f"{name} must be a boolean array, got {_describe(array)}")
    return array.astype(bool)


def check_int_vector(
    name: str, value: object, n_members: int, *, low: int, high: int, default: int
) -> npt.NDArray[np.int64]:
    """Return an integer code per member in [low, high] (``default`` when ``value`` is None)."""
    if value is None:
        return np.full(n_members, default, dtype=np.int64)
    array = np.asarray(value)
    if array.shape != (n_members,):
        raise MatchingInputError(
            f"{name} must be a 1-d array of length {n_members}, got {_describe(array)}"
        )
    if not np.issubdtype(array.dtype, np.integer):
        raise MatchingTypeError(f"{name} must be an integer array, got {_describe(array)}")
    if array.size and (array.min() < low or array.max() > high):
        raise MatchingInputError(
            f"{name} must hold integers in [{low}, {high}], got values in "
            f"[{int(array.min())}, {int(array.max())}]"
        )
    return array.astype(np.int64)


def check_member(name: str, value: object, n_members: int) -> int:
    """Return a member index in [0, n_members)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise MatchingTypeError(f"{name} must be an int member index, got {_describe(value)}")
    index = int(value)
    if not 0 <= index < n_members:
        raise MatchingInputError(f"{name} must be a member index in [0, {n_members}), got {index}")
    return index


def check_members(members: object, n_members: int) -> npt.NDArray[np.int64]:
    """Return query member indices (all members when ``members`` is None)."""
    if members is None:
        return np.arange(n_members, dtype=np.int64)
    array = np.atleast_1d(np.asarray(members))
    if array.ndim != 1 or (array.size and not np.issubdtype(array.dtype, np.integer)):
        raise MatchingTypeError(
            f"members must be None or a 1-d sequence of int indices, got {_describe(array)}"
        )
    if array.size and (array.min() < 0 or array.max() >= n_members):
        raise MatchingInputError(
            f"members must hold indices in [0, {n_members}), got values in "
            f"[{int(array.min())}, {int(array.max())}]"
        )
    return array.astype(np.int64)
