"""The compiled interest kernel: exact top-k of the idf cosine (numba).

Optional: used when the ``numba`` package imports (the ``fast`` extra). Interests are ordered
rarest first; the last ``P = 64`` columns are the popular ones, and every member gets one
64-bit word saying which of them it holds (8 MB at a million members). For each query
member, with one dense accumulator per thread:

1. **Rare part.** The posting lists of the query's non-popular interests are scanned into
   the accumulator. They are short, and they hold almost every member the query could rank:
   on a Zipf catalogue the popular columns hold most posting entries but say little.
2. **Popular part, without scanning it.** A member found is dropped at once when its rare
   part plus ``inv_norm_b * sum_j x_qj * a_j`` (every popular interest of the query) cannot
   reach the current ``k``-th score; the others get the popular part from their word: a
   member holds popular interest ``j`` with weight ``unit_j * inv_norm_b`` exactly when the
   column's raw weights are all equal (binary data), else at most ``a_j * inv_norm_b`` with
   the largest raw weight, and then the few members whose bound reaches the list are scored
   from their row.
3. **Members found only through popular interests.** A member sharing nothing rare with the
   query scores at most ``S[j] = sum over the query's popular interests j.. of
   x_qi * max_b x_bi``. Popular lists are scanned, rarest first and largest weight first,
   only while that can reach the current ``k``-th score, which on realistic data is rarely.

**Everybody at once** (:func:`_symmetric_block`): each pair sharing a rare interest is scored
once, by the member whose half circle of ids holds the other, and offered to both members'
lists. Each thread keeps its own lists (merged at the end), and a cheap floor under each
member's ``k``-th score, computed first, keeps most offers from being scored at all. Offers
to the other member's list are buffered and applied bucketed by member, so the lists they
touch stay in the cache. Step 3 runs per member on the merged lists.

A pair's score is the same float bits on every path (see :func:`_row_part`), so the
symmetric pass, the per-query pass (subsets, Dask blocks) and the merged lists agree
exactly. The result is exact (the bounds are safe), so every list is certified. Ties go to
the lower id, as everywhere in the engine.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

__all__ = [
    "POPULAR_COLUMNS",
    "PopularIndex",
    "available",
    "interest_top_k",
    "merge_lists",
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
    npt.NDArray[np.float32],
]
TopK = tuple[
    npt.NDArray[np.int64], npt.NDArray[np.float32], npt.NDArray[np.int64]
]  # ids, scores, entries scanned
ForbiddenArrays = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]  # CSR indptr, indices
Scratch = tuple[
    npt.NDArray[np.float32],
    npt.NDArray[np.int64],
    npt.NDArray[np.float32],
    npt.NDArray[np.int64],
    npt.NDArray[np.float32],
    npt.NDArray[np.float64],
    npt.NDArray[np.float32],
    npt.NDArray[np.float32],
]  # accumulator, found, popular values, columns, coefficients, suffix bounds, values, k-th
Heap = tuple[
    npt.NDArray[np.int64], npt.NDArray[np.float32], npt.NDArray[np.int64]
]  # one thread's lists: ids, scores (n_members, k), fill
PairTerms = tuple[
    np.float32,
    np.float32,
    npt.NDArray[np.bool_],
    npt.NDArray[np.bool_],
    npt.NDArray[np.float32],
    np.float32,
    npt.NDArray[np.int64],
    npt.NDArray[np.int64],
]  # interest weight, hiring bonus, hiring, seeking, interest scale, locality, regions, reach
Offers = tuple[
    npt.NDArray[np.int32],
    npt.NDArray[np.int32],
    npt.NDArray[np.float32],
    npt.NDArray[np.int32],
    npt.NDArray[np.int32],
    npt.NDArray[np.float32],
    npt.NDArray[np.int64],
]  # one thread's pending offers (member, offered, score), their bucketed copy, bucket starts
POPULAR_COLUMNS = 64
_SLACK = 1e-5
SYMMETRIC_MIN_MEMBERS = 100_000
SYMMETRIC_MAX_K = 32
SYMMETRIC_MAX_BYTES = 2 << 30  # each thread's lists: n x k x (id, score) and the merge
FLOOR_BUDGET = 64  # posting entries a member's floor reads (its rarest lists)
OFFER_BUFFER = 1 << 20  # offers to other members' lists a thread holds before applying them
OFFER_SHIFT = 11  # offers are applied in buckets of 2**11 members: their lists fit in L2


def available() -> bool:
    """Whether numba imports, so the compiled kernel can run."""
    return _NUMBA


@dataclass(frozen=True)
class PopularIndex:
    """Which popular columns each member holds (one bit each), and what the kernel needs to
    weigh a bit."""

    start: int  # first popular (ordered) column
    masks: npt.NDArray[np.uint64]  # (n_members,): bit j set where the member holds column j
    weight: npt.NDArray[np.float32]  # (P,): raw * idf (its largest value where not uniform)
    uniform: npt.NDArray[np.bool_]  # (P,): x_bi / inv_norm_b is the same for every holder
    inv_norm: npt.NDArray[np.float32]  # (n_members,): 1 / L2 norm of the idf-weighted row
    weight_min: npt.NDArray[np.float32]  # (P,): smallest raw * idf of a holder (x / inv_norm)
    impact_indptr: npt.NDArray[np.int64]  # (P + 1,): the popular lists, largest weight first
    impact_ids: npt.NDArray[np.int32]
    impact_values: npt.NDArray[np.float32]
    unit: npt.NDArray[np.float32]  # (P,): x_bj = unit_j * inv_norm_b in a uniform column


def popular_index(
    xt: sp.csr_matrix, inv_norm: npt.NDArray[np.float32], width: int = POPULAR_COLUMNS
) -> PopularIndex:
    """Index the last ``width`` (at most 64) columns of the weighted interests (``xt``: their
    transpose).

    ``x_bi = (raw_bi * idf_i) * inv_norm_b``, so ``x_bi / inv_norm_b`` is the raw weight times
    the idf: equal for every holder of a column whose raw weights are all equal (binary data).
    """
    n_columns, n_members = xt.shape
    width = max(0, min(width, n_columns, 64))  # one bit each in a uint64 per member
    start = n_columns - width
    masks = np.zeros(n_members, dtype=np.uint64)
    popular = sp.csr_matrix(xt[start:], dtype=np.float32)
    lengths = np.diff(popular.indptr)
    cols = np.repeat(np.arange(width), lengths)
    rows = popular.indices.astype(np.int64)
    np.bitwise_or.at(masks, rows, np.left_shift(np.uint64(1), cols.astype(np.uint64)))
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
        masks=masks,
        weight=weight,
        uniform=uniform,
        inv_norm=inv_norm.astype(np.float32),
        weight_min=np.where(held, low * (1.0 - 1e-6), 0.0).astype(np.float32),
        impact_indptr=popular.indptr.astype(np.int64),
        impact_ids=popular.indices[order].astype(np.int32),
        impact_values=popular.data[order].astype(np.float32),
        unit=np.where(uniform, high, 0.0).astype(np.float32),
    )


def _setup(
    query: int,
    x: CsrArrays,
    popular_arrays: PopularArrays,
    column_bound: npt.NDArray[np.float32],
    scratch: Scratch,
) -> tuple[int, int, bool, np.float32]:
    """The query's popular interests into the scratch arrays: their columns, values, bound
    coefficients and suffix bounds. Returns (first popular position, how many, whether the
    popular words give the popular part exactly, the sum of the coefficients)."""
    x_indptr, x_indices, x_data = x
    pop_start = popular_arrays[0]
    pop_weight, pop_uniform, inv_norm, unit = (
        popular_arrays[2],
        popular_arrays[3],
        popular_arrays[4],
        popular_arrays[9],
    )
    pop_query, t_cols, t_coef, suffix, t_value = (
        scratch[2],
        scratch[3],
        scratch[4],
        scratch[5],
        scratch[6],
    )
    start, end = x_indptr[query], x_indptr[query + 1]
    split = end
    while split > start and x_indices[split - 1] >= pop_start:
        split -= 1
    m_t = end - split
    exact_bits = True
    suffix[m_t] = 0.0
    for j in range(m_t - 1, -1, -1):
        column = x_indices[split + j] - pop_start
        value = unit[column] * inv_norm[query] if pop_uniform[column] else x_data[split + j]
        t_cols[j] = column
        t_value[j] = value
        t_coef[j] = value * pop_weight[column]
        pop_query[column] = value
        exact_bits &= pop_uniform[column]
        suffix[j] = suffix[j + 1] + np.float64(value) * column_bound[x_indices[split + j]]
    coef_total = np.float32(0.0)
    for j in range(m_t):
        coef_total += t_coef[j]
    return split, m_t, exact_bits, coef_total * np.float32(1.0 + _SLACK)


# The per-pair sequence (cheap bound, then `_bits_exact`, or `_bits_bound` and `_row_part`) is
# written out in each caller on purpose: a helper taking the dozen arrays it needs made numba
# count references on every call, which cost 15x in the hot loop (measured in stop 9). Stop 11
# measured it again on the symmetric pass at 100,000 members: 6.8 s against 1.2 s with
# the helper inlined, 8.7 s not inlined, and 1.8 s even when called only for the ~10% of
# pairs that pass the cheap bound.


def _bits_exact(
    mask: np.uint64,
    inv: np.float32,
    unit: npt.NDArray[np.float32],
    t_cols: npt.NDArray[np.int64],
    t_value: npt.NDArray[np.float32],
    m_t: int,
) -> np.float32:
    """The exact popular part of (query, b) where the query's popular columns are all
    uniform: ``sum of v_qj * v_bj`` over the shared ones in column order, ``v_bj = unit_j *
    inv_norm_b``. See :func:`_row_part` for why every path computes it the same way."""
    total = np.float32(0.0)
    for j in range(m_t):
        held = np.float32((mask >> np.uint64(t_cols[j])) & np.uint64(1))
        total += t_value[j] * (unit[t_cols[j]] * inv) * held  # x * 1 == x, x * 0 == 0: exact
    return total


def _bits_bound(
    mask: np.uint64,
    inv: np.float32,
    t_cols: npt.NDArray[np.int64],
    t_coef: npt.NDArray[np.float32],
    m_t: int,
) -> np.float32:
    """An upper bound of the popular part from the member's word (each column's largest weight)."""
    total = np.float32(0.0)
    for j in range(m_t):
        if (mask >> np.uint64(t_cols[j])) & np.uint64(1):
            total += t_coef[j] * inv
    return total


def _row_part(
    b: int,
    inv: np.float32,
    x: CsrArrays,
    popular_arrays: PopularArrays,
    pop_query: npt.NDArray[np.float32],
) -> np.float32:
    """The exact popular part of (query, b) from b's row: ``sum of v_qj * v_bj`` over their
    shared popular columns in column order, where ``v = unit_j * inv_norm`` in a uniform
    column and the stored weight otherwise.

    Every path (the word, this row, either member asking) does the same float operations
    in the same order, so a pair scores the same bits however it is found: the symmetric
    pass and the per-query kernel return identical lists."""
    x_indptr, x_indices, x_data = x
    pop_start, pop_uniform, unit = popular_arrays[0], popular_arrays[3], popular_arrays[9]
    first, end = x_indptr[b], x_indptr[b + 1]
    split = end
    while split > first and x_indices[split - 1] >= pop_start:
        split -= 1
    total = np.float32(0.0)
    for p in range(split, end):
        column = x_indices[p] - pop_start
        value = pop_query[column]
        if value != 0.0:
            total += value * (unit[column] * inv if pop_uniform[column] else x_data[p])
    return total


def _push(
    row: int,
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
        last_score, last_id = out_scores[row, k - 1], out_ids[row, k - 1]
        if score < last_score or (score == last_score and b > last_id):
            return filled
        position = k - 1
    else:
        position = filled
        filled += 1
    while position > 0:
        above_score, above_id = out_scores[row, position - 1], out_ids[row, position - 1]
        if above_score > score or (above_score == score and above_id < b):
            break
        out_scores[row, position] = above_score
        out_ids[row, position] = above_id
        position -= 1
    out_scores[row, position] = score
    out_ids[row, position] = b
    return filled


def _threshold(row: int, filled: int, k: int, out_scores: npt.NDArray[np.float32]) -> np.float32:
    return out_scores[row, k - 1] if filled == k else np.float32(0.0)


def _popular_only(
    q: int,
    x: CsrArrays,
    popular_arrays: PopularArrays,
    scratch: Scratch,
    m_t: int,
    exact_bits: bool,
    coef_total: np.float32,
    k: int,
    filled: int,
    out_ids: npt.NDArray[np.int64],
    out_scores: npt.NDArray[np.float32],
    n_touched: int,
    rare_mark: npt.NDArray[np.bool_],
) -> tuple[int, int, int, bool]:
    """Members sharing only popular interests with the query, while they could still reach
    its list.

    Members already considered are skipped: the accumulator is nonzero for them once the
    first ``n_touched`` listed members are marked (done here, only if a list is read), and a
    member holding one of the query's rare interests (``rare_mark`` over the interests, when
    it has any set) was scored with them. Returns (fill, members listed, entries scanned,
    whether the listed members were marked)."""
    x_indptr, x_indices = x[0], x[1]
    pop_weight_min = popular_arrays[5]
    impact_indptr, impact_ids, impact_values = (
        popular_arrays[6],
        popular_arrays[7],
        popular_arrays[8],
    )
    acc, touched, suffix = scratch[0], scratch[1], scratch[5]
    check_rare = rare_mark.size > 0
    masks, inv_norm = popular_arrays[1], popular_arrays[4]
    pop_start, unit = popular_arrays[0], popular_arrays[9]
    pop_query, t_cols, t_coef, t_value = scratch[2], scratch[3], scratch[4], scratch[6]
    scanned = 0
    marked = False
    for j in range(m_t):
        theta = _threshold(q, filled, k, out_scores)
        if filled == k and suffix[j] * (1.0 + _SLACK) < theta:
            break
        if not marked:
            for i in range(n_touched):
                acc[touched[i]] = -1.0
            marked = True
        # The list runs largest weight first. A member first met here holds none of the rare
        # interests, nor any earlier popular list's entries above its break, so it scores at
        # most inv_norm_b * sum(t_coef[j:]), and inv_norm_b <= x_bj / weight_min_j.
        unit_bound = np.float32(0.0)
        for jj in range(j, m_t):
            unit_bound += t_coef[jj]
        low = pop_weight_min[t_cols[j]]
        unit_bound = unit_bound * np.float32(1.0 + _SLACK) / low if low > 0 else np.float32(np.inf)
        for p in range(impact_indptr[t_cols[j]], impact_indptr[t_cols[j] + 1]):
            if filled == k and impact_values[p] * unit_bound < out_scores[q, k - 1]:
                break
            b = impact_ids[p]
            scanned += 1
            if acc[b] != 0.0:
                continue
            acc[b] = -1.0
            touched[n_touched] = b
            n_touched += 1
            if check_rare:
                shares = False
                for r in range(x_indptr[b], x_indptr[b + 1]):
                    if x_indices[r] >= pop_start:
                        break
                    if rare_mark[x_indices[r]]:
                        shares = True
                        break
                if shares:
                    continue
            theta = _threshold(q, filled, k, out_scores)
            if coef_total * inv_norm[b] < theta:
                continue
            inv = inv_norm[b]
            if exact_bits:
                score = _bits_exact(masks[b], inv, unit, t_cols, t_value, m_t)
            elif _bits_bound(masks[b], inv, t_cols, t_coef, m_t) * np.float32(1.0 + _SLACK) < theta:
                continue
            else:
                score = _row_part(b, inv, x, popular_arrays, pop_query)
            filled = _push(q, b, score, k, filled, out_ids, out_scores)
    return filled, n_touched, scanned, marked


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
    forbidden_indptr, forbidden_indices = forbidden
    acc, touched = scratch[0], scratch[1]
    masks, inv_norm = popular_arrays[1], popular_arrays[4]
    unit = popular_arrays[9]
    pop_query, t_cols, t_coef, t_value = scratch[2], scratch[3], scratch[4], scratch[6]
    split, m_t, exact_bits, coef_total = _setup(query, x, popular_arrays, column_bound, scratch)
    for p in range(forbidden_indptr[q], forbidden_indptr[q + 1]):
        acc[forbidden_indices[p]] = -np.inf
    n_touched = 0
    scanned = 0
    # 1. Rare part: accumulate.
    for j in range(x_indptr[query], split):
        lo, hi = xt_indptr[x_indices[j]], xt_indptr[x_indices[j] + 1]
        n_touched = _accumulate(lo, hi, x_data[j], xt_indices, xt_data, acc, touched, n_touched)
        scanned += hi - lo
    # 2. Score every member found: its rare part plus the popular part.
    filled = 0
    for i in range(n_touched):
        b = touched[i]
        rare = acc[b]
        acc[b] = 0.0  # reset as we go: step 3 marks the members seen again if it runs
        theta = _threshold(q, filled, k, out_scores)
        if rare + coef_total * inv_norm[b] < theta:
            continue  # the cheap bound, inline: most members stop here
        inv = inv_norm[b]
        if exact_bits:
            score = rare + _bits_exact(masks[b], inv, unit, t_cols, t_value, m_t)
        elif (
            rare + _bits_bound(masks[b], inv, t_cols, t_coef, m_t) * np.float32(1.0 + _SLACK)
            < theta
        ):
            continue
        else:
            score = rare + _row_part(b, inv, x, popular_arrays, pop_query)
        filled = _push(q, b, score, k, filled, out_ids, out_scores)
    # 3. Members sharing only popular interests.
    filled, n_touched, more, marked = _popular_only(
        q,
        x,
        popular_arrays,
        scratch,
        m_t,
        exact_bits,
        coef_total,
        k,
        filled,
        out_ids,
        out_scores,
        n_touched,
        np.zeros(0, dtype=np.bool_),
    )
    _reset(scratch, n_touched if marked else 0, forbidden, q, m_t)
    return scanned + more


def _reset(scratch: Scratch, n_touched: int, forbidden: ForbiddenArrays, q: int, m_t: int) -> None:
    """Clear the thread's scratch arrays for the next query."""
    acc, touched, pop_query, t_cols = scratch[0], scratch[1], scratch[2], scratch[3]
    for i in range(n_touched):
        acc[touched[i]] = 0.0
    for p in range(forbidden[0][q], forbidden[0][q + 1]):
        acc[forbidden[1][p]] = 0.0
    for j in range(m_t):
        pop_query[t_cols[j]] = 0.0


