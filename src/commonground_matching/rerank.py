"""Learned re-ranking: each member's best candidates by the score, re-ordered by a model that
the connections themselves teach.

The score (:mod:`commonground_matching.components`) is a fixed blend of evidence. Which
evidence predicts a connection differs from one community to the next, so :meth:`fit` also
learns it from the graph it is given, and nothing else:

1. **Labels from the graph itself.** Three times, 20% of the connections are held out
   (seeds 12345, 12346, 12347), and allowed again. On each sparser graph, up to
   2,000 members with a held-out connection get their ``CANDIDATES`` best by the score; a
   candidate is a positive when the pair was held out.
2. **Features** of a pair (u, c): the parts of the score, raw and divided by u's best; walks
   over connections only, Katz, friends of interest-similar members; u's score of c against
   u's 10th best; and *c's view of u*: c's score of u, c's walk to u, and those against c's
   own 10th-best score, 50th-best walk and 50th-best cosine. Reciprocity is what lifts
   members with few connections. Then c's connection and interest counts.
3. **Model.** An L2 logistic regression (lambda 1, standardized columns, unpenalized
   intercept) fitted by Newton's method in numpy.

At query time each member's ``CANDIDATES`` best by the score are re-ordered by the model's
probability, which becomes the score :meth:`MatchingEngine.top_k` and
:meth:`MatchingEngine.scores` report. Measured on HetRec Last.fm 2K in
``docs/benchmarks-engine.md``.

Everything here works on blocks of query rows: the network parts come from sparse products
of the block's rows, densified one block at a time (``_BLOCK_CELLS`` cells).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from commonground_matching.components import (
    FittedState,
    adamic_adar_rows,
    forbidden_rows,
    interest_coefficient,
    locality,
    similar_rows,
    tag_cosines,
    walk_rows,
)
from commonground_matching.kernels import best_of_rows
from commonground_matching.validation import MatchingInputError
from commonground_matching.weighting import adamic_adar_weights, walk_matrix

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "AUTO_MAX_WORK",
    "CANDIDATES",
    "RerankModel",
    "Reranker",
    "apply_model",
    "fit_reranker",
    "rerank_lists",
    "rerank_scores",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
TopK = tuple[IntArray, npt.NDArray[np.float32], npt.NDArray[np.bool_]]

CANDIDATES = 100  # each member's best by the score that the model re-orders
RESAMPLES = 3
HOLD_OUT = 0.2
SEED = 12345
TRAIN_MEMBERS = 2000  # members sampled per resample to learn from
MIN_EDGES = 50  # fewer connections than this: nothing to learn from
MIN_POSITIVES = 30  # held-out pairs found among the candidates, over all resamples
AUTO_MAX_WORK = 10_000_000  # ``rerank="auto"``: most walk entries in one pass over everybody
WORK_SAMPLE = 64
SCORE_RANK = 10  # "the 10th best score"
SIMILAR_RANK = 50  # "the 50th best walk / cosine"
L2 = 1.0
_BLOCK_CELLS = 4_000_000
_KATZ = (1.0, 0.05, 0.0025)
_LOGIT_LIMIT = 60.0
_CHUNK = 4096  # query members whose features are built at once

LINEAR, LOG = "linear", "log"  # LOG: log1p(value / median of the positive training values)
FEATURES: tuple[tuple[str, str], ...] = (
    # u's view of c
    ("cosine", LINEAR),
    ("cosine_n", LINEAR),
    ("tags", LINEAR),
    ("tags_n", LINEAR),
    ("walk", LOG),
    ("walk_n", LINEAR),
    ("similar", LOG),
    ("similar_n", LINEAR),
    ("friends_walk_2", LOG),
    ("friends_walk_3", LOG),
    ("katz", LOG),
    ("score", LOG),
    ("shared_interests", LINEAR),
    ("adamic_adar_n", LINEAR),
    ("score_vs_10th", LINEAR),
    # c's view of u
    ("score_rev", LOG),
    ("walk_n_rev", LINEAR),
    ("score_vs_10th_rev", LINEAR),
    ("walk_vs_50th_rev", LINEAR),
    ("cosine_vs_50th_rev", LINEAR),
    # the candidate
    ("log_connections_c", LINEAR),
    ("log_interests_c", LINEAR),
)


@dataclass(frozen=True)
class GraphViews:
    """The matrices and per-member constants the features need, for one graph."""

    walk: sp.csr_matrix  # the engine's walk steps (built here when walk_weight is 0)
    walk_t: sp.csr_matrix
    # The transpose of every member's walk rows (the state's ``walk_expanded``), for c's walk
    # to u: kept while fitting only (memory ~ n^2 in small, well-connected graphs).
    walk_expanded_t: sp.csr_matrix | None
    similar_t: sp.csr_matrix
    friends_step: sp.csr_matrix  # a walk over connections only: D^-1 A
    # 1 / each member's best value of a part (0 where it has none), as the score divides by
    inv_best_adamic_adar: npt.NDArray[np.float32]
    inv_best_walk: npt.NDArray[np.float32]
    inv_best_similar: npt.NDArray[np.float32]
    inv_best_tags: npt.NDArray[np.float32]
    kth_score: npt.NDArray[np.float32]
    kth_walk: npt.NDArray[np.float32]
    kth_cosine: npt.NDArray[np.float32]
    degree: npt.NDArray[np.float64]
    n_interests: npt.NDArray[np.float64]


@dataclass(frozen=True)
class RerankModel:
    """A learned re-ranking model, apart from the graph it was learned on.

    :meth:`MatchingEngine.fit` learns one (``rerank="auto"`` or ``True``) and keeps it as
    ``engine.rerank_model_``. Passed back as ``MatchingEngine(rerank=model)``, a later fit
    uses it instead of learning again (about four passes over every member saved): the
    features of each pair are still computed on the new graph, only the weights are reused.
    :meth:`to_dict` and :meth:`from_dict` carry it through JSON.

    Attributes
    ----------
    features : tuple of str
    coefficients : ndarray of shape (n_features,)
        On the transformed features (``LOG`` ones are ``log1p(value / scale)``).
    intercept : float
    scales : ndarray of shape (n_features,)
        The divisor of each ``LOG`` feature (1 for linear ones).
    eps : dict of str to float
        Smoothing of the "against the k-th best" ratios (1% of the median positive value),
        for ``"score"``, ``"walk"`` and ``"cosine"``.
    positives, pairs : int
        Held-out connections found among the training candidates, and training pairs.

    Examples
    --------
    >>> model = RerankModel.from_dict(
    ...     {
    ...         "features": [name for name, _ in FEATURES],
    ...         "coefficients": [0.0] * len(FEATURES),
    ...         "intercept": -1.5,
    ...         "scales": [1.0] * len(FEATURES),
    ...         "eps": {"score": 0.01, "walk": 0.001, "cosine": 0.01},
    ...         "positives": 40,
    ...         "pairs": 9000,
    ...     }
    ... )
    >>> RerankModel.from_dict(model.to_dict()) == model
    True
    """

    features: tuple[str, ...]
    coefficients: FloatArray
    intercept: float
    scales: FloatArray
    eps: dict[str, float]
    positives: int
    pairs: int

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RerankModel):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    def __hash__(self) -> int:
        return hash((self.features, self.intercept, self.positives, self.pairs))

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready values: lists, floats, ints and strings."""
        return {
            "features": list(self.features),
            "coefficients": [float(value) for value in self.coefficients],
            "intercept": float(self.intercept),
            "scales": [float(value) for value in self.scales],
            "eps": {key: float(self.eps[key]) for key in _EPS_KEYS},
            "positives": int(self.positives),
            "pairs": int(self.pairs),
        }

    @classmethod
    def from_dict(cls, data: object) -> RerankModel:
        """The model :meth:`to_dict` gave, checked: its features must be this version's, in
        order (a model learned by another version raises), every number finite and every
        scale positive. Raises :class:`MatchingInputError` naming what is wrong."""
        if not isinstance(data, dict):
            raise MatchingInputError(f"a rerank model must be a dict, got {type(data).__name__}")
        expected = {"features", "coefficients", "intercept", "scales", "eps", "positives", "pairs"}
        if set(data) != expected:
            raise MatchingInputError(
                f"a rerank model needs exactly the keys {sorted(expected)}, got {sorted(data)}"
            )
        names = tuple(name for name, _ in FEATURES)
        if not isinstance(data["features"], list | tuple) or tuple(data["features"]) != names:
            raise MatchingInputError(
                f"rerank model features: expected this version's {len(names)} features "
                f"{list(names)}, got {data['features']!r}"
            )
        coefficients = _finite_vector("coefficients", data["coefficients"], len(names))
        scales = _finite_vector("scales", data["scales"], len(names))
        if (scales <= 0).any():
            raise MatchingInputError("rerank model scales: expected positive numbers")
        eps = data["eps"]
        if not isinstance(eps, dict) or set(eps) != set(_EPS_KEYS):
            raise MatchingInputError(
                f"rerank model eps: expected a dict with keys {list(_EPS_KEYS)}, got {eps!r}"
            )
        eps_values = _finite_vector("eps", [eps[key] for key in _EPS_KEYS], len(_EPS_KEYS))
        if (eps_values <= 0).any():
            raise MatchingInputError("rerank model eps: expected positive numbers")
        counts = []
        for key in ("positives", "pairs"):
            value = data[key]
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise MatchingInputError(
                    f"rerank model {key}: expected a non-negative integer, got {value!r}"
                )
            counts.append(value)
        intercept = data["intercept"]
        if not _is_number(intercept):
            raise MatchingInputError(
                f"rerank model intercept: expected a number, got {intercept!r}"[:300]
            )
        if not np.isfinite(intercept):
            raise MatchingInputError("rerank model intercept: expected a finite number")
        return cls(
            features=names,
            coefficients=coefficients,
            intercept=float(intercept),
            scales=scales,
            eps={key: float(value) for key, value in zip(_EPS_KEYS, eps_values, strict=True)},
            positives=counts[0],
            pairs=counts[1],
        )


