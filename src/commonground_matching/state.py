"""Building the fitted state, and folding online updates back into it."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from commonground_matching.components import FittedState, Weights
from commonground_matching.weighting import (
    adamic_adar_weights,
    document_frequency,
    idf_normalize,
    idf_weights,
    max_weight_per_column,
    symmetric_walk_matrix,
)

__all__ = ["build_state", "fold_overrides", "normalized_row"]


DENSE_POPULAR_COLUMNS = 16


def _dense_popular(x: sp.csr_matrix) -> npt.NDArray[np.float32]:
    """Dense copy of the most popular columns, for O(1) look-ups while rescoring."""
    width = min(DENSE_POPULAR_COLUMNS, x.shape[1])
    return np.ascontiguousarray(x[:, x.shape[1] - width :].toarray(), dtype=np.float32)


def fused_kernel_available() -> bool:
    """Whether the optional ``sparse_dot_topn`` kernel (product + top-n in C++) imports."""
    try:
        import sparse_dot_topn  # noqa: F401
    except ImportError:
        return False
    return True


def _seed_columns(df_sorted: npt.NDArray[np.int64], n_members: int, budget: int) -> int:
    """How many of the rarest interests fit the seed pass's work budget (sum of df^2)."""
    work = np.cumsum(df_sorted.astype(np.float64) ** 2)
    return int(np.searchsorted(work, float(budget) * n_members, side="right"))


def _region_lists(
    regions: npt.NDArray[np.int64], reach: npt.NDArray[np.int64]
) -> dict[tuple[int, bool], npt.NDArray[np.int64]]:
    """Members of each region in id order: all of them, and those wanting local reach."""
    lists: dict[tuple[int, bool], npt.NDArray[np.int64]] = {}
    known = np.flatnonzero(regions >= 0)
    if known.size == 0:
        return lists
    order = known[np.argsort(regions[known], kind="stable")]
    codes, starts = np.unique(regions[order], return_index=True)
    bounds = [*starts.tolist(), order.size]
    for i, code in enumerate(codes.tolist()):
        members = np.sort(order[bounds[i] : bounds[i + 1]])
        lists[(int(code), True)] = members
        lists[(int(code), False)] = members[reach[members] <= 1]
    return lists


def _goal_matrices(
    skills: sp.csr_matrix | None, wants: sp.csr_matrix | None, shape: tuple[int, int]
) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    empty = sp.csr_matrix(shape, dtype=np.float32)
    if skills is None or wants is None:
        return empty, empty.copy()
    idf = idf_weights(document_frequency(skills) + document_frequency(wants), shape[0])
    return idf_normalize(skills, idf), idf_normalize(wants, idf)


def build_state(
    weights: Weights,
    interests: sp.csr_matrix,
    *,
    graph: sp.csr_matrix,
    skills: sp.csr_matrix | None,
    wants: sp.csr_matrix | None,
    hiring: npt.NDArray[np.bool_],
    seeking: npt.NDArray[np.bool_],
    regions: npt.NDArray[np.int64],
    reach: npt.NDArray[np.int64],
    exclusions: sp.csr_matrix,
    seed_budget: int,
    use_fused_kernel: bool,
) -> FittedState:
    """Learn idf, order interests rarest first, and precompute every matrix the score needs."""
    n_members, n_interests = interests.shape
    df = document_frequency(interests)
    idf = idf_weights(df, n_members)
    order = np.lexsort((np.arange(n_interests), df)).astype(np.int64)
    x = sp.csr_matrix(idf_normalize(interests, idf)[:, order], dtype=np.float32)
    x.sort_indices()
    xt = sp.csr_matrix(x.T, dtype=np.float32)
    xt.sort_indices()
    n_seed = _seed_columns(df[order], n_members, seed_budget)
    skills_n, wants_n = _goal_matrices(skills, wants, interests.shape)
    forbidden = sp.csr_matrix(graph.astype(bool) + exclusions.astype(bool), dtype=bool)
    forbidden.sort_indices()
    return FittedState(
        weights=weights,
        n_members=n_members,
        interest_order=order,
        idf=idf,
        x=x,
        xt=xt,
        popular=_dense_popular(x),
        column_bound=max_weight_per_column(x),
        n_seed_columns=n_seed,
        seed_xt=sp.csr_matrix(xt[:n_seed]),
        graph=graph,
        aa_weight=adamic_adar_weights(graph),
        walk=symmetric_walk_matrix(graph),
        skills=skills_n,
        wants=wants_n,
        hiring=hiring,
        seeking=seeking,
        regions=regions,
        reach=reach,
        forbidden=forbidden,
        use_fused_kernel=use_fused_kernel,
        region_lists=_region_lists(regions, reach),
    )


def normalized_row(state: FittedState, row: sp.csr_matrix) -> sp.csr_matrix:
    """Weight a raw interest row with the fitted idf, normalize it, order its columns."""
    weighted = idf_normalize(row, state.idf)
    rank = np.empty_like(state.interest_order)
    rank[state.interest_order] = np.arange(state.interest_order.size)
    reordered = sp.csr_matrix(
        (weighted.data, rank[weighted.indices], weighted.indptr), shape=weighted.shape
    )
    reordered.sort_indices()
    return sp.csr_matrix(reordered, dtype=np.float32)


def fold_overrides(state: FittedState) -> None:
    """Write online updates into the base matrices, so queries stop patching them."""
    if not state.overrides:
        return
    dirty = np.array(sorted(state.overrides), dtype=np.int64)
    keep = np.ones(state.n_members, dtype=np.float32)
    keep[dirty] = 0.0
    fresh = sp.vstack([state.overrides[int(d)] for d in dirty], format="coo")
    placed = sp.csr_matrix(
        (fresh.data, (dirty[fresh.row], fresh.col)), shape=state.x.shape, dtype=np.float32
    )
    x = sp.csr_matrix(sp.diags(keep) @ state.x + placed, dtype=np.float32)
    x.eliminate_zeros()
    x.sort_indices()
    state.x = x
    state.xt = sp.csr_matrix(x.T, dtype=np.float32)
    state.xt.sort_indices()
    state.popular = _dense_popular(x)
    state.seed_xt = sp.csr_matrix(state.xt[: state.n_seed_columns])
    state.overrides = {}