def _new_scratch(n_members: int, n_popular: int, max_row: int, thresholds: bool) -> Scratch:
    """One thread's working arrays; per-member thresholds only for the symmetric pass (the
    online path allocates per call). (Packing the per-member ones into one row per member was
    tried: it helps at 100,000 members and costs 40% at a million, where 32 bytes a member
    no longer fit in the cache that 4 do.)"""
    return (
        np.zeros(n_members, dtype=np.float32),  # accumulator
        np.empty(n_members, dtype=np.int64),  # members found
        np.zeros(max(n_popular, 1), dtype=np.float32),  # the query's popular values
        np.empty(max_row + 1, dtype=np.int64),  # its popular columns
        np.empty(max_row + 1, dtype=np.float32),  # their bound coefficients
        np.empty(max_row + 1, dtype=np.float64),  # suffix bounds
        np.empty(max_row + 1, dtype=np.float32),  # their values
        np.empty(n_members if thresholds else 0, dtype=np.float32),  # this thread's k-th scores
    )


def _top_k_block(
    queries: npt.NDArray[np.int64],
    x: CsrArrays,
    xt: CsrArrays,
    column_bound: npt.NDArray[np.float32],
    popular: PopularArrays,
    forbidden: ForbiddenArrays,
    k: int,
    max_row: int,
    n_threads: int,
) -> TopK:
    n_queries = queries.size
    n_popular = popular[2].size
    out_ids = np.full((n_queries, k), -1, dtype=np.int64)
    out_scores = np.zeros((n_queries, k), dtype=np.float32)
    scanned = np.zeros(n_queries, dtype=np.int64)
    n_chunks = (n_queries + _CHUNK - 1) // _CHUNK
    workers = max(1, min(n_threads, n_chunks))
    for t in numba.prange(workers):
        scratch = _new_scratch(popular[4].size, n_popular, max_row, False)
        for c in range(t, n_chunks, workers):
            for q in range(c * _CHUNK, min((c + 1) * _CHUNK, n_queries)):
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


