"""Batch top-k over blocks of query members, pruned with MaxScore bounds.

With the compiled kernel (:mod:`commonground_matching.jit`, numba installed, no online
updates pending) the interest part is ranked by it instead: exactly, for the interest part
alone; with other parts, each query's interest list is widened by ``rescore_margin`` and
merged with the sparse other parts (:func:`_merge_parts`), and only the lists the bounds
cannot certify go through the scipy path below.

For each block:

1. **Seed.** A sparse product over the rarest interests only (cheap: their posting lists
   are short) plus the network, mentoring and locality parts gives every query a lower
   bound ``t`` on its k-th best score.
2. **Prune (MaxScore).** Interests are ordered rarest first. The tail of a query's
   interests whose upper bound ``sum(x_ai * max_b x_bi)`` cannot lift a pair to ``t`` is
   non-essential: a member sharing only those interests cannot enter the list. Only the
   essential interests' posting lists are scanned, so the popular interests ("music"),
   whose posting lists hold most of the all-pairs work, are mostly never scanned.
3. **Rescore.** The best ``k + rescore_margin`` candidates by partial score get the exact
   contribution of the non-essential interests added (gathered from a dense copy of the
   most popular columns, the only ones allowed to be non-essential), and the top ``k`` are
   kept, ties to the lower id. A list is *certified* when the bounds prove nothing outside
   could beat it; on the scipy path uncertified lists are rescored with wider windows.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from commonground_matching import jit
from commonground_matching.components import (
    FittedState,
    forbidden_rows,
    interest_coefficient,
    locality,
    locality_heads,
    other_parts,
)
from commonground_matching.kernels import (
    best_of_rows,
    essential_split,
    max_rows_per_sort,
    rows_of,
    select_top,
)
from commonground_matching.rerank import CANDIDATES, rerank_lists

__all__ = ["batch_top_k", "patch_overrides", "score_top_k"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float32]
_CANDIDATES_PER_BLOCK = 6_000_000
_SMALL_BLOCK = 8
_MAX_WIDENING = 64


def patch_overrides(
    state: FittedState, queries: sp.csr_matrix, interest: sp.csr_matrix
) -> sp.csr_matrix:
    """Replace interest values against members updated online by their exact new values."""
    if not state.overrides:
        return interest
    dirty = np.array(sorted(state.overrides), dtype=np.int64)
    cleaned = sp.csr_matrix(interest, dtype=np.float32, copy=True)
    cleaned.data[np.isin(cleaned.indices, dirty)] = 0.0
    fresh = sp.vstack([state.overrides[int(d)] for d in dirty], format="csr")
    exact = sp.csr_matrix(queries @ fresh.T)
    exact_coo = exact.tocoo()
    patch = sp.csr_matrix(
        (exact_coo.data, (exact_coo.row, dirty[exact_coo.col])), shape=interest.shape
    )
    total = sp.csr_matrix(cleaned + patch, dtype=np.float32)
    total.eliminate_zeros()
    return total


def _assemble(
    state: FittedState,
    members: IntArray,
    interest: sp.csr_matrix,
    base: sp.csr_matrix,
    forbidden: sp.csr_matrix,
) -> sp.csr_matrix:
    """Total score block: weighted interest + base parts + locality, forbidden pairs removed."""
    weighted = sp.csr_matrix(interest, dtype=np.float32, copy=True)
    rows, cols = rows_of(weighted), weighted.indices.astype(np.int64)
    weighted.data *= interest_coefficient(state, members[rows], cols)
    total = sp.csr_matrix(weighted + base, dtype=np.float32)
    mask = forbidden.copy()
    mask.data[:] = 1.0
    total = sp.csr_matrix(total - total.multiply(mask), dtype=np.float32)
    total.eliminate_zeros()
    if state.has_locality and total.nnz:
        near = locality(state, members[rows_of(total)], total.indices.astype(np.int64))
        total.data += np.float32(state.weights.locality) * near.astype(np.float32)
    return total


def _threshold_inputs(
    state: FittedState, members: IntArray, forbidden: sp.csr_matrix, k: int
) -> tuple[sp.csr_matrix, FloatArray, FloatArray]:
    """Base block (network, mentoring, locality heads), locality bound and interest bound."""
    base = other_parts(state, members)
    locality_bound = np.zeros(members.size, dtype=np.float32)
    if state.has_locality:
        count = np.diff(forbidden.indptr) + k + 1
        base = sp.csr_matrix(base + locality_heads(state, members, count), dtype=np.float32)
        locality_bound[state.regions[members] >= 0] = state.weights.locality
    w = state.weights
    coefficient = np.full(members.size, w.interest, dtype=np.float32)
    if state.has_hiring:
        either = state.hiring[members] | state.seeking[members]
        coefficient += np.float32(w.goals * w.hiring) * either
    return base, locality_bound, coefficient * state.interest_scale[members]


def _product(
    state: FittedState,
    left: sp.csr_matrix,
    right: sp.csr_matrix,
    *,
    fused: bool,
    top_n: int,
    threads: int = 1,
) -> sp.csr_matrix:
    """``left @ right``; with the fused kernel only the ``top_n`` best per row are kept."""
    if fused and left.nnz:
        from sparse_dot_topn import sp_matmul_topn

        width = min(top_n, state.n_members)
        n_threads = threads if threads > 1 else None
        product = sp_matmul_topn(left, right, top_n=width, n_threads=n_threads)
        return sp.csr_matrix(product, dtype=np.float32)
    return sp.csr_matrix(left @ right, dtype=np.float32)


def _rescore(
    state: FittedState,
    members: IntArray,
    tail: sp.csr_matrix,
    ids: IntArray,
    partial: FloatArray,
) -> FloatArray:
    """Add the exact non-essential interest contribution to each (query, candidate) pair.

    Non-essential interests are always among the densely stored popular columns, so each
    contribution is one gather from ``state.popular``.
    """
    exact = partial.copy()
    if tail.nnz == 0:
        return exact
    offset = state.x.shape[1] - state.popular.shape[1]
    per_row = np.diff(tail.indptr)
    width = int(per_row.max())
    slot = np.arange(tail.nnz) - np.repeat(tail.indptr[:-1], per_row)
    rows = rows_of(tail)
    columns = np.zeros((members.size, width), dtype=np.int64)
    values = np.zeros((members.size, width), dtype=np.float32)
    columns[rows, slot] = tail.indices - offset
    values[rows, slot] = tail.data
    valid = ids >= 0
    if state.overrides:
        valid &= ~np.isin(ids, np.fromiter(state.overrides, dtype=np.int64))
    safe = np.where(valid, ids, 0)
    gathered = state.popular[safe[:, :, None], columns[:, None, :]]
    tail_dot = np.einsum("rwl,rl->rw", gathered, values)
    query = np.repeat(members[:, None], ids.shape[1], axis=1)
    coefficient = interest_coefficient(state, query.ravel(), safe.ravel()).reshape(ids.shape)
    exact += np.where(valid, coefficient * tail_dot, 0.0).astype(np.float32)
    return exact


def _seed_threshold(
    state: FittedState,
    members: IntArray,
    queries: sp.csr_matrix,
    base: sp.csr_matrix,
    forbidden: sp.csr_matrix,
    *,
    k: int,
    fused: bool,
    threads: int,
) -> FloatArray:
    """A lower bound on each query's k-th best score, from the rarest interests only."""
    extra = int(np.diff(forbidden.indptr).max(initial=0))
    seed = _product(
        state,
        queries[:, : state.n_seed_columns],
        state.seed_xt,
        fused=fused,
        top_n=k + extra,
        threads=threads,
    )
    seed = patch_overrides(state, queries, seed)
    total = _assemble(state, members, seed, base, forbidden)
    _, scores = select_top(
        rows_of(total),
        total.indices.astype(np.int64),
        total.data,
        n_rows=members.size,
        n_columns=state.n_members,
        k=k,
    )
    return scores[:, k - 1]


