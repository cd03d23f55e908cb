"""The parts of the score, computed for a block of query members at once.

Score(a, b) = interest_weight * cosine_idf(a, b) / best_cosine(a)
            + network_weight * adamic_adar(a, b) / best_adamic_adar(a)
            + walk_weight * walk(a, b) / best_walk(a)
            + similar_weight * friends_of_similar(a, b) / best_friends_of_similar(a)
            + tag_weight * cosine_idf_tags(a, b) / best_cosine_tags(a)
            + goals_weight * (mentoring(a, b) + hiring_weight * hire_match(a, b) * cosine_idf(a, b))
            + locality_weight * same_region_and_local(a, b)

Dividing each network part by the member's best value of it puts the parts on one 0-1 scale,
so the weights say how much each kind of evidence counts. ``best_cosine`` is 1 when no
connections are given (the interest part is then the only ranked part).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from commonground_matching.jit import PopularIndex
from commonground_matching.kernels import rows_of

if TYPE_CHECKING:
    from commonground_matching.rerank import Reranker

__all__ = [
    "FittedState",
    "Weights",
    "hire_match",
    "interest_coefficient",
    "locality",
    "other_parts",
    "tag_part",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Weights:
    """The balance between the parts of the score."""

    interest: float
    network: float
    walk: float
    similar: float
    goals: float
    hiring: float
    locality: float
    tags: float = 0.0


@dataclass
class FittedState:
    """Everything :meth:`MatchingEngine.fit` learns; shared by batch, online and Dask paths."""

    weights: Weights
    n_members: int
    interest_order: IntArray  # ordered column -> original interest index (rarest first)
    idf: npt.NDArray[np.float32]  # by original interest index
    x: sp.csr_matrix  # idf-normalized interests, columns rarest first
    xt: sp.csr_matrix  # x.T as CSR: posting lists
    popular: npt.NDArray[np.float32]  # dense copy of the last (most popular) columns of x
    column_bound: npt.NDArray[np.float32]
    n_seed_columns: int
    seed_xt: sp.csr_matrix
    graph: sp.csr_matrix
    aa_weight: npt.NDArray[np.float32]
    walk: sp.csr_matrix  # row-stochastic steps over connections + similar members
    similar: sp.csr_matrix  # each member's most interest-similar members, cosine weights
    interest_scale: npt.NDArray[np.float32]  # 1 / best cosine per member (1 without a graph)
    skills: sp.csr_matrix
    wants: sp.csr_matrix
    hiring: npt.NDArray[np.bool_]
    seeking: npt.NDArray[np.bool_]
    regions: IntArray
    reach: IntArray
    forbidden: sp.csr_matrix
    use_fused_kernel: bool
    tags: sp.csr_matrix | None = None  # idf-normalized second interest view (members x tags)
    inv_norm: npt.NDArray[np.float32] | None = None  # 1 / norm of each idf-weighted row
    popular_index: PopularIndex | None = None  # for the compiled kernel (numba), when used
    region_lists: dict[tuple[int, bool], IntArray] = field(default_factory=dict)
    reranker: Reranker | None = None  # the learned re-ranking model, when fitted
    walk_expanded: sp.csr_matrix | None = None  # every member's walk rows (only while fitting)
    overrides: dict[int, sp.csr_matrix] = field(default_factory=dict)

    @property
    def has_network(self) -> bool:
        w = self.weights
        return bool(self.graph.nnz) and (w.network > 0 or w.walk > 0 or w.similar > 0)

    @property
    def has_tags(self) -> bool:
        return self.tags is not None and bool(self.tags.nnz) and self.weights.tags > 0

    @property
    def has_goals(self) -> bool:
        return bool(self.skills.nnz and self.wants.nnz) and self.weights.goals > 0

    @property
    def has_hiring(self) -> bool:
        w = self.weights
        return bool(self.hiring.any() and self.seeking.any()) and w.goals * w.hiring > 0

    @property
    def has_locality(self) -> bool:
        return bool((self.regions >= 0).any()) and self.weights.locality > 0

    def interest_rows(self, members: IntArray) -> sp.csr_matrix:
        """Current interest rows, online updates included."""
        block = sp.csr_matrix(self.x[members])
        if not self.overrides:
            return block
        changed = [i for i, m in enumerate(members.tolist()) if m in self.overrides]
        if not changed:
            return block
        parts = [block[i] for i in range(block.shape[0])]
        for i in changed:
            parts[i] = self.overrides[int(members[i])]
        return sp.csr_matrix(sp.vstack(parts, format="csr"), dtype=np.float32)


def hire_match(state: FittedState, rows: IntArray, cols: IntArray) -> npt.NDArray[np.bool_]:
    """One of the pair is hiring and the other is seeking."""
    h, s = state.hiring, state.seeking
    return (h[rows] & s[cols]) | (s[rows] & h[cols])


def interest_coefficient(state: FittedState, rows: IntArray, cols: IntArray) -> FloatArray:
    """Weight of the interest cosine for each pair (more when hiring meets seeking)."""
    w = state.weights
    coefficient = np.full(rows.size, w.interest, dtype=np.float32)
    if state.has_hiring:
        coefficient += np.float32(w.goals * w.hiring) * hire_match(state, rows, cols)
    scaled: FloatArray = coefficient * state.interest_scale[rows]
    return scaled


def locality(state: FittedState, rows: IntArray, cols: IntArray) -> npt.NDArray[np.bool_]:
    """Same known region, and at least one of the pair wants local or regional reach."""
    same = (state.regions[rows] == state.regions[cols]) & (state.regions[rows] >= 0)
    wants_near = np.minimum(state.reach[rows], state.reach[cols]) <= 1
    near: npt.NDArray[np.bool_] = same & wants_near
    return near


def locality_heads(state: FittedState, members: IntArray, count: IntArray) -> sp.csr_matrix:
    """For each query, the lowest-id members who would get its locality bonus.

    The bonus alone ties many members; ties go to the lower id, so the first ``count`` of
    the region list are enough to fill the list where nothing else scores.
    """
    rows: list[IntArray] = []
    cols: list[IntArray] = []
    for i, member in enumerate(members.tolist()):
        region = int(state.regions[member])
        if region < 0:
            continue
        near = bool(state.reach[member] <= 1)
        heads = state.region_lists.get((region, near), np.zeros(0, dtype=np.int64))
        heads = heads[: int(count[i])]
        rows.append(np.full(heads.size, i, dtype=np.int64))
        cols.append(heads)
    if not rows:
        return sp.csr_matrix((members.size, state.n_members), dtype=np.float32)
    r, c = np.concatenate(rows), np.concatenate(cols)
    return sp.csr_matrix(
        (np.full(r.size, 1e-30, dtype=np.float32), (r, c)), shape=(members.size, state.n_members)
    )


def _row_normalized(block: sp.csr_matrix, weight: float) -> sp.csr_matrix:
    """``weight * block`` with each row divided by its largest value."""
    block = sp.csr_matrix(block, dtype=np.float32)
    block.eliminate_zeros()
    if block.nnz == 0:
        return block
    best = np.asarray(block.max(axis=1).toarray()).ravel()
    scale = np.divide(weight, best, out=np.zeros_like(best), where=best > 0)
    block.data *= np.repeat(scale, np.diff(block.indptr)).astype(np.float32)
    return block


WALK_STEPS = 3
WALK_CONTINUE = 0.7


def raw_network_parts(state: FittedState, members: IntArray) -> dict[str, sp.csr_matrix]:
    """The network parts of a block of members before weighting and row normalization (only
    the parts whose weight is above 0)."""
    w = state.weights
    parts: dict[str, sp.csr_matrix] = {}
    if not state.has_network:
        return parts
    if w.network > 0:
        parts["adamic_adar"] = adamic_adar_rows(state, members)
    if w.walk > 0:
        if state.walk_expanded is not None:
            parts["walk"] = sp.csr_matrix(state.walk_expanded[members])
        else:
            parts["walk"] = walk_rows(state.walk, members)
    if w.similar > 0 and state.similar.nnz:
        parts["similar"] = similar_rows(state, members)
    return parts


def adamic_adar_rows(state: FittedState, members: IntArray) -> sp.csr_matrix:
    """``adamic_adar(a, b)`` for the ``members``' rows: ``1 / log(degree)`` summed over
    mutual connections."""
    return sp.csr_matrix((state.graph[members] @ sp.diags(state.aa_weight)) @ state.graph)


def similar_rows(state: FittedState, members: IntArray) -> sp.csr_matrix:
    """``friends_of_similar(a, b)`` for the ``members``' rows: the connections of a's most
    interest-similar members, weighted by their cosine with a."""
    return sp.csr_matrix(state.similar[members] @ state.graph)


def walk_rows(walk: sp.csr_matrix, members: IntArray) -> sp.csr_matrix:
    """``sum_{s=1..WALK_STEPS} WALK_CONTINUE**s * walk**s`` restricted to ``members``' rows."""
    step = sp.csr_matrix(walk[members])
    total = WALK_CONTINUE * step
    for power in range(2, WALK_STEPS + 1):
        step = sp.csr_matrix(step @ walk)
        total = total + WALK_CONTINUE**power * step
    return sp.csr_matrix(total)