def _half_window(q: int, n: int) -> int:
    """How many members after ``q`` (round the circle) it scores in the symmetric pass: every
    pair exactly once, and every member about half the others."""
    if n % 2 == 0 and q < n // 2:
        return n // 2
    return (n - 1) // 2


def _accumulate(
    lo: int,
    hi: int,
    weight: np.float32,
    xt_indices: npt.NDArray[np.int32],
    xt_data: npt.NDArray[np.float32],
    acc: npt.NDArray[np.float32],
    touched: npt.NDArray[np.int64],
    n_touched: int,
) -> int:
    """Add ``weight * x_bj`` for the entries ``lo:hi`` of a posting list into the accumulator
    (branch-free: a member is listed in ``touched`` once, when first reached)."""
    for p in range(lo, hi):
        b = xt_indices[p]
        value = acc[b]
        touched[n_touched] = b
        n_touched += value == 0.0
        acc[b] = value + weight * xt_data[p]
    return n_touched


def _first_at_least(xt_indices: npt.NDArray[np.int32], lo: int, hi: int, member: int) -> int:
    """The first position of the sorted list ``lo:hi`` holding ``member`` or a later one
    (a binary search by hand: slicing would count references on a shared array)."""
    while lo < hi:
        middle = (lo + hi) >> 1
        if xt_indices[middle] < member:
            lo = middle + 1
        else:
            hi = middle
    return lo


