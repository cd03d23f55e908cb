"""The compiled interest kernel: exact top-k of the idf cosine, pruned per query (numba).

Optional: used when the ``numba`` package imports (the ``fast`` extra). Interests are ordered
rarest first; the last ``P = 64`` columns, the popular ones, also get one bitmap each over the
members (``P * n_members / 8`` bytes: 8 MB at a million members). For each query member, on
its own core, with one dense accumulator per thread:

1. **Rare part.** The posting lists of the query's non-popular interests are scanned into
   the accumulator. They are short, and they hold almost every member the query could rank:
   on a Zipf catalogue the popular columns hold most posting entries but say little.
2. **Popular part, without scanning it.** A member found is dropped at once when its rare
   part plus ``inv_norm_b * sum_j x_qj * a_j`` (every popular interest of the query) cannot
   reach the current ``k``-th score; the others get the popular part from the query's
   popular interests' bitmaps: a member holds popular interest ``j`` with weight
   ``a_j * inv_norm_b``, exactly when the column's raw weights are all equal (``a_j = raw *
   idf_j``, read back as ``x_bj / inv_norm_b``), else at most that with the largest raw
   weight, and then the few members whose bound reaches the list are scored from their row.
3. **Members found only through popular interests.** A member sharing nothing rare with the
   query scores at most ``S[j] = sum over the query's popular interests j.. of
   x_qi * max_b x_bi``. Popular lists are scanned, rarest first, only while ``S[j]``
   reaches the current ``k``-th score, which on realistic data is rarely.

The result is exact (the bounds are safe), so every list is certified. Ties go to the lower
id, as everywhere in the engine.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

__all__ = [
    "POPULAR_COLUMNS",
    "PopularIndex",
    "available",
    "interest_top_k",
    "merge_rows",
    "pair_dots",
    "popular_index",
]

try:  # pragma: no cover - exercised when numba is installed, which the dev extra does
    import numba

    _NUMBA = True
except ImportError:  # pragma: no cover
    _NUMBA = False

_CHUNK = 16
CsrArrays = tuple[npt.NDArray[np.int64], npt.NDArray[np.int32], npt.NDArray[np.float32]]
PopularArrays = tuple[
    int,
    npt.NDArray[np.uint64],
    npt.NDArray[np.float32],
    npt.NDArray[np.bool_],
    npt.NDArray[np.float32],
    npt.NDArray[np.float32],
    npt.NDArray[np.int64],
    npt.NDArray[np.int32],
    npt.NDArray[np.float32],
]
TopK = tuple[
    npt.NDArray[np.int64], npt.NDArray[np.float32], npt.NDArray[np.int64]
]  # ids, scores, entries scanned
ForbiddenArrays = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]  # CSR indptr, indices
MergedRows = tuple[
    npt.NDArray[np.int64],
    npt.NDArray[np.int64],
    npt.NDArray[np.float32],
    npt.NDArray[np.float32],
    npt.NDArray[np.bool_],
]
Scratch = tuple[
    npt.NDArray[np.float32],
    npt.NDArray[np.int64],
    npt.NDArray[np.float32],
    npt.NDArray[np.int64],
    npt.NDArray[np.float32],
    npt.NDArray[np.float64],
]
POPULAR_COLUMNS = 64
_SLACK = 1e-5


def available() -> bool:
    """Whether numba imports, so the compiled kernel can run."""
    return _NUMBA


@dataclass(frozen=True)
class PopularIndex:
    """Bitmaps of the popular columns, and what the kernel needs to weigh a bit."""

    start: int  # first popular (ordered) column
    bitmaps: npt.NDArray[np.uint64]  # (P, ceil(n_members / 64))
    weight: npt.NDArray[np.float32]  # (P,): raw * idf (its largest value where not uniform)
    uniform: npt.NDArray[np.bool_]  # (P,): x_bi / inv_norm_b is the same for every holder
    inv_norm: npt.NDArray[np.float32]  # (n_members,): 1 / L2 norm of the idf-weighted row
    weight_min: npt.NDArray[np.float32]  # (P,): smallest raw * idf of a holder (x / inv_norm)
    impact_indptr: npt.NDArray[np.int64]  # (P + 1,): the popular lists, largest weight first
    impact_ids: npt.NDArray[np.int32]
    impact_values: npt.NDArray[np.float32]


def popular_index(
    xt: sp.csr_matrix, inv_norm: npt.NDArray[np.float32], width: int = POPULAR_COLUMNS
) -> PopularIndex:
    """Index the last ``width`` columns of the weighted interests (``xt``: their transpose).

    ``x_bi = (raw_bi * idf_i) * inv_norm_b``, so ``x_bi / inv_norm_b`` is the raw weight times
    the idf: equal for every holder of a column whose raw weights are all equal (binary data).
    """
    n_columns, n_members = xt.shape
    width = max(0, min(width, n_columns))
    start = n_columns - width
    bitmaps = np.zeros((width, (n_members + 63) // 64), dtype=np.uint64)
    popular = sp.csr_matrix(xt[start:], dtype=np.float32)
    lengths = np.diff(popular.indptr)
    cols = np.repeat(np.arange(width), lengths)
    rows = popular.indices.astype(np.int64)
    np.bitwise_or.at(
        bitmaps, (cols, rows >> 6), np.left_shift(np.uint64(1), (rows & 63).astype(np.uint64))
    )
    safe = np.where(inv_norm > 0, inv_norm, 1.0).astype(np.float64)
    value = popular.data.astype(np.float64) / safe[rows]
    high = np.zeros(width, dtype=np.float64)
    low = np.zeros(width, dtype=np.float64)
    held = lengths > 0
    if value.size:
        high[held] = np.maximum.reduceat(value, popular.indptr[:-1][held])
        low[held] = np.minimum.reduceat(value, popular.indptr[:-1][held])
    uniform = high - low <= 1e-6 * high
    weight = (high * (1.0 + 1e-6)).astype(np.float32)
    order = np.lexsort((rows, -popular.data, cols))
    return PopularIndex(
        start=start,
        bitmaps=bitmaps,
        weight=weight,
        uniform=uniform,
        inv_norm=inv_norm.astype(np.float32),
        weight_min=np.where(held, low * (1.0 - 1e-6), 0.0).astype(np.float32),
        impact_indptr=popular.indptr.astype(np.int64),
        impact_ids=popular.indices[order].astype(np.int32),
        impact_values=popular.data[order].astype(np.float32),
    )


def _query_top_k(
    q: int,
    query: int,
    x: CsrArrays,
    xt: CsrArrays,
    column_bound: npt.NDArray[np.float32],
    popular_arrays: PopularArrays,
    forbidden: ForbiddenArrays,
    k: int,
    scratch: Scratch,
    out_ids: npt.NDArray[np.int64],
    out_scores: npt.NDArray[np.float32],
) -> int:
    """Top-k of one query into ``out_ids[q]`` / ``out_scores[q]``; returns entries scanned."""
    x_indptr, x_indices, x_data = x
    xt_indptr, xt_indices, xt_data = xt
    (
        pop_start,
        bitmaps,
        pop_weight,
        pop_uniform,
        inv_norm,
        pop_weight_min,
        impact_indptr,
        impact_ids,
        impact_values,
    ) = popular_arrays
    forbidden_indptr, forbidden_indices = forbidden
    acc, touched, pop_query, t_cols, t_coef, suffix = scratch
    start, end = x_indptr[query], x_indptr[query + 1]
    split = start
    while split < end and x_indices[split] < pop_start:
        split += 1
    for p in range(forbidden_indptr[q], forbidden_indptr[q + 1]):
        acc[forbidden_indices[p]] = -np.inf
    n_touched = 0
    scanned = 0
    # 1. Rare part: accumulate (branch-free: a member is listed once, when first reached).
    for j in range(start, split):
        col = x_indices[j]
        weight = x_data[j]
        for p in range(xt_indptr[col], xt_indptr[col + 1]):
            b = xt_indices[p]
            value = acc[b]
            touched[n_touched] = b
            n_touched += value == 0.0
            acc[b] = value + weight * xt_data[p]
        scanned += xt_indptr[col + 1] - xt_indptr[col]
    # The query's popular interests: bitmap rows, coefficients and suffix bounds.
    m_t = end - split
    exact_bits = True
    suffix[m_t] = 0.0
    for j in range(m_t - 1, -1, -1):
        col = x_indices[split + j]
        t_cols[j] = col - pop_start
        t_coef[j] = x_data[split + j] * pop_weight[col - pop_start]
        pop_query[col - pop_start] = x_data[split + j]
        exact_bits &= pop_uniform[col - pop_start]
        suffix[j] = suffix[j + 1] + np.float64(x_data[split + j]) * column_bound[col]
    coef_total = np.float32(0.0)
    for j in range(m_t):
        coef_total += t_coef[j]
    coef_total *= np.float32(1.0 + _SLACK)
    filled = 0
    # 2. Score every member found: rare part + popular part from the bitmaps.
    for i in range(n_touched):
        b = touched[i]
        score = acc[b]
        acc[b] = 0.0  # reset as we go: step 3 marks the members seen again if it runs
        inv = inv_norm[b]
        if filled == k and score + coef_total * inv < out_scores[q, k - 1]:
            continue
        popular = _bits_part(bitmaps, t_cols, t_coef, m_t, b, inv)
        score += popular
        if filled == k and (
            score < out_scores[q, k - 1]
            or (score == out_scores[q, k - 1] and b > out_ids[q, k - 1])
        ):
            continue
        if not exact_bits and popular > 0.0:
            score += _row_part(b, x_indptr, x_indices, x_data, pop_start, pop_query) - popular
        filled = _push(q, b, score, k, filled, out_ids, out_scores)
    # 3. Members sharing only popular interests, while they could still reach the list.
    n_rare = n_touched
    marked = False
    for j in range(m_t):
        theta = out_scores[q, k - 1] if filled == k else np.float32(0.0)
        if filled == k and suffix[j] * (1.0 + _SLACK) < theta:
            break
        if not marked:
            for i in range(n_rare):
                acc[touched[i]] = -1.0
            marked = True
        # The list runs largest weight first. A member first met here holds none of the rare
        # interests, nor any earlier popular list's entries above its break, so it scores at
        # most inv_norm_b * sum(t_coef[j:]), and inv_norm_b <= x_bj / weight_min_j.
        unit = np.float32(0.0)
        for jj in range(j, m_t):
            unit += t_coef[jj]
        low = pop_weight_min[t_cols[j]]
        unit = unit * np.float32(1.0 + _SLACK) / low if low > 0 else np.float32(np.inf)
        for p in range(impact_indptr[t_cols[j]], impact_indptr[t_cols[j] + 1]):
            if filled == k and impact_values[p] * unit < out_scores[q, k - 1]:
                break
            b = impact_ids[p]
            scanned += 1
            if acc[b] != 0.0:
                continue
            acc[b] = -1.0
            touched[n_touched] = b
            n_touched += 1
            inv = inv_norm[b]
            if filled == k and coef_total * inv < out_scores[q, k - 1]:
                continue
            if exact_bits:
                score = _bits_part(bitmaps, t_cols, t_coef, m_t, b, inv)
            else:
                score = _row_part(b, x_indptr, x_indices, x_data, pop_start, pop_query)
            filled = _push(q, b, score, k, filled, out_ids, out_scores)
    # Reset the thread's scratch arrays for the next query.
    if marked:
        for i in range(n_touched):
            acc[touched[i]] = 0.0
    for p in range(forbidden_indptr[q], forbidden_indptr[q + 1]):
        acc[forbidden_indices[p]] = 0.0
    for j in range(m_t):
        pop_query[t_cols[j]] = 0.0
    return scanned


def _bits_part(
    bitmaps: npt.NDArray[np.uint64],
    t_cols: npt.NDArray[np.int64],
    t_coef: npt.NDArray[np.float32],
    m_t: int,
    b: int,
    inv: np.float32,
) -> np.float32:
    """The popular part of (query, b) from the bitmaps: exact where the columns are uniform,
    else a bound (the coefficients use each column's largest weight)."""
    word = b >> 6
    bit = np.uint64(b & 63)
    total = np.float32(0.0)
    for j in range(m_t):
        if (bitmaps[t_cols[j], word] >> bit) & np.uint64(1):
            total += t_coef[j] * inv
    return total


def _row_part(
    b: int,
    x_indptr: npt.NDArray[np.int64],
    x_indices: npt.NDArray[np.int32],
    x_data: npt.NDArray[np.float32],
    pop_start: int,
    pop_query: npt.NDArray[np.float32],
) -> np.float32:
    """The exact popular part of (query, b): the popular columns end each row."""
    total = np.float32(0.0)
    for p in range(x_indptr[b + 1] - 1, x_indptr[b] - 1, -1):
        col = x_indices[p]
        if col < pop_start:
            break
        total += pop_query[col - pop_start] * x_data[p]
    return total


def _push(
    q: int,
    b: int,
    score: np.float32,
    k: int,
    filled: int,
    out_ids: npt.NDArray[np.int64],
    out_scores: npt.NDArray[np.float32],
) -> int:
    """Insert (b, score) into the sorted row (score down, id up); returns the new fill."""
    if score <= 0.0:
        return filled
    if filled == k:
        last_score, last_id = out_scores[q, k - 1], out_ids[q, k - 1]
        if score < last_score or (score == last_score and b > last_id):
            return filled
        position = k - 1
    else:
        position = filled
        filled += 1
    while position > 0:
        above_score, above_id = out_scores[q, position - 1], out_ids[q, position - 1]
        if above_score > score or (above_score == score and above_id < b):
            break
        out_scores[q, position] = above_score
        out_ids[q, position] = above_id
        position -= 1
    out_scores[q, position] = score
    out_ids[q, position] = b
    return filled


def _top_k_block(
    queries: npt.NDArray[np.int64],
    x: CsrArrays,
    xt: CsrArrays,
    column_bound: npt.NDArray[np.float32],
    popular: PopularArrays,
    forbidden: ForbiddenArrays,
    k: int,
    max_row: int,
) -> TopK:
    n_queries = queries.size
    n_members = x[0].size - 1
    n_popular = popular[2].size
    out_ids = np.full((n_queries, k), -1, dtype=np.int64)
    out_scores = np.zeros((n_queries, k), dtype=np.float32)
    scanned = np.zeros(n_queries, dtype=np.int64)
    chunk = max(_CHUNK, (n_queries + 255) // 256)
    n_chunks = (n_queries + chunk - 1) // chunk
    for c in numba.prange(n_chunks):
        scratch = (
            np.zeros(n_members, dtype=np.float32),  # accumulator
            np.empty(n_members, dtype=np.int64),  # members found
            np.zeros(max(n_popular, 1), dtype=np.float32),  # the query's popular weights
            np.empty(max_row + 1, dtype=np.int64),  # its popular columns
            np.empty(max_row + 1, dtype=np.float32),  # their coefficients
            np.empty(max_row + 1, dtype=np.float64),  # suffix bounds
        )
        for q in range(c * chunk, min((c + 1) * chunk, n_queries)):
            scanned[q] = _query_top_k(
                q,
                queries[q],
                x,
                xt,
                column_bound,
                popular,
                forbidden,
                k,
                scratch,
                out_ids,
                out_scores,
            )
    return out_ids, out_scores, scanned


def _pair_dots(
    x_indptr: npt.NDArray[np.int64],
    x_indices: npt.NDArray[np.int32],
    x_data: npt.NDArray[np.float32],
    first: npt.NDArray[np.int64],
    second: npt.NDArray[np.int64],
) -> npt.NDArray[np.float32]:
    """``x[first[i]] . x[second[i]]`` for each pair: a merge of two sorted rows."""
    out = np.zeros(first.size, dtype=np.float32)
    for i in numba.prange(first.size):
        p, p_end = x_indptr[first[i]], x_indptr[first[i] + 1]
        r, r_end = x_indptr[second[i]], x_indptr[second[i] + 1]
        total = np.float32(0.0)
        while p < p_end and r < r_end:
            a, b = x_indices[p], x_indices[r]
            if a == b:
                total += x_data[p] * x_data[r]
                p += 1
                r += 1
            elif a < b:
                p += 1
            else:
                r += 1
        out[i] = total
    return out


def _merge_rows(
    a_indptr: npt.NDArray[np.int64],
    a_indices: npt.NDArray[np.int32],
    a_data: npt.NDArray[np.float32],
    b_indptr: npt.NDArray[np.int64],
    b_indices: npt.NDArray[np.int32],
    b_data: npt.NDArray[np.float32],
) -> MergedRows:
    """Row by row union of two CSR matrices with sorted indices: (row, column, value in a,
    value in b, present in a) for each position of either."""
    n_rows = a_indptr.size - 1
    size = a_indices.size + b_indices.size
    rows = np.empty(size, dtype=np.int64)
    cols = np.empty(size, dtype=np.int64)
    a_values = np.zeros(size, dtype=np.float32)
    b_values = np.zeros(size, dtype=np.float32)
    in_a = np.zeros(size, dtype=np.bool_)
    n = 0
    for row in range(n_rows):
        p, p_end = a_indptr[row], a_indptr[row + 1]
        r, r_end = b_indptr[row], b_indptr[row + 1]
        while p < p_end or r < r_end:
            rows[n] = row
            if r >= r_end or (p < p_end and a_indices[p] < b_indices[r]):
                cols[n] = a_indices[p]
                a_values[n] = a_data[p]
                in_a[n] = True
                p += 1
            elif p >= p_end or b_indices[r] < a_indices[p]:
                cols[n] = b_indices[r]
                b_values[n] = b_data[r]
                r += 1
            else:
                cols[n] = a_indices[p]
                a_values[n] = a_data[p]
                b_values[n] = b_data[r]
                in_a[n] = True
                p += 1
                r += 1
            n += 1
    return rows[:n], cols[:n], a_values[:n], b_values[:n], in_a[:n]


if _NUMBA:  # pragma: no branch
    _query_top_k = numba.njit(cache=True, nogil=True, boundscheck=False)(_query_top_k)
    _push = numba.njit(cache=True, nogil=True)(_push)
    _bits_part = numba.njit(cache=True, nogil=True, inline="always")(_bits_part)
    _row_part = numba.njit(cache=True, nogil=True, inline="always")(_row_part)
    _top_k_block = numba.njit(cache=True, nogil=True, parallel=True)(_top_k_block)
    _pair_dots = numba.njit(cache=True, nogil=True, parallel=True)(_pair_dots)
    _merge_rows = numba.njit(cache=True, nogil=True)(_merge_rows)


def interest_top_k(
    queries: npt.NDArray[np.int64],
    x: sp.csr_matrix,
    xt: sp.csr_matrix,
    column_bound: npt.NDArray[np.float32],
    index: PopularIndex,
    forbidden: sp.csr_matrix,
    *,
    k: int,
    n_threads: int,
) -> TopK:
    """Exact top-``k`` idf cosine for each query member (see the module docstring).

    ``forbidden`` has one row per query: members never to return (the query itself
    included). Returns ids (-1 where fewer than ``k`` score above 0), scores, and the posting
    entries scanned per query.
    """
    max_row = int(np.diff(x.indptr).max(initial=0))
    previous = numba.get_num_threads()
    numba.set_num_threads(
        max(1, min(n_threads, int(getattr(numba.config, "NUMBA_NUM_THREADS", 1))))
    )
    try:
        result: TopK = _top_k_block(
            np.ascontiguousarray(queries, dtype=np.int64),
            _csr_arrays(x),
            _csr_arrays(xt),
            column_bound,
            (
                index.start,
                index.bitmaps,
                index.weight,
                index.uniform,
                index.inv_norm,
                index.weight_min,
                index.impact_indptr,
                index.impact_ids,
                index.impact_values,
            ),
            (
                forbidden.indptr.astype(np.int64, copy=False),
                forbidden.indices.astype(np.int64, copy=False),
            ),
            k,
            max_row,
        )
    finally:
        numba.set_num_threads(previous)
    return result


def _csr_arrays(matrix: sp.csr_matrix) -> CsrArrays:
    return (
        matrix.indptr.astype(np.int64, copy=False),
        matrix.indices.astype(np.int32, copy=False),
        matrix.data.astype(np.float32, copy=False),
    )


def pair_dots(
    x: sp.csr_matrix, first: npt.NDArray[np.int64], second: npt.NDArray[np.int64]
) -> npt.NDArray[np.float32]:
    """Dot products of the rows ``x[first[i]]`` and ``x[second[i]]`` (sorted indices)."""
    if first.size == 0:
        return np.zeros(0, dtype=np.float32)
    dots: npt.NDArray[np.float32] = _pair_dots(
        x.indptr.astype(np.int64, copy=False),
        x.indices,
        x.data,
        np.ascontiguousarray(first, dtype=np.int64),
        np.ascontiguousarray(second, dtype=np.int64),
    )
    return dots


def merge_rows(first: sp.csr_matrix, second: sp.csr_matrix) -> MergedRows:
    """Every position stored in either matrix (same shape): (rows, columns, value in
    ``first``, value in ``second``, stored in ``first``), row-major."""
    a = sp.csr_matrix(first, dtype=np.float32)
    b = sp.csr_matrix(second, dtype=np.float32)
    a.sort_indices()
    b.sort_indices()
    merged: MergedRows = _merge_rows(
        a.indptr.astype(np.int64, copy=False),
        a.indices,
        a.data,
        b.indptr.astype(np.int64, copy=False),
        b.indices,
        b.data,
    )
    return merged