PART_WEIGHT = {"adamic_adar": "network", "walk": "walk", "similar": "similar"}


def network_parts(state: FittedState, members: IntArray) -> dict[str, sp.csr_matrix]:
    """Weighted, row-normalized network parts for a block of members."""
    return {
        name: _row_normalized(block, getattr(state.weights, PART_WEIGHT[name]))
        for name, block in raw_network_parts(state, members).items()
    }


def tag_cosines(state: FittedState, members: IntArray) -> sp.csr_matrix:
    """Raw ``cosine_idf_tags`` of a block of members against everybody (self excluded)."""
    if state.tags is None:
        return sp.csr_matrix((members.size, state.n_members), dtype=np.float32)
    block = sp.csr_matrix(state.tags[members] @ state.tags.T, dtype=np.float32)
    self_pairs = sp.csr_matrix(
        (np.ones(members.size, dtype=np.float32), (np.arange(members.size), members)),
        shape=block.shape,
    )
    return sp.csr_matrix(block - block.multiply(self_pairs), dtype=np.float32)


def tag_part(state: FittedState, members: IntArray) -> sp.csr_matrix:
    """``tag_weight * cosine_idf_tags / best_cosine_tags`` for a block (self excluded)."""
    if not state.has_tags or state.tags is None:
        return sp.csr_matrix((members.size, state.n_members), dtype=np.float32)
    return _row_normalized(tag_cosines(state, members), state.weights.tags)