def _scan_range(
    lo: int,
    hi: int,
    first: int,
    last: int,
    weight: np.float32,
    xt_indices: npt.NDArray[np.int32],
    xt_data: npt.NDArray[np.float32],
    acc: npt.NDArray[np.float32],
    touched: npt.NDArray[np.int64],
    n_touched: int,
) -> int:
    """Accumulate the entries ``first <= member <= last`` of the sorted list ``lo:hi``."""
    start = _first_at_least(xt_indices, lo, hi, first)
    end = _first_at_least(xt_indices, start, hi, last + 1)
    return _accumulate(start, end, weight, xt_indices, xt_data, acc, touched, n_touched)


def _symmetric_query(
    q: int,
    x: CsrArrays,
    xt: CsrArrays,
    column_bound: npt.NDArray[np.float32],
    popular_arrays: PopularArrays,
    forbidden: ForbiddenArrays,
    k: int,
    scratch: Scratch,
    heap: Heap,
    offers: Offers,
    n_offers: int,
) -> tuple[int, int]:
    """Score ``q`` against the members of its half window that share a rare interest with it,
    pushing each pair into q's list and offering it to the other member's list (this
    thread's; see :func:`_apply_offers`). Returns (entries scanned, offers pending)."""
    x_indptr, x_indices, x_data = x
    xt_indptr, xt_indices, xt_data = xt
    ids, scores, fill = heap
    acc, touched = scratch[0], scratch[1]
    masks, inv_norm, theta = popular_arrays[1], popular_arrays[4], scratch[7]
    unit = popular_arrays[9]
    pop_query, t_cols, t_coef, t_value = scratch[2], scratch[3], scratch[4], scratch[6]
    n = acc.shape[0]
    split, m_t, exact_bits, coef_total = _setup(q, x, popular_arrays, column_bound, scratch)
    for p in range(forbidden[0][q], forbidden[0][q + 1]):
        acc[forbidden[1][p]] = -np.inf
    last = q + _half_window(q, n)
    n_touched = 0
    scanned = 0
    for j in range(x_indptr[q], split):
        lo, hi = xt_indptr[x_indices[j]], xt_indptr[x_indices[j] + 1]
        n_touched = _scan_range(
            lo, hi, q + 1, min(last, n - 1), x_data[j], xt_indices, xt_data, acc, touched, n_touched
        )
        if last >= n:
            n_touched = _scan_range(
                lo, hi, 0, last - n, x_data[j], xt_indices, xt_data, acc, touched, n_touched
            )
        scanned += hi - lo
    for i in range(n_touched):
        b = touched[i]
        rare = acc[b]
        acc[b] = 0.0
        limit = min(theta[q], theta[b])
        if rare + coef_total * inv_norm[b] < limit:
            continue  # the cheap bound, inline: most pairs stop here
        inv = inv_norm[b]
        if exact_bits:
            score = rare + _bits_exact(masks[b], inv, unit, t_cols, t_value, m_t)
        elif (
            rare + _bits_bound(masks[b], inv, t_cols, t_coef, m_t) * np.float32(1.0 + _SLACK)
            < limit
        ):
            continue
        else:
            score = rare + _row_part(b, inv, x, popular_arrays, pop_query)
        if score <= 0.0:
            continue
        if score >= theta[q]:
            fill[q] = _push(q, b, score, k, fill[q], ids, scores)
            theta[q] = max(theta[q], _threshold(q, fill[q], k, scores))
        if score >= theta[b]:
            if n_offers == offers[0].size:
                _apply_offers(offers, n_offers, k, heap, theta)
                n_offers = 0
            offers[0][n_offers] = b
            offers[1][n_offers] = q
            offers[2][n_offers] = score
            n_offers += 1
    _reset(scratch, 0, forbidden, q, m_t)
    return scanned, n_offers