def _interest_only(state: FittedState) -> bool:
    return not (
        state.has_network
        or state.has_goals
        or state.has_hiring
        or state.has_locality
        or state.has_tags
    )


def uses_fused_kernel(state: FittedState) -> bool:
    """The fused kernel keeps only the best few per row: exact for the interest part alone.

    Network, tag, goals, hiring or locality parts could lift a pair it dropped, so those take the
    scipy path, which keeps every candidate.
    """
    return state.use_fused_kernel and _interest_only(state)


def uses_compiled_kernel(state: FittedState) -> bool:
    """The numba kernel ranks the interest part, on the fitted rows (no online patches); the
    other parts are merged into its lists exactly (:func:`_merge_parts`)."""
    return state.popular_index is not None and not state.overrides


def compiled_interest_lists(
    state: FittedState,
    members: IntArray,
    forbidden: sp.csr_matrix,
    *,
    k: int,
    n_jobs: int,
    symmetric: bool | None = None,
) -> jit.TopK:
    """The compiled kernel's exact interest top-``k`` of ``members`` on the fitted rows
    (``forbidden``: their rows of :func:`forbidden_rows`); see :func:`jit.interest_top_k`."""
    if state.popular_index is None:
        raise ValueError("the compiled kernel needs a fitted popular index (kernel='numba')")
    return jit.interest_top_k(
        members,
        state.x,
        state.xt,
        state.column_bound,
        state.popular_index,
        forbidden,
        k=k,
        n_threads=n_jobs,
        symmetric=symmetric,
    )