_EPS_KEYS = ("score", "walk", "cosine")


def _is_number(value: object) -> bool:
    """An int or a float as JSON gives them (a bool is not a number here)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def _finite_vector(name: str, value: object, size: int) -> FloatArray:
    if (
        not isinstance(value, list | tuple)
        or len(value) != size
        or not all(_is_number(item) for item in value)
    ):
        raise MatchingInputError(
            f"rerank model {name}: expected {size} numbers, got {value!r}"[:300]
        )
    array = np.asarray(value, dtype=np.float64)
    if not np.isfinite(array).all():
        raise MatchingInputError(f"rerank model {name}: expected finite numbers")
    return array


@dataclass(frozen=True)
class Reranker:
    """A re-ranking model and the views of the graph it is applied to."""

    model: RerankModel
    views: GraphViews


def apply_model(
    state: FittedState,
    model: RerankModel,
    walk_similar_weight: float,
    batch: Callable[..., TopK],
) -> Reranker:
    """``model`` ready to re-rank on ``state``'s graph: its views (one pass over everybody)."""
    return Reranker(
        model=model, views=graph_views(state, walk_similar_weight, batch, keep_expanded=False)[0]
    )


def _block_rows(n_members: int) -> int:
    return max(1, _BLOCK_CELLS // max(n_members, 1))


def _dense(block: sp.spmatrix) -> npt.NDArray[np.float32]:
    return np.asarray(sp.csr_matrix(block).toarray(), dtype=np.float32)


def _kth_largest(dense: npt.NDArray[np.float32], k: int) -> npt.NDArray[np.float32]:
    """Each row's k-th largest value (0 where the row has fewer than k)."""
    if dense.shape[1] < k:
        return np.zeros(dense.shape[0], dtype=np.float32)
    part = -np.partition(-dense, k - 1, axis=1)[:, k - 1]
    return np.maximum(part, 0.0).astype(np.float32)


def _inverse(values: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    out = np.zeros_like(values, dtype=np.float32)
    np.divide(1.0, values, out=out, where=values > 0)
    return out


def _walk_of(state: FittedState, walk_similar_weight: float) -> sp.csr_matrix:
    if state.walk.nnz:
        return state.walk
    return sp.csr_matrix(walk_matrix(state.graph, state.similar, walk_similar_weight))


def pass_work(state: FittedState, walk_similar_weight: float) -> int:
    """Estimated entries of the walk expansions in one pass over every member (from
    ``WORK_SAMPLE`` members): what the re-ranker's cost grows with (the walk's rows are
    nearly dense in small, well-connected communities: ~n^2)."""
    n = state.n_members
    if not state.graph.nnz:
        return 0
    rng = np.random.default_rng(SEED)
    sample = np.sort(rng.choice(n, min(WORK_SAMPLE, n), replace=False)).astype(np.int64)
    rows = walk_rows(_walk_of(state, walk_similar_weight), sample)
    return round(float(rows.nnz) / sample.size * n)


def graph_views(
    state: FittedState,
    walk_similar_weight: float,
    batch: Callable[..., TopK],
    *,
    keep_expanded: bool,
) -> tuple[GraphViews, FittedState]:
    """Matrices and per-member constants of ``state``'s graph: one pass over every member.

    The walk is expanded once for every member; the returned state reuses that expansion
    (``walk_expanded``), so the top-k passes that follow do not expand it again.
    """
    n = state.n_members
    graph = state.graph
    walk = _walk_of(state, walk_similar_weight)
    expanded = walk_rows(walk, np.arange(n, dtype=np.int64))
    state = dataclasses.replace(state, walk_expanded=expanded)
    degree = np.asarray(graph.sum(axis=1)).ravel().astype(np.float64)
    inverse_degree = np.divide(1.0, degree, out=np.zeros_like(degree), where=degree > 0)
    friends_step = sp.csr_matrix(sp.diags(inverse_degree) @ graph, dtype=np.float32)
    best = {name: np.zeros(n, dtype=np.float32) for name in ("aa", "walk", "similar", "tags")}
    kth_walk = np.zeros(n, dtype=np.float32)
    size = _block_rows(n)
    for start in range(0, n, size):
        members = np.arange(start, min(start + size, n), dtype=np.int64)
        rows = slice(start, start + members.size)
        best["aa"][rows] = _dense(adamic_adar_rows(state, members)).max(axis=1, initial=0)
        walked = _dense(expanded[members])
        best["walk"][rows] = walked.max(axis=1, initial=0)
        walked[_dense(forbidden_rows(state, members)) > 0] = 0.0
        kth_walk[rows] = _kth_largest(walked, SIMILAR_RANK)
        best["similar"][rows] = _dense(similar_rows(state, members)).max(axis=1, initial=0)
        if state.has_tags:
            best["tags"][rows] = _dense(tag_cosines(state, members)).max(axis=1, initial=0)
    _, top_scores, _ = batch(state, np.arange(n, dtype=np.int64), SCORE_RANK)
    similar_counts = np.diff(state.similar.indptr)
    kth_cosine = np.zeros(n, dtype=np.float32)
    full = np.flatnonzero(similar_counts >= SIMILAR_RANK)
    for member in full.tolist():
        values = state.similar.data[state.similar.indptr[member] : state.similar.indptr[member + 1]]
        kth_cosine[member] = np.partition(values, values.size - SIMILAR_RANK)[
            values.size - SIMILAR_RANK
        ]
    views = GraphViews(
        walk=walk,
        walk_t=sp.csr_matrix(walk.T),
        walk_expanded_t=sp.csr_matrix(expanded.T) if keep_expanded else None,
        similar_t=sp.csr_matrix(state.similar.T),
        friends_step=friends_step,
        inv_best_adamic_adar=_inverse(best["aa"]),
        inv_best_walk=_inverse(best["walk"]),
        inv_best_similar=_inverse(best["similar"]),
        inv_best_tags=_inverse(best["tags"]),
        kth_score=top_scores[:, SCORE_RANK - 1].astype(np.float32),
        kth_walk=kth_walk,
        kth_cosine=kth_cosine,
        degree=degree,
        n_interests=np.diff(state.x.indptr).astype(np.float64),
    )
    return views, state


def _pairwise_dot(left: sp.csr_matrix, right: sp.csr_matrix) -> FloatArray:
    """Row i of ``left`` dotted with row i of ``right``."""
    return np.asarray(left.multiply(right).sum(axis=1), dtype=np.float64).ravel()


def raw_features(
    state: FittedState,
    views: GraphViews,
    members: IntArray,
    ids: IntArray,
    base: npt.NDArray[np.float32],
) -> dict[str, FloatArray]:
    """Raw values of every feature input for the pairs (``members[i]``, ``ids[i, j]``);
    ``ids`` -1 gives 0s. Flattened row-major, shape (n_members * width,)."""
    width = ids.shape[1]
    valid = ids >= 0
    cands = np.where(valid, ids, 0)
    u = np.repeat(members, width)
    c = cands.ravel()
    out: dict[str, FloatArray] = {}
    size = _block_rows(state.n_members)
    graph = state.graph
    blocks: dict[str, list[FloatArray]] = {}

    def gather(name: str, block: sp.spmatrix, rows: slice) -> None:
        dense = _dense(block)
        picked = dense[np.arange(dense.shape[0])[:, None], cands[rows]]
        blocks.setdefault(name, []).append(picked.astype(np.float64).ravel())

    for start in range(0, members.size, size):
        rows = slice(start, start + size)
        block = members[rows]
        gather("adamic_adar", adamic_adar_rows(state, block), rows)
        if state.walk_expanded is not None and views.walk_expanded_t is not None:
            gather("walk", state.walk_expanded[block], rows)
            gather("walk_rev", views.walk_expanded_t[block], rows)
        else:
            gather("walk", walk_rows(views.walk, block), rows)
            gather("walk_rev", walk_rows(views.walk_t, block), rows)
        gather("similar", similar_rows(state, block), rows)
        gather("similar_rev", graph[block] @ views.similar_t, rows)
        step = sp.csr_matrix(views.friends_step[block])
        step2 = sp.csr_matrix(step @ views.friends_step)
        gather("friends_walk_2", step2, rows)
        gather("friends_walk_3", step2 @ views.friends_step, rows)
        first = sp.csr_matrix(graph[block])
        second = sp.csr_matrix(first @ graph)
        gather("katz", _KATZ[0] * first + _KATZ[1] * second + _KATZ[2] * (second @ graph), rows)
    for name, parts in blocks.items():
        out[name] = np.concatenate(parts) if parts else np.zeros(0)
    left, right = state.interest_rows(u), state.interest_rows(c)
    out["cosine"] = _pairwise_dot(left, right)
    left.data[:] = 1.0
    right.data[:] = 1.0
    out["shared_interests"] = np.log1p(_pairwise_dot(left, right))
    if state.has_tags and state.tags is not None:  # tag_weight 0 means: tags unused
        out["tags"] = _pairwise_dot(sp.csr_matrix(state.tags[u]), sp.csr_matrix(state.tags[c]))
    else:
        out["tags"] = np.zeros(u.size)
    out["score"] = np.maximum(base.astype(np.float64).ravel(), 0.0)
    out["score_rev"] = _reverse_score(state, views, u, c, out)
    mask = valid.ravel()
    for name in out:
        out[name] = np.where(mask, out[name], 0.0)
    out["u"], out["c"] = u.astype(np.float64), c.astype(np.float64)
    return out


def _reverse_score(
    state: FittedState, views: GraphViews, u: IntArray, c: IntArray, raw: dict[str, FloatArray]
) -> FloatArray:
    """c's score of u: the score's parts seen from c (each normalized by c's best)."""
    w = state.weights
    total = interest_coefficient(state, c, u).astype(np.float64) * raw["cosine"]
    if state.has_network:
        if w.network > 0:
            total += w.network * raw["adamic_adar"] * views.inv_best_adamic_adar[c]
        if w.walk > 0:
            total += w.walk * raw["walk_rev"] * views.inv_best_walk[c]
        if w.similar > 0 and state.similar.nnz:
            total += w.similar * raw["similar_rev"] * views.inv_best_similar[c]
    if state.has_tags:
        total += w.tags * raw["tags"] * views.inv_best_tags[c]
    if state.has_goals:
        mentoring = _pairwise_dot(
            sp.csr_matrix(state.skills[c]), sp.csr_matrix(state.wants[u])
        ) + _pairwise_dot(sp.csr_matrix(state.wants[c]), sp.csr_matrix(state.skills[u]))
        total += w.goals * mentoring
    if state.has_locality:
        total += w.locality * locality(state, c, u).astype(np.float64)
    result: FloatArray = np.asarray(total, dtype=np.float64)
    return result


def _ratio(value: FloatArray, kth: npt.NDArray[np.floating], eps: float) -> FloatArray:
    ratio: FloatArray = np.log((value + eps) / (kth.astype(np.float64) + eps))
    return ratio


def design(
    state: FittedState, views: GraphViews, raw: dict[str, FloatArray], eps: dict[str, float]
) -> FloatArray:
    """The feature columns (before the ``LOG`` transform), one row per pair."""
    u, c = raw["u"].astype(np.int64), raw["c"].astype(np.int64)
    scale_u = state.interest_scale[u].astype(np.float64)
    columns = {
        "cosine": raw["cosine"],
        "cosine_n": raw["cosine"] * scale_u,
        "tags": raw["tags"],
        "tags_n": raw["tags"] * views.inv_best_tags[u],
        "walk": raw["walk"],
        "walk_n": raw["walk"] * views.inv_best_walk[u],
        "similar": raw["similar"],
        "similar_n": raw["similar"] * views.inv_best_similar[u],
        "friends_walk_2": raw["friends_walk_2"],
        "friends_walk_3": raw["friends_walk_3"],
        "katz": raw["katz"],
        "score": raw["score"],
        "shared_interests": raw["shared_interests"],
        "adamic_adar_n": raw["adamic_adar"] * views.inv_best_adamic_adar[u],
        "score_vs_10th": _ratio(raw["score"], views.kth_score[u], eps["score"]),
        "score_rev": raw["score_rev"],
        "walk_n_rev": raw["walk_rev"] * views.inv_best_walk[c],
        "score_vs_10th_rev": _ratio(raw["score_rev"], views.kth_score[c], eps["score"]),
        "walk_vs_50th_rev": _ratio(raw["walk_rev"], views.kth_walk[c], eps["walk"]),
        "cosine_vs_50th_rev": _ratio(raw["cosine"], views.kth_cosine[c], eps["cosine"]),
        "log_connections_c": np.log1p(views.degree[c]),
        "log_interests_c": np.log1p(views.n_interests[c]),
    }
    return np.stack([np.asarray(columns[name], dtype=np.float64) for name, _ in FEATURES], axis=1)


def _transform(columns: FloatArray, scales: FloatArray) -> FloatArray:
    out = columns.copy()
    for j, (_, kind) in enumerate(FEATURES):
        if kind == LOG:
            out[:, j] = np.log1p(np.maximum(out[:, j], 0.0) / scales[j])
    return out


def logistic_regression(x: FloatArray, y: FloatArray, lam: float = L2) -> tuple[float, FloatArray]:
    """L2 logistic regression by Newton's method on standardized columns.

    Returns the intercept and the coefficients on the raw (unstandardized) columns.
    """
    mean, sd = x.mean(axis=0), x.std(axis=0)
    sd[sd == 0] = 1.0
    z = np.hstack([np.ones((x.shape[0], 1)), (x - mean) / sd])
    w = np.zeros(z.shape[1])
    penalty = lam * np.eye(z.shape[1])
    penalty[0, 0] = 0.0
    for _ in range(100):
        prob = 1.0 / (1.0 + np.exp(-np.clip(z @ w, -_LOGIT_LIMIT, _LOGIT_LIMIT)))
        gradient = z.T @ (prob - y) + penalty @ w
        hessian = (z * (prob * (1.0 - prob))[:, None]).T @ z + penalty
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    coefficients = w[1:] / sd
    return float(w[0] - mean @ coefficients), coefficients


def _upper_edges(graph: sp.csr_matrix) -> tuple[IntArray, IntArray]:
    upper = sp.triu(graph, k=1).tocoo()
    order = np.lexsort((upper.col, upper.row))
    return upper.row[order].astype(np.int64), upper.col[order].astype(np.int64)


def _symmetric(rows: IntArray, cols: IntArray, n: int) -> sp.csr_matrix:
    ones = np.ones(rows.size * 2, dtype=np.float32)
    matrix = sp.csr_matrix(
        (ones, (np.concatenate([rows, cols]), np.concatenate([cols, rows]))), shape=(n, n)
    )
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    return matrix


def _sparser_state(
    state: FittedState, held: sp.csr_matrix, walk_similar_weight: float
) -> FittedState:
    """``state`` with the ``held`` pairs removed from the graph (and allowed again)."""
    graph = sp.csr_matrix(state.graph - state.graph.multiply(held), dtype=np.float32)
    graph.eliminate_zeros()
    forbidden = sp.csr_matrix(
        state.forbidden.astype(np.float32) - state.forbidden.multiply(held), dtype=bool
    )
    forbidden.eliminate_zeros()
    forbidden.sort_indices()
    walk = state.walk
    if walk.nnz:
        walk = sp.csr_matrix(walk_matrix(graph, state.similar, walk_similar_weight))
    return dataclasses.replace(
        state,
        graph=graph,
        aa_weight=adamic_adar_weights(graph),
        walk=walk,
        forbidden=forbidden,
        reranker=None,
    )


def fit_reranker(
    state: FittedState, walk_similar_weight: float, batch: Callable[..., TopK]
) -> Reranker | None:
    """Learn the model from ``state``'s own connections; None when they are too few.

    ``batch(state, members, k)`` is the engine's exact top-k by the score.
    """
    n = state.n_members
    rows, cols = _upper_edges(state.graph)
    if rows.size < MIN_EDGES:
        return None
    resamples, labels = [], []
    training_pairs: list[dict[str, FloatArray]] = []
    for resample in range(RESAMPLES):
        rng = np.random.default_rng(SEED + resample)
        chosen = rng.random(rows.size) < HOLD_OUT
        held = _symmetric(rows[chosen], cols[chosen], n)
        sparser = _sparser_state(state, held, walk_similar_weight)
        views, sparser = graph_views(sparser, walk_similar_weight, batch, keep_expanded=True)
        users = np.unique(np.concatenate([rows[chosen], cols[chosen]]))
        if users.size > TRAIN_MEMBERS:
            users = np.sort(rng.choice(users, TRAIN_MEMBERS, replace=False))
        ids, base, _ = batch(sparser, users, CANDIDATES)
        raw = raw_features(sparser, views, users, ids, base)
        valid = (ids >= 0).ravel()
        label = np.asarray(held[raw["u"].astype(np.int64), raw["c"].astype(np.int64)]).ravel()
        training_pairs.append({key: value[valid] for key, value in raw.items()})
        # Keep what design() reads; the expanded walks (~n^2 entries) go.
        compact = dataclasses.replace(views, walk_expanded_t=None)
        resamples.append((dataclasses.replace(sparser, walk_expanded=None), compact, raw, valid))
        labels.append(label[valid] > 0)
    y = np.concatenate(labels).astype(np.float64)
    if y.sum() < MIN_POSITIVES:
        return None
    pooled = {key: np.concatenate([p[key] for p in training_pairs]) for key in training_pairs[0]}
    eps = {
        "score": 0.01 * _median_positive(pooled["score"]),
        "walk": 0.01 * _median_positive(pooled["walk_rev"]),
        "cosine": 0.01 * _median_positive(pooled["cosine"]),
    }
    x = np.concatenate([design(s, vw, raw, eps)[valid] for s, vw, raw, valid in resamples], axis=0)
    scales = np.ones(len(FEATURES))
    for j, (_, kind) in enumerate(FEATURES):
        if kind == LOG:
            scales[j] = _median_positive(x[:, j])
    intercept, coefficients = logistic_regression(_transform(x, scales), y)
    model = RerankModel(
        features=tuple(name for name, _ in FEATURES),
        coefficients=coefficients,
        intercept=intercept,
        scales=scales,
        eps=eps,
        positives=int(y.sum()),
        pairs=int(y.size),
    )
    return apply_model(state, model, walk_similar_weight, batch)


def _median_positive(values: FloatArray) -> float:
    positive = values[values > 0]
    return float(np.median(positive)) if positive.size else 1.0


def _terms(
    state: FittedState,
    model: Reranker,
    members: IntArray,
    ids: IntArray,
    base: npt.NDArray[np.float32],
) -> FloatArray:
    """Each feature's term of the logit, one row per pair (``members[i]``, ``ids[i, j]``)."""
    raw = raw_features(state, model.views, members, ids, base)
    learned = model.model
    x = _transform(design(state, model.views, raw, learned.eps), learned.scales)
    terms: FloatArray = x * learned.coefficients
    return terms


def _logits(model: Reranker, terms: FloatArray) -> FloatArray:
    """The logit of each row of ``terms``, clipped to +-``_LOGIT_LIMIT``."""
    # Row by row (not a BLAS product), so a pair's logit never depends on its block.
    total = terms.sum(axis=1) + model.model.intercept
    logit: FloatArray = np.clip(total, -_LOGIT_LIMIT, _LOGIT_LIMIT)
    return logit


def _probability(logit: FloatArray) -> npt.NDArray[np.float32]:
    return (1.0 / (1.0 + np.exp(-logit))).astype(np.float32)


def rerank_lists(
    state: FittedState,
    model: Reranker,
    members: IntArray,
    ids: IntArray,
    base: npt.NDArray[np.float32],
    k: int,
) -> tuple[IntArray, npt.NDArray[np.float32]]:
    """The best ``k`` of each row of ``ids`` (the score's candidates) by the model's
    probability, ties to the lower id; -1 and 0 where fewer. ``_CHUNK`` members at a time,
    so the features' memory stays bounded."""
    probability = np.zeros(ids.shape, dtype=np.float32)
    for start in range(0, members.size, _CHUNK):
        rows = slice(start, start + _CHUNK)
        terms = _terms(state, model, members[rows], ids[rows], base[rows])
        probability[rows] = _probability(_logits(model, terms)).reshape(ids[rows].shape)
    return best_of_rows(ids, probability, k)


def rerank_scores(
    state: FittedState, model: Reranker, member: int, base: npt.NDArray[np.float32]
) -> npt.NDArray[np.float32]:
    """Re-ranked scores of ``member`` against everybody from its exact ``base`` scores (-inf
    where forbidden): the model's probability for its ``CANDIDATES`` best, 0 elsewhere."""
    out = np.where(np.isneginf(base), -np.inf, 0.0).astype(np.float32)
    positive = np.flatnonzero(base > 0)
    order = np.lexsort((positive, -base[positive].astype(np.float64)))[:CANDIDATES]
    cands = positive[order]
    if cands.size == 0:
        return out
    members = np.array([member], dtype=np.int64)
    ids = cands[None, :]
    terms = _terms(state, model, members, ids, base[cands][None, :])
    out[cands] = _probability(_logits(model, terms))
    return out


def explain_terms(
    state: FittedState, model: Reranker, a: int, b: int, base: float
) -> tuple[float, list[tuple[str, float]]]:
    """(probability, each feature's contribution to the logit, largest magnitude first)."""
    members = np.array([a], dtype=np.int64)
    ids = np.array([[b]], dtype=np.int64)
    contributions = _terms(state, model, members, ids, np.array([[base]], dtype=np.float32))
    names = model.model.features
    terms = [(name, float(value)) for name, value in zip(names, contributions[0], strict=True)]
    terms.sort(key=lambda item: (-abs(item[1]), item[0]))
    return float(_probability(_logits(model, contributions))[0]), terms