def _new_offers(n_members: int, capacity: int) -> Offers:
    return (
        np.empty(capacity, dtype=np.int32),
        np.empty(capacity, dtype=np.int32),
        np.empty(capacity, dtype=np.float32),
        np.empty(capacity, dtype=np.int32),
        np.empty(capacity, dtype=np.int32),
        np.empty(capacity, dtype=np.float32),
        np.zeros((n_members >> OFFER_SHIFT) + 2, dtype=np.int64),
    )


def _apply_offers(
    offers: Offers, n_offers: int, k: int, heap: Heap, theta: npt.NDArray[np.float32]
) -> None:
    """Push the pending offers into the thread's lists, bucketed by member first.

    Pushing each offer at once cost a cache miss or two in a list anywhere among the
    members (measured: a third of the pass at 100,000 members). Bucketed by ``member >>
    OFFER_SHIFT``, the lists a bucket touches stay in the cache. Lists are bounded and
    ordered by (score down, id up), so the order of the pushes does not change them; an
    offer that a list no longer wants is dropped by the same check."""
    member, offered, score, by_member, by_offered, by_score, starts = offers
    ids, scores, fill = heap
    starts[:] = 0
    for i in range(n_offers):
        starts[(member[i] >> OFFER_SHIFT) + 1] += 1
    for bucket in range(1, starts.size):
        starts[bucket] += starts[bucket - 1]
    for i in range(n_offers):
        bucket = member[i] >> OFFER_SHIFT
        position = starts[bucket]
        starts[bucket] = position + 1
        by_member[position] = member[i]
        by_offered[position] = offered[i]
        by_score[position] = score[i]
    for i in range(n_offers):
        b = by_member[i]
        if by_score[i] >= theta[b]:
            fill[b] = _push(b, by_offered[i], by_score[i], k, fill[b], ids, scores)
            theta[b] = max(theta[b], _threshold(b, fill[b], k, scores))


def _floor_query(
    q: int,
    x: CsrArrays,
    xt: CsrArrays,
    column_bound: npt.NDArray[np.float32],
    popular_arrays: PopularArrays,
    forbidden: ForbiddenArrays,
    k: int,
    budget: int,
    scratch: Scratch,
    top_ids: npt.NDArray[np.int64],
    top_scores: npt.NDArray[np.float32],
) -> np.float32:
    """A lower bound of q's k-th score, cheaply: the k-th best of partial scores (the rarest
    lists, up to ``budget`` entries, plus the popular part) of the members found there. A
    partial score adds a subset of the same non-negative terms, so it never exceeds the
    pair's score."""
    x_indptr, x_indices, x_data = x
    xt_indptr, xt_indices, xt_data = xt
    acc, touched = scratch[0], scratch[1]
    masks, inv_norm = popular_arrays[1], popular_arrays[4]
    unit = popular_arrays[9]
    pop_query, t_cols, t_value = scratch[2], scratch[3], scratch[6]
    split, m_t, exact_bits, coef_total = _setup(q, x, popular_arrays, column_bound, scratch)
    for p in range(forbidden[0][q], forbidden[0][q + 1]):
        acc[forbidden[1][p]] = -np.inf
    n_touched = 0
    total = 0
    for j in range(x_indptr[q], split):
        lo, hi = xt_indptr[x_indices[j]], xt_indptr[x_indices[j] + 1]
        if total + hi - lo > budget:
            break
        total += hi - lo
        n_touched = _accumulate(lo, hi, x_data[j], xt_indices, xt_data, acc, touched, n_touched)
    filled = 0
    for i in range(n_touched):
        b = touched[i]
        rare = acc[b]
        acc[b] = 0.0
        inv = inv_norm[b]
        if filled == k and rare + coef_total * inv < top_scores[0, k - 1]:
            continue
        if exact_bits:
            score = rare + _bits_exact(masks[b], inv, unit, t_cols, t_value, m_t)
        else:
            score = rare + _row_part(b, inv, x, popular_arrays, pop_query)
        filled = _push(0, b, score, k, filled, top_ids, top_scores)
    _reset(scratch, 0, forbidden, q, m_t)
    floor = np.float32(0.0)
    if filled == k:
        floor = np.float32(top_scores[0, k - 1] * np.float32(1.0 - _SLACK))
    return floor


