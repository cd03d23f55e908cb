"""Vectorized top-k kernels: row-wise selection, MaxScore pruning, pair look-ups.

Everything here works on whole blocks of query rows at once, so the Python interpreter is
entered a handful of times per block, never per member or per pair. The heavy calls (scipy's
sparse products, numpy's sort) release the GIL, which is what lets threads use both cores.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

__all__ = [
    "best_of_rows",
    "column_bits",
    "essential_split",
    "rows_of",
    "select_top",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float32]
_SCORE_BITS = 32
_ALL_ONES = np.uint64(0xFFFFFFFF)
_BOUND_SLACK = 1e-5


def column_bits(n_columns: int) -> int:
    """Bits needed to store a column index below ``n_columns``."""
    return max(1, int(n_columns - 1).bit_length())


def max_rows_per_sort(n_columns: int) -> int:
    """Largest block whose (row, score, column) triples pack into one uint64 sort key."""
    spare = 64 - _SCORE_BITS - column_bits(n_columns)
    return 1 << max(spare, 0)


def rows_of(matrix: sp.csr_matrix) -> IntArray:
    """Row index of every stored entry of a CSR matrix."""
    return np.repeat(np.arange(matrix.shape[0], dtype=np.int64), np.diff(matrix.indptr))


def select_top(
    rows: IntArray,
    cols: IntArray,
    vals: FloatArray,
    *,
    n_rows: int,
    n_columns: int,
    k: int,
) -> tuple[IntArray, FloatArray]:
    """The ``k`` largest positive values of each row, ties broken by the lower column.

    Parameters
    ----------
    rows, cols, vals : ndarray
        Coordinates of candidate entries; a (row, col) pair must appear at most once.
        ``vals`` must be float32 and non-negative.
    n_rows, n_columns : int
        Shape of the block.
    k : int
        How many to keep per row.

    Returns
    -------
    ids : ndarray of shape (n_rows, k), int64
        Columns, best first; -1 where a row has fewer than ``k`` positive values.
    scores : ndarray of shape (n_rows, k), float32
        Their values; 0 where ``ids`` is -1.

    Notes
    -----
    A non-negative float32 read as uint32 keeps its order, so (row, -score, column) packs into
    one uint64 and a single vectorized sort (AVX-512 accelerated in numpy 2) orders the whole
    block: no per-row Python loop and no argsort.
    """
    ids = np.full((n_rows, k), -1, dtype=np.int64)
    scores = np.zeros((n_rows, k), dtype=np.float32)
    positive = vals > 0
    rows, cols, vals = rows[positive], cols[positive], vals[positive].astype(np.float32)
    if rows.size == 0:
        return ids, scores
    cbits = column_bits(n_columns)
    if n_rows <= max_rows_per_sort(n_columns):
        inverted = _ALL_ONES - vals.view(np.uint32).astype(np.uint64)
        key = (
            (rows.astype(np.uint64) << np.uint64(_SCORE_BITS + cbits))
            | (inverted << np.uint64(cbits))
            | cols.astype(np.uint64)
        )
        key.sort()
        rows = (key >> np.uint64(_SCORE_BITS + cbits)).astype(np.int64)
        cols = (key & np.uint64((1 << cbits) - 1)).astype(np.int64)
        bits = _ALL_ONES - ((key >> np.uint64(cbits)) & _ALL_ONES)
        vals = bits.astype(np.uint32).view(np.float32)
    else:
        order = np.lexsort((cols, -vals, rows))
        rows, cols, vals = rows[order], cols[order], vals[order]
    starts = np.searchsorted(rows, np.arange(n_rows))
    rank = np.arange(rows.size) - starts[rows]
    keep = rank < k
    ids[rows[keep], rank[keep]] = cols[keep]
    scores[rows[keep], rank[keep]] = vals[keep]
    return ids, scores


def best_of_rows(
    ids: IntArray,
    key: npt.NDArray[np.floating],
    k: int,
    values: npt.NDArray[np.floating] | None = None,
) -> tuple[IntArray, FloatArray]:
    """Each row's ``k`` best ``ids`` by ``key``: largest first, ties to the lower id, -1 slots
    last whatever their key.

    Returns the ids and, alongside, ``values`` (default: ``key``) as float32, 0 in -1 slots;
    rows shorter than ``k`` are padded with -1 and 0.
    """
    valid = ids >= 0
    rank_key = np.where(valid, -key.astype(np.float64), np.inf)
    sort_ids = np.where(valid, ids, np.iinfo(np.int64).max)
    order = np.lexsort((sort_ids, rank_key), axis=1)[:, :k]
    top_ids = np.take_along_axis(ids, order, axis=1)
    chosen = key if values is None else values
    top = np.take_along_axis(chosen, order, axis=1).astype(np.float32)
    top[top_ids < 0] = 0.0
    if top_ids.shape[1] < k:
        pad = k - top_ids.shape[1]
        top_ids = np.pad(top_ids, ((0, 0), (0, pad)), constant_values=-1)
        top = np.pad(top, ((0, 0), (0, pad)))
    return top_ids, top


def essential_split(
    block: sp.csr_matrix,
    column_bound: FloatArray,
    threshold: FloatArray,
    *,
    always_before: int = 0,
) -> tuple[sp.csr_matrix, FloatArray]:
    """MaxScore split of each query row into essential and non-essential interests.

    Columns must be ordered rarest first. Walking a row from its most popular interest
    backwards, the non-essential tail is the longest one whose bound
    ``sum(x_ai * max_b x_bi)`` stays below the row's threshold: a member who shares none of
    the essential interests cannot reach the threshold, so only essential interests need
    their posting lists scanned.

    Returns
    -------
    essential : csr_matrix
        The block restricted to essential entries.
    remainder : ndarray of shape (n_rows,)
        The bound on what the non-essential tail can still add to any pair.

    Columns below ``always_before`` are always essential (the caller keeps only the last
    columns dense for rescoring).
    """
    contribution = (block.data * column_bound[block.indices]).astype(np.float64)
    cumulative = np.cumsum(contribution)
    row_ids = rows_of(block)
    ends = block.indptr[1:]
    if cumulative.size:
        row_total = np.where(ends > 0, cumulative[np.maximum(ends - 1, 0)], 0.0)
    else:
        row_total = np.zeros(block.shape[0])
    suffix = row_total[row_ids] - cumulative + contribution
    # The bound is a float sum: a tail whose bound equals the threshold up to rounding can
    # still reach it exactly (a pair sharing only those interests), so it stays essential.
    keep = (suffix * (1.0 + _BOUND_SLACK) >= threshold[row_ids]) | (block.indices < always_before)
    remainder = np.bincount(
        row_ids[~keep], weights=contribution[~keep], minlength=block.shape[0]
    ).astype(np.float32)
    counts = np.bincount(row_ids[keep], minlength=block.shape[0])
    indptr = np.concatenate([[0], np.cumsum(counts)])
    essential = sp.csr_matrix((block.data[keep], block.indices[keep], indptr), shape=block.shape)
    return essential, remainder
