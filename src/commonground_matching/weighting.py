"""How raw inputs become the weighted matrices the score is made of."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

__all__ = [
    "adamic_adar_weights",
    "document_frequency",
    "idf_normalize",
    "idf_weights",
    "inverse_norms",
    "max_weight_per_column",
    "walk_matrix",
]

FloatVector = npt.NDArray[np.float32]


def document_frequency(matrix: sp.csr_matrix) -> npt.NDArray[np.int64]:
    """Count how many rows hold each column."""
    return np.bincount(matrix.indices, minlength=matrix.shape[1]).astype(np.int64)


def idf_weights(df: npt.NDArray[np.int64], n_rows: int) -> FloatVector:
    """Smoothed inverse document frequency ``log((1 + n) / (1 + df))``.

    A niche held by 10 of 100,000 members weighs about 9.1; an interest held by half of them
    about 0.7, one that everybody holds 0. The +1 avoids dividing by zero for interests
    nobody holds.
    """
    weights: FloatVector = np.log((1.0 + n_rows) / (1.0 + df)).astype(np.float32)
    return weights


def idf_normalize(matrix: sp.csr_matrix, idf: FloatVector) -> sp.csr_matrix:
    """Multiply each column by its idf and scale each non-empty row to unit L2 norm.

    Unit rows make the dot product a cosine, so a member with 90 interests does not outscore
    a member with 5 merely by having more.
    """
    weighted = sp.csr_matrix(matrix, dtype=np.float32, copy=True)
    weighted.data *= idf[weighted.indices]
    inverse = _inverse_norms_of_weighted(weighted)
    weighted.data *= np.repeat(inverse, np.diff(weighted.indptr))
    weighted.eliminate_zeros()
    return weighted


def inverse_norms(matrix: sp.csr_matrix, idf: FloatVector) -> FloatVector:
    """``1 / ||row * idf||`` per row (0 for empty rows): what :func:`idf_normalize` scales by."""
    weighted = sp.csr_matrix(matrix, dtype=np.float32, copy=True)
    weighted.data *= idf[weighted.indices]
    return _inverse_norms_of_weighted(weighted)


def _inverse_norms_of_weighted(weighted: sp.csr_matrix) -> FloatVector:
    squared = np.bincount(
        np.repeat(np.arange(weighted.shape[0]), np.diff(weighted.indptr)),
        weights=weighted.data.astype(np.float64) ** 2,
        minlength=weighted.shape[0],
    )
    norms = np.sqrt(squared)
    inverse: FloatVector = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0).astype(
        np.float32
    )
    return inverse


def max_weight_per_column(matrix: sp.csr_matrix) -> FloatVector:
    """Largest entry of each column (0 for empty columns): the bound on what it can add."""
    bound = np.zeros(matrix.shape[1], dtype=np.float32)
    if matrix.nnz:
        np.maximum.at(bound, matrix.indices, matrix.data)
    return bound


def adamic_adar_weights(graph: sp.csr_matrix) -> FloatVector:
    """Weight ``1 / log(degree)`` of each member as a mutual connection (0 below degree 2).

    A mutual friend who knows few people says more about a pair than one who knows everybody.
    """
    degree = np.diff(graph.indptr).astype(np.float64)
    with np.errstate(divide="ignore"):
        weight = np.where(degree >= 2, 1.0 / np.log(np.maximum(degree, 2.0)), 0.0)
    return weight.astype(np.float32)


def walk_matrix(
    graph: sp.csr_matrix, similar: sp.csr_matrix, similar_weight: float = 1.0
) -> sp.csr_matrix:
    """Row-stochastic step over connections plus (symmetrized) interest-similar members.

    A connection weighs 1, an interest-similar member ``similar_weight * cosine``. Walking
    over both lets a member with few connections reach the friends of people who share their
    interests, which is what helps newcomers most; a member without connections walks over
    similar members only, whatever the weight.

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> graph = sp.csr_matrix(np.array([[0, 1, 0], [1, 0, 0], [0, 0, 0]]))
    >>> similar = sp.csr_matrix(np.array([[0, 0, 0.5], [0, 0, 0], [0, 0, 0]]))
    >>> walk_matrix(graph, similar, 0.5).toarray().astype(float).round(2).tolist()
    [[0.0, 0.8, 0.2], [1.0, 0.0, 0.0], [1.0, 0.0, 0.0]]
    """
    symmetric = similar.maximum(similar.T) * similar_weight
    combined = sp.csr_matrix(graph + symmetric, dtype=np.float64)
    out_weight = np.asarray(combined.sum(axis=1)).ravel()
    inverse = np.divide(1.0, out_weight, out=np.zeros_like(out_weight), where=out_weight > 0)
    return sp.csr_matrix(sp.diags(inverse) @ combined, dtype=np.float32)