def _symmetric_block(
    x: CsrArrays,
    xt: CsrArrays,
    column_bound: npt.NDArray[np.float32],
    popular: PopularArrays,
    forbidden: ForbiddenArrays,
    k: int,
    max_row: int,
    n_threads: int,
    floor_budget: int,
    offer_buffer: int,
) -> TopK:
    """Exact top-k of every member, each pair scored once (see :func:`interest_top_k`);
    floors read ``floor_budget`` posting entries, and each thread holds up to
    ``offer_buffer`` offers before applying them."""
    n = x[0].size - 1
    n_popular = popular[2].size
    ids = np.full((n_threads, n, k), -1, dtype=np.int64)
    scores = np.zeros((n_threads, n, k), dtype=np.float32)
    fill = np.zeros((n_threads, n), dtype=np.int64)
    floors = np.zeros(n, dtype=np.float32)
    scanned = np.zeros(n, dtype=np.int64)
    chunk = _CHUNK * 4
    n_chunks = (n + chunk - 1) // chunk
    # 0. A floor under every member's k-th score, so the lists skip most pairs from the start.
    for t in numba.prange(n_threads):
        scratch = _new_scratch(popular[4].size, n_popular, max_row, False)
        top_ids = np.full((1, k), -1, dtype=np.int64)
        top_scores = np.zeros((1, k), dtype=np.float32)
        for c in range(t, n_chunks, n_threads):
            for q in range(c * chunk, min((c + 1) * chunk, n)):
                floors[q] = _floor_query(
                    q,
                    x,
                    xt,
                    column_bound,
                    popular,
                    forbidden,
                    k,
                    floor_budget,
                    scratch,
                    top_ids,
                    top_scores,
                )
    # 1. Pairs sharing a rare interest, each scored once by one of its members, offered to
    # both lists of the thread that scored it.
    for t in numba.prange(n_threads):
        scratch = _new_scratch(popular[4].size, n_popular, max_row, True)
        heap = (ids[t], scores[t], fill[t])
        scratch[7][:] = floors
        offers = _new_offers(n, offer_buffer)
        n_offers = 0
        for c in range(t, n_chunks, n_threads):
            for q in range(c * chunk, min((c + 1) * chunk, n)):
                scanned[q], n_offers = _symmetric_query(
                    q,
                    x,
                    xt,
                    column_bound,
                    popular,
                    forbidden,
                    k,
                    scratch,
                    heap,
                    offers,
                    n_offers,
                )
        _apply_offers(offers, n_offers, k, heap, scratch[7])
    # 2. Each member's lists merged, then its members sharing only popular interests.
    out_ids = np.full((n, k), -1, dtype=np.int64)
    out_scores = np.zeros((n, k), dtype=np.float32)
    n_interests = column_bound.size
    for t in numba.prange(n_threads):
        scratch = _new_scratch(popular[4].size, n_popular, max_row, False)
        rare_mark = np.zeros(n_interests, dtype=np.bool_)
        for q in range(t, n, n_threads):
            filled = 0
            for u in range(n_threads):
                for i in range(fill[u, q]):
                    filled = _push(q, ids[u, q, i], scores[u, q, i], k, filled, out_ids, out_scores)
            split, m_t, exact_bits, coef_total = _setup(q, x, popular, column_bound, scratch)
            acc = scratch[0]
            for p in range(forbidden[0][q], forbidden[0][q + 1]):
                acc[forbidden[1][p]] = -np.inf
            for j in range(x[0][q], split):
                rare_mark[x[1][j]] = True
            filled, n_touched, more, _ = _popular_only(
                q,
                x,
                popular,
                scratch,
                m_t,
                exact_bits,
                coef_total,
                k,
                filled,
                out_ids,
                out_scores,
                0,
                rare_mark,
            )
            for j in range(x[0][q], split):
                rare_mark[x[1][j]] = False
            _reset(scratch, n_touched, forbidden, q, m_t)
            scanned[q] += more
    return out_ids, out_scores, scanned