_WIDEN = (4, 16)  # the compiled kernel's retries of uncertified rows, x the width


def _compiled_top_k(
    state: FittedState, members: IntArray, k: int, margin: int, n_jobs: int
) -> tuple[IntArray, FloatArray, npt.NDArray[np.bool_]]:
    """Top-k with :mod:`commonground_matching.jit`: exact for the interest part alone; with
    other parts, the interest lists are widened by ``margin`` and merged with them."""
    certified = np.ones(members.size, dtype=bool)
    interest_only = _interest_only(state)
    if state.popular_index is None or (interest_only and state.weights.interest <= 0):
        return (
            np.full((members.size, k), -1, dtype=np.int64),
            np.zeros((members.size, k), dtype=np.float32),
            certified,
        )
    width = k if interest_only else k + margin
    forbidden = forbidden_rows(state, members)
    ids, scores, _ = compiled_interest_lists(state, members, forbidden, k=width, n_jobs=n_jobs)
    if interest_only:
        scale = np.float32(state.weights.interest) * state.interest_scale[members]
        scaled: FloatArray = (scores * scale[:, None]).astype(np.float32)
        return ids, scaled, certified
    top_ids, top_scores, done = _merge_parts(state, members, forbidden, ids, scores, k, n_jobs)
    # Where the bounds cannot prove a merged list exact, its interest list is widened on the
    # compiled kernel (the other parts can lift a member from far down it), then the scipy
    # path decides for what is still open.
    for factor in _WIDEN:
        pending = np.flatnonzero(~done)
        if pending.size == 0:
            break
        rows_forbidden = sp.csr_matrix(forbidden[pending])
        wide_ids, wide_scores, _ = compiled_interest_lists(
            state, members[pending], rows_forbidden, k=width * factor, n_jobs=n_jobs
        )
        fixed = _merge_parts(
            state, members[pending], rows_forbidden, wide_ids, wide_scores, k, n_jobs
        )
        top_ids[pending], top_scores[pending], done[pending] = fixed
    size = default_block_size(state)
    pending = np.flatnonzero(~done)
    for start in range(0, pending.size, size):
        rows = pending[start : start + size]
        fixed = _block_top_k(state, members[rows], k, margin)
        top_ids[rows], top_scores[rows], done[rows] = fixed
    return top_ids, top_scores, done


def _stacked(
    parts: list[tuple[IntArray, FloatArray, npt.NDArray[np.bool_]]], k: int
) -> tuple[IntArray, FloatArray, npt.NDArray[np.bool_]]:
    """Block results (ids, scores, certified) one under the other."""
    if not parts:
        return (
            np.zeros((0, k), dtype=np.int64),
            np.zeros((0, k), dtype=np.float32),
            np.zeros(0, dtype=bool),
        )
    return (
        np.concatenate([p[0] for p in parts]),
        np.concatenate([p[1] for p in parts]),
        np.concatenate([p[2] for p in parts]),
    )


