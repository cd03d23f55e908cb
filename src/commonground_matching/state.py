"""Building the fitted state, and folding online updates back into it."""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from commonground_matching import jit
from commonground_matching.batch import batch_top_k
from commonground_matching.components import FittedState, Weights
from commonground_matching.weighting import (
    adamic_adar_weights,
    document_frequency,
    idf_normalize,
    idf_weights,
    inverse_norms,
    max_weight_per_column,
    walk_matrix,
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
    similar_members: int,
    n_jobs: int,
    walk_similar_weight: float = 0.25,
    tags: sp.csr_matrix | None = None,
    use_jit: bool = False,
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
    inv_norm = inverse_norms(interests, idf)
    index = jit.popular_index(xt, inv_norm) if use_jit else None
    empty_graph = sp.csr_matrix((n_members, n_members), dtype=np.float32)
    interest_only = FittedState(
        weights=dataclasses.replace(weights, network=0.0, walk=0.0, similar=0.0),
        n_members=n_members,
        interest_order=order,
        idf=idf,
        x=x,
        xt=xt,
        popular=_dense_popular(x),
        column_bound=max_weight_per_column(x),
        n_seed_columns=n_seed,
        seed_xt=sp.csr_matrix(xt[:n_seed]),
        graph=empty_graph,
        aa_weight=np.zeros(n_members, dtype=np.float32),
        walk=empty_graph,
        similar=empty_graph,
        interest_scale=np.ones(n_members, dtype=np.float32),
        skills=sp.csr_matrix(interests.shape, dtype=np.float32),
        wants=sp.csr_matrix(interests.shape, dtype=np.float32),
        hiring=np.zeros(n_members, dtype=bool),
        seeking=np.zeros(n_members, dtype=bool),
        regions=np.full(n_members, -1, dtype=np.int64),
        reach=np.full(n_members, 3, dtype=np.int64),
        forbidden=sp.csr_matrix((n_members, n_members), dtype=bool),
        use_fused_kernel=use_fused_kernel,
        inv_norm=inv_norm,
        popular_index=index,
    )
    similar, scale = empty_graph, np.ones(n_members, dtype=np.float32)
    if graph.nnz and similar_members > 0:
        similar, scale = _similar_members(interest_only, similar_members, n_jobs)
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
        walk=walk_matrix(graph, similar, walk_similar_weight) if weights.walk > 0 else empty_graph,
        similar=similar,
        interest_scale=scale,
        skills=skills_n,
        wants=wants_n,
        hiring=hiring,
        seeking=seeking,
        regions=regions,
        reach=reach,
        forbidden=forbidden,
        use_fused_kernel=use_fused_kernel,
        tags=_tag_matrix(tags),
        region_lists=_region_lists(regions, reach),
        inv_norm=inv_norm,
        popular_index=index,
    )


def _tag_matrix(tags: sp.csr_matrix | None) -> sp.csr_matrix | None:
    """The second interest view, idf-weighted with its own idf and unit rows."""
    if tags is None:
        return None
    idf = idf_weights(document_frequency(tags), tags.shape[0])
    matrix = sp.csr_matrix(idf_normalize(tags, idf), dtype=np.float32)
    matrix.sort_indices()
    return matrix


def _similar_members(
    interest_only: FittedState, k: int, n_jobs: int
) -> tuple[sp.csr_matrix, npt.NDArray[np.float32]]:
    """Each member's ``k`` most interest-similar members, and 1 / their best cosine."""
    n = interest_only.n_members
    members = np.arange(n, dtype=np.int64)
    ids, scores, _ = batch_top_k(
        interest_only, members, k=k, margin=20, n_jobs=n_jobs, block_size=None
    )
    found = ids >= 0
    rows = np.repeat(members, k).reshape(n, k)[found]
    similar = sp.csr_matrix((scores[found], (rows, ids[found])), shape=(n, n), dtype=np.float32)
    best = scores[:, 0].astype(np.float64)
    scale = np.divide(1.0, best, out=np.ones_like(best), where=best > 0).astype(np.float32)
    return similar, scale


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
    if state.popular_index is not None and state.inv_norm is not None:
        state.popular_index = jit.popular_index(state.xt, state.inv_norm)
    state.overrides = {}