def _merge_lists(
    members: npt.NDArray[np.int64],
    ids: npt.NDArray[np.int64],
    cosines: npt.NDArray[np.float32],
    base: CsrArrays,
    forbidden: ForbiddenArrays,
    x: CsrArrays,
    coefficient: npt.NDArray[np.float32],
    locality_bound: npt.NDArray[np.float32],
    pair_terms: PairTerms,
    k: int,
    n_threads: int,
    n_columns: int,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32], npt.NDArray[np.bool_]]:
    """Exact totals of a block from its interest lists and the other parts; see
    :func:`merge_lists`. All arithmetic is float32: a total is ``(other parts + locality) +
    coefficient * cosine``."""
    n_rows, width = ids.shape
    n_members = pair_terms[4].size
    w_interest, w_hire, hiring, seeking, scale, w_near, regions, reach = pair_terms
    has_hiring = hiring.size > 0
    has_locality = regions.size > 0
    top_ids = np.full((n_rows, k), -1, dtype=np.int64)
    top_scores = np.zeros((n_rows, k), dtype=np.float32)
    certified = np.zeros(n_rows, dtype=np.bool_)
    most = width + int(np.diff(base[0]).max()) if n_rows else 0
    for t in numba.prange(n_threads):
        slot_of = np.full(n_members, -1, dtype=np.int32)  # -2: forbidden
        cand = np.empty(most, dtype=np.int64)  # the row's candidates
        known = np.empty(most, dtype=np.bool_)  # in the interest list
        cosine = np.empty(most, dtype=np.float32)  # their cosine there
        other = np.empty(most, dtype=np.float32)  # their other parts
        coef = np.empty(most, dtype=np.float32)  # the pair's interest coefficient
        lower = np.empty(most, dtype=np.float32)  # the total, exact once known
        upper = np.empty(most, dtype=np.float32)  # what the total can reach
        pending = np.empty(most, dtype=np.int64)
        bounds = np.empty(most, dtype=np.float32)
        dense = np.zeros(n_columns, dtype=np.float32)  # the query's interest row
        best_ids = np.full((1, k), -1, dtype=np.int64)
        best_scores = np.zeros((1, k), dtype=np.float32)
        for row in range(t, n_rows, n_threads):
            q = members[row]
            outside = cosines[row, width - 1] if ids[row, width - 1] >= 0 else np.float32(0.0)
            for p in range(forbidden[0][row], forbidden[0][row + 1]):
                slot_of[forbidden[1][p]] = -2
            m = 0
            for i in range(width):
                b = ids[row, i]
                if b < 0 or slot_of[b] == -2:
                    continue
                slot_of[b] = m
                cand[m] = b
                known[m] = True
                cosine[m] = cosines[row, i]
                other[m] = np.float32(0.0)
                m += 1
            for p in range(base[0][row], base[0][row + 1]):
                b = base[1][p]
                if slot_of[b] == -2 or base[2][p] == 0.0:
                    continue
                if slot_of[b] == -1:
                    slot_of[b] = m
                    cand[m] = b
                    known[m] = False
                    cosine[m] = np.float32(0.0)
                    other[m] = np.float32(0.0)
                    m += 1
                other[slot_of[b]] += base[2][p]
            filled = 0
            # Per pair, the rules of batch.interest_coefficient (with components.hire_match)
            # and components.locality, which are numpy over arrays of pairs; the hypothesis
            # test over every mix of parts holds the two equal.
            for i in range(m):
                b = cand[i]
                pc = w_interest
                if has_hiring:
                    match = (hiring[q] and seeking[b]) or (seeking[q] and hiring[b])
                    pc = pc + w_hire * (np.float32(1.0) if match else np.float32(0.0))
                coef[i] = pc * scale[q]
                near = np.float32(0.0)
                if has_locality:
                    same = regions[q] == regions[b] and regions[q] >= 0
                    near = w_near if same and min(reach[q], reach[b]) <= 1 else np.float32(0.0)
                add = coef[i] * cosine[i] if known[i] else np.float32(0.0)
                total = (other[i] + near) + add
                lower[i] = total
                upper[i] = total + (np.float32(0.0) if known[i] else coefficient[row] * outside)
                filled = _push(0, b, total, k, filled, best_ids, best_scores)
            # Pairs the other parts alone know get their exact cosine, best bound first, while
            # the bound can still reach the list (a pair left out scores at most its bound,
            # under the list's k-th, so it could not have entered it).
            theta = best_scores[0, k - 1] if filled == k else np.float32(0.0)
            filled = 0
            n_open = 0
            for i in range(m):
                slot_of[cand[i]] = -1
                if not known[i] and upper[i] >= theta and outside > 0:
                    pending[n_open] = i
                    bounds[n_open] = -upper[i]
                    n_open += 1
                else:
                    filled = _push(row, cand[i], lower[i], k, filled, top_ids, top_scores)
            order = np.argsort(bounds[:n_open], kind="mergesort")
            for p in range(x[0][q], x[0][q + 1]):
                dense[x[1][p]] = x[2][p]
            for o in range(n_open):
                i = pending[order[o]]
                if filled == k and upper[i] < top_scores[row, k - 1]:
                    break
                b = cand[i]
                dot = np.float32(0.0)
                for p in range(x[0][b], x[0][b + 1]):
                    dot += dense[x[1][p]] * x[2][p]
                lower[i] += coef[i] * dot
                filled = _push(row, cand[i], lower[i], k, filled, top_ids, top_scores)
            for p in range(x[0][q], x[0][q + 1]):
                dense[x[1][p]] = 0.0
            for p in range(forbidden[0][row], forbidden[0][row + 1]):
                slot_of[forbidden[1][p]] = -1
            for i in range(k):
                best_ids[0, i] = -1
                best_scores[0, i] = 0.0
            rest = coefficient[row] * outside + locality_bound[row]
            last = top_scores[row, k - 1]
            certified[row] = last >= rest and (last > 0 or rest <= 0)
    return top_ids, top_scores, certified


if _NUMBA:  # pragma: no branch
    _setup = numba.njit(cache=True, nogil=True)(_setup)
    _bits_exact = numba.njit(cache=True, nogil=True, inline="always")(_bits_exact)
    _bits_bound = numba.njit(cache=True, nogil=True, inline="always")(_bits_bound)
    _row_part = numba.njit(cache=True, nogil=True)(_row_part)
    _push = numba.njit(cache=True, nogil=True, inline="always")(_push)
    _threshold = numba.njit(cache=True, nogil=True, inline="always")(_threshold)
    _popular_only = numba.njit(cache=True, nogil=True)(_popular_only)
    _reset = numba.njit(cache=True, nogil=True)(_reset)
    _new_scratch = numba.njit(cache=True, nogil=True)(_new_scratch)
    _query_top_k = numba.njit(cache=True, nogil=True, boundscheck=False)(_query_top_k)
    _top_k_block = numba.njit(cache=True, nogil=True, parallel=True)(_top_k_block)
    _half_window = numba.njit(cache=True, nogil=True, inline="always")(_half_window)
    _accumulate = numba.njit(cache=True, nogil=True, inline="always")(_accumulate)
    _first_at_least = numba.njit(cache=True, nogil=True, inline="always")(_first_at_least)
    _scan_range = numba.njit(cache=True, nogil=True, inline="always")(_scan_range)
    _symmetric_query = numba.njit(cache=True, nogil=True, boundscheck=False)(_symmetric_query)
    _floor_query = numba.njit(cache=True, nogil=True, boundscheck=False)(_floor_query)
    _new_offers = numba.njit(cache=True, nogil=True)(_new_offers)
    _apply_offers = numba.njit(cache=True, nogil=True, boundscheck=False)(_apply_offers)
    _symmetric_block = numba.njit(cache=True, nogil=True, parallel=True)(_symmetric_block)
    _merge_lists = numba.njit(cache=True, nogil=True, parallel=True)(_merge_lists)