def _merge_parts(
    state: FittedState,
    members: IntArray,
    forbidden: sp.csr_matrix,
    ids: IntArray,
    cosines: FloatArray,
    k: int,
    n_jobs: int,
) -> tuple[IntArray, FloatArray, npt.NDArray[np.bool_]]:
    """Exact totals from the interest top-W (``ids``, ``cosines``; ``forbidden``: the rows of
    :func:`forbidden_rows`) and the other parts, which are sparse: a pair outside both has at
    most ``coefficient * cos_W + locality``. Pairs only the other parts know are bounded by
    that too, and rescored exactly only where the bound reaches the k-th total; a list is
    certified when nothing outside can beat it (compiled: :func:`jit.merge_lists`). Block by
    block, so the other parts' rows stay bounded in memory."""
    w = state.weights
    no_flags = np.zeros(0, dtype=bool)
    no_regions = np.zeros(0, dtype=np.int64)
    terms: jit.PairTerms = (
        np.float32(w.interest),
        np.float32(w.goals * w.hiring),
        state.hiring if state.has_hiring else no_flags,
        state.seeking if state.has_hiring else no_flags,
        state.interest_scale,
        np.float32(w.locality),
        state.regions.astype(np.int64, copy=False) if state.has_locality else no_regions,
        state.reach.astype(np.int64, copy=False) if state.has_locality else no_regions,
    )
    size = default_block_size(state)
    parts = []
    for start in range(0, members.size, size):
        block = slice(start, start + size)
        rows_forbidden = sp.csr_matrix(forbidden[block])
        base, locality_bound, coefficient = _threshold_inputs(
            state, members[block], rows_forbidden, k
        )
        parts.append(
            jit.merge_lists(
                members[block],
                ids[block],
                cosines[block],
                base,
                rows_forbidden,
                state.x,
                coefficient,
                locality_bound,
                terms,
                k=k,
                n_threads=n_jobs,
            )
        )
    return _stacked(parts, k)


def _block_top_k(
    state: FittedState, members: IntArray, k: int, margin: int, threads: int = 1
) -> tuple[IntArray, FloatArray, npt.NDArray[np.bool_]]:
    queries = state.interest_rows(members)
    forbidden = forbidden_rows(state, members)
    base, locality_bound, coefficient = _threshold_inputs(state, members, forbidden, k)
    # One-off queries (the online path) skip the fused kernel's per-call setup.
    fused = uses_fused_kernel(state) and members.size > _SMALL_BLOCK
    threshold = _seed_threshold(
        state, members, queries, base, forbidden, k=k, fused=fused, threads=threads
    )
    needed = np.maximum(threshold - locality_bound, 0.0) / np.maximum(coefficient, 1e-12)
    always = state.x.shape[1] - state.popular.shape[1]
    essential, remainder = essential_split(
        queries, state.column_bound, needed.astype(np.float32), always_before=always
    )
    tail = sp.csr_matrix(queries - essential, dtype=np.float32)
    tail.eliminate_zeros()
    width = k + margin
    extra = int(np.diff(forbidden.indptr).max(initial=0))
    interest = _product(
        state, essential, state.xt, fused=fused, top_n=width + 1 + extra, threads=threads
    )
    interest = patch_overrides(state, queries, interest)
    total = _assemble(state, members, interest, base, forbidden)
    top_ids, top_scores, certified = _rescore_top(
        state, members, total, tail, remainder, locality_bound, coefficient, k=k, width=width
    )
    # Widen the rescoring window where the bounds could not prove the list exact. Only the
    # scipy path can: it kept every candidate, the fused kernel only the best few.
    pending = np.flatnonzero(~certified)
    while pending.size and not fused and width < _MAX_WIDENING * (k + margin):
        width *= 4
        ids, scores, done = _rescore_top(
            state,
            members[pending],
            total[pending],
            tail[pending],
            remainder[pending],
            locality_bound[pending],
            coefficient[pending],
            k=k,
            width=width,
        )
        top_ids[pending], top_scores[pending], certified[pending] = ids, scores, done
        pending = pending[~done]
    return top_ids, top_scores, certified