def other_parts(state: FittedState, members: IntArray) -> sp.csr_matrix:
    """Network, tag and mentoring parts (exact) for a block of members, as a sparse block."""
    w = state.weights
    total = sp.csr_matrix((members.size, state.n_members), dtype=np.float32)
    for part in network_parts(state, members).values():
        total = total + part
    if state.has_tags:
        total = total + tag_part(state, members)
    if state.has_goals:
        mentoring = state.skills[members] @ state.wants.T + state.wants[members] @ state.skills.T
        total = total + w.goals * mentoring
    return sp.csr_matrix(total, dtype=np.float32)


def forbidden_rows(state: FittedState, members: IntArray) -> sp.csr_matrix:
    """Self, existing connections and excluded pairs for a block of members."""
    block = sp.csr_matrix(state.forbidden[members], dtype=np.float32)
    self_pairs = sp.csr_matrix(
        (np.ones(members.size, dtype=np.float32), (np.arange(members.size), members)),
        shape=block.shape,
    )
    return sp.csr_matrix(block + self_pairs, dtype=np.float32)


def coo_of(block: sp.csr_matrix) -> tuple[IntArray, IntArray, npt.NDArray[np.float32]]:
    """(rows, cols, values) of a CSR block."""
    return rows_of(block), block.indices.astype(np.int64), block.data.astype(np.float32)