def _thread_count(n_threads: int) -> int:
    """``n_threads``, capped at the threads numba started with."""
    return max(1, min(n_threads, int(getattr(numba.config, "NUMBA_NUM_THREADS", 1))))


@contextmanager
def _using_threads(threads: int) -> Iterator[None]:
    """numba's parallel loops on ``threads`` threads for the duration of a call."""
    previous = numba.get_num_threads()
    numba.set_num_threads(threads)
    try:
        yield
    finally:
        numba.set_num_threads(previous)


def _forbidden_arrays(forbidden: sp.csr_matrix) -> ForbiddenArrays:
    return (
        forbidden.indptr.astype(np.int64, copy=False),
        forbidden.indices.astype(np.int64, copy=False),
    )


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
    symmetric: bool | None = None,
) -> TopK:
    """Exact top-``k`` idf cosine for each query member (see the module docstring).

    ``forbidden`` has one row per query: members never to return (the query itself
    included). Returns ids (-1 where fewer than ``k`` score above 0), scores, and per query
    the entries of its rare posting lists plus the popular entries it read (the symmetric
    pass reads about half of the former).

    ``symmetric=True`` (the queries must be every member in order, and ``forbidden``
    symmetric, as the engine's is): each pair is scored once, by one of its members, and
    offered to both lists. A pair's score is the same bits whichever way it is computed, so
    both ways return the same lists. ``None`` picks it where it measured faster: from
    ``SYMMETRIC_MIN_MEMBERS`` members, for ``k <= SYMMETRIC_MAX_K`` (with k = 60 the
    symmetric pass is 3x slower: its pushes cost O(k) and its floors are weak), while the
    threads' own lists stay under ``SYMMETRIC_MAX_BYTES`` (about 20 bytes per member, list
    entry and thread: 0.8 GB for a million members, k = 20 and 2 threads; many cores would
    multiply it).
    """
    max_row = int(np.diff(x.indptr).max(initial=0))
    n_members = x.shape[0]
    threads = _thread_count(n_threads)
    everybody = (
        queries.size == n_members
        and bool(np.array_equal(queries, np.arange(n_members)))
        and (forbidden != forbidden.T).nnz == 0
    )
    if symmetric is None:
        symmetric = (
            everybody
            and n_members >= SYMMETRIC_MIN_MEMBERS
            and k <= SYMMETRIC_MAX_K
            and threads * n_members * k * 20 <= SYMMETRIC_MAX_BYTES
        )
    elif symmetric and not everybody:
        raise ValueError("symmetric needs every member queried in order and symmetric forbidden")
    popular = (
        index.start,
        index.masks,
        index.weight,
        index.uniform,
        index.inv_norm,
        index.weight_min,
        index.impact_indptr,
        index.impact_ids,
        index.impact_values,
        index.unit,
    )
    shared = (
        _csr_arrays(x),
        _csr_arrays(xt),
        column_bound,
        popular,
        _forbidden_arrays(forbidden),
        k,
        max_row,
        threads,
    )
    with _using_threads(threads):
        if symmetric:
            offer_buffer = max(1, min(OFFER_BUFFER, n_members * k))
            result: TopK = _symmetric_block(*shared, FLOOR_BUDGET, offer_buffer)
        else:
            queries = np.ascontiguousarray(queries, dtype=np.int64)
            result = _top_k_block(queries, *shared)
    return result


def _csr_arrays(matrix: sp.csr_matrix) -> CsrArrays:
    return (
        matrix.indptr.astype(np.int64, copy=False),
        matrix.indices.astype(np.int32, copy=False),
        matrix.data.astype(np.float32, copy=False),
    )


def merge_lists(
    members: npt.NDArray[np.int64],
    ids: npt.NDArray[np.int64],
    cosines: npt.NDArray[np.float32],
    base: sp.csr_matrix,
    forbidden: sp.csr_matrix,
    x: sp.csr_matrix,
    coefficient: npt.NDArray[np.float32],
    locality_bound: npt.NDArray[np.float32],
    pair_terms: PairTerms,
    *,
    k: int,
    n_threads: int,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32], npt.NDArray[np.bool_]]:
    """Exact top-``k`` totals of a block of ``members`` from their interest top-W (``ids``,
    ``cosines``) and the other parts (``base``: one row per member, any order; ``forbidden``:
    pairs never to return), with whether each list is certified.

    A member outside both has at most ``coefficient * cos_W + locality_bound`` (``cos_W``:
    the list's last cosine, 0 for a short list). A pair only the other parts know gets its
    exact cosine (its interest row of ``x`` read against the query's, in column order) only
    where that bound still reaches the list's ``k``-th total, best bound first; a list is
    certified when nothing outside it can beat its ``k``-th total. ``pair_terms``: see
    :data:`PairTerms` (empty hiring or region arrays switch those terms off)."""
    base = sp.csr_matrix(base, dtype=np.float32)
    threads = _thread_count(n_threads)
    with _using_threads(threads):
        merged: tuple[npt.NDArray[np.int64], npt.NDArray[np.float32], npt.NDArray[np.bool_]]
        merged = _merge_lists(
            np.ascontiguousarray(members, dtype=np.int64),
            np.ascontiguousarray(ids, dtype=np.int64),
            np.ascontiguousarray(cosines, dtype=np.float32),
            _csr_arrays(base),
            _forbidden_arrays(sp.csr_matrix(forbidden)),
            _csr_arrays(x),
            np.ascontiguousarray(coefficient, dtype=np.float32),
            np.ascontiguousarray(locality_bound, dtype=np.float32),
            pair_terms,
            k,
            threads,
            x.shape[1],
        )
    return merged