def _rescore_top(
    state: FittedState,
    members: IntArray,
    total: sp.csr_matrix,
    tail: sp.csr_matrix,
    remainder: FloatArray,
    locality_bound: FloatArray,
    coefficient: FloatArray,
    *,
    k: int,
    width: int,
) -> tuple[IntArray, FloatArray, npt.NDArray[np.bool_]]:
    """Rescore the best ``width`` candidates by partial score exactly; keep the top ``k``."""
    ids, partial = select_top(
        rows_of(total),
        total.indices.astype(np.int64),
        total.data,
        n_rows=members.size,
        n_columns=state.n_members,
        k=width + 1,
    )
    outside = partial[:, -1].copy()
    ids, partial = ids[:, :-1], partial[:, :-1]
    exact = _rescore(state, members, tail, ids, partial)
    top_ids, top_scores = best_of_rows(ids, exact, k)
    rest_bound = np.maximum(outside, locality_bound) + coefficient * remainder
    certified = top_scores[:, k - 1] >= rest_bound
    certified &= (top_scores[:, k - 1] > 0) | (rest_bound <= 0)
    return top_ids, top_scores, certified


def default_block_size(state: FittedState) -> int:
    """Rows per block so that a block's candidate entries stay around a few million.

    The fused kernel keeps only the best few per row, so its blocks can be as large as the
    packed sort key allows, which amortizes its per-call set-up (linear in the member count).
    """
    largest = min(4096, max_rows_per_sort(state.n_members))
    if state.x.nnz == 0 or uses_fused_kernel(state):
        return largest
    df = np.diff(state.xt.indptr).astype(np.float64)
    per_row = float((df[state.x.indices] * state.x.data).sum()) / max(state.n_members, 1)
    rows = int(_CANDIDATES_PER_BLOCK / max(per_row, 64.0))
    return int(np.clip(rows, 16, largest))


def batch_top_k(
    state: FittedState,
    members: IntArray,
    *,
    k: int,
    margin: int,
    n_jobs: int,
    block_size: int | None,
) -> tuple[IntArray, FloatArray, npt.NDArray[np.bool_]]:
    """Top-k for ``members``: by the score (:func:`score_top_k`), or, where a learned
    re-ranker was fitted, its best ``k`` of each member's :data:`rerank.CANDIDATES` best by
    the score (:mod:`commonground_matching.rerank`); nobody else is ranked then, so a ``k``
    above that leaves -1 slots."""
    model = state.reranker
    if model is None:
        return score_top_k(state, members, k=k, margin=margin, n_jobs=n_jobs, block_size=block_size)
    ids, base, certified = score_top_k(
        state,
        members,
        k=CANDIDATES,
        margin=margin,
        n_jobs=n_jobs,
        block_size=block_size,
    )
    top_ids, top_scores = rerank_lists(state, model, members, ids, base, k)
    return top_ids, top_scores, certified


def score_top_k(
    state: FittedState,
    members: IntArray,
    *,
    k: int,
    margin: int,
    n_jobs: int,
    block_size: int | None,
) -> tuple[IntArray, FloatArray, npt.NDArray[np.bool_]]:
    """Top-k by the score for ``members`` in row blocks, on ``n_jobs`` threads. See the
    module docstring.

    Where the compiled kernel applies (:func:`uses_compiled_kernel`), it ranks every query
    exactly instead, each query on its own core.
    """
    if uses_compiled_kernel(state):
        return _compiled_top_k(state, members, k, margin, n_jobs)
    size = default_block_size(state) if block_size is None else block_size
    size = min(size, max_rows_per_sort(state.n_members))
    starts = list(range(0, members.size, size))

    # sparse_dot_topn holds the GIL but threads internally; scipy and numpy release it.
    inner = n_jobs if uses_fused_kernel(state) else 1

    def run(start: int) -> tuple[IntArray, FloatArray, npt.NDArray[np.bool_]]:
        return _block_top_k(state, members[start : start + size], k, margin, inner)

    if n_jobs > 1 and len(starts) > 1 and inner == 1:
        with ThreadPoolExecutor(max_workers=n_jobs) as pool:
            parts = list(pool.map(run, starts))
    else:
        parts = [run(start) for start in starts]
    return _stacked(parts, k)
