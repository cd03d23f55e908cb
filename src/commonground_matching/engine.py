"""The public estimator: :class:`MatchingEngine`."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from commonground_matching import jit
from commonground_matching import rerank as learned
from commonground_matching import validation as v
from commonground_matching.batch import batch_top_k, patch_overrides, score_top_k
from commonground_matching.components import (
    FittedState,
    Weights,
    forbidden_rows,
    interest_coefficient,
    locality,
    other_parts,
)
from commonground_matching.explain import Explanation, explain_pair
from commonground_matching.results import TopKResult, diversify
from commonground_matching.state import (
    build_state,
    fold_overrides,
    fused_kernel_available,
    normalized_row,
)
from commonground_matching.weighting import inverse_norms

__all__ = ["MatchingEngine"]


class MatchingEngine:
    """Suggest members to each other from shared interests, the network, goals and place.

    ``score(a, b) = interest_weight * cos_idf(a, b) / best_cos(a)
    + network_weight * adamic_adar(a, b) / best_adamic_adar(a)
    + walk_weight * walk(a, b) / best_walk(a)
    + similar_weight * friends_of_similar(a, b) / best_friends_of_similar(a)
    + tag_weight * cos_idf_tags(a, b) / best_cos_tags(a)
    + goals_weight * (mentoring(a, b) + hiring_weight * hire_match(a, b) * cos_idf(a, b))
    + locality_weight * local(a, b)``

    * ``cos_idf`` is the cosine of idf-weighted interest rows: a shared niche counts far more
      than a shared popular interest, and members with many interests do not dominate.
      ``best_cos(a)`` is a's best cosine with anybody when connections are given (so every
      part is on a 0-1 scale), else 1.
    * ``adamic_adar`` sums ``1 / log(degree)`` over mutual connections.
    * ``walk`` is a 3-step random walk (continue probability 0.7) over connections (weight 1)
      plus each member's ``similar_members`` most interest-similar members (weight
      ``walk_similar_weight * cosine``): it reaches friends of friends, and the friends of
      people who share one's interests.
    * ``friends_of_similar`` sums, over a's most interest-similar members, their cosine
      with a times their connection to b.
    * ``cos_idf_tags`` is the same cosine on the optional second interest view ``tags``
      (its own idf), divided by a's best value of it.
    * Each network part is divided by a's best value of it.
    * ``mentoring`` is ``skills_a . wants_b + skills_b . wants_a`` (idf-weighted, unit rows);
      ``hire_match`` is 1 when one of the pair is hiring and the other seeking.
    * ``local`` is 1 when both are in the same known region and at least one wants local or
      regional reach.

    Parameters
    ----------
    interest_weight : float, default=1.0
        Weight of the shared-interest cosine.
    network_weight : float, default=1.0
        Weight of mutual connections (Adamic-Adar).
    walk_weight : float, default=4.0
        Weight of the random walk over connections and similar members.
    similar_weight : float, default=2.0
        Weight of "friends of the members most similar to you".
    similar_members : int, default=50
        How many interest-similar members each member links to for the walk and for
        ``friends_of_similar``; 0 turns both off. Computed by :meth:`fit` (one extra batch)
        only when connections are given.
    walk_similar_weight : float, default=0.25
        Weight of an edge to an interest-similar member in the walk, relative to a
        connection (an edge weighs ``walk_similar_weight * cosine``); 0 walks over
        connections only.
    tag_weight : float, default=1.0
        Weight of the second interest view given to :meth:`fit` as ``tags`` (ignored
        without it).
    goals_weight : float, default=0.5
        Weight of complementary goals.
    hiring_weight : float, default=0.5
        Share of the interest cosine added when hiring meets seeking.
    locality_weight : float, default=0.05
        Bonus for the same region.
    rerank : {"auto", True, False} or RerankModel, default="auto"
        Re-order each member's 100 best by the score with a model learned from the
        connections themselves (:mod:`commonground_matching.rerank`): :meth:`fit` holds out
        20% of the connections three times and learns which evidence predicts the held-out
        ones, including each candidate's own view of the member. ``top_k`` and ``scores``
        then report the model's probability. ``"auto"`` learns when connections are given
        (at least 50 of them, and enough of the held-out ones found to learn from) and one
        pass of the walk over every member stays under 10 million entries (estimated from
        64 members; about 3,000 members where the walk's rows are dense); ``True`` always
        learns (an error when there is nothing to learn from); ``False`` never does. Costs
        :meth:`fit` about four passes over every member. A
        :class:`~commonground_matching.RerankModel` (an earlier fit's
        ``rerank_model_``, or :meth:`RerankModel.from_dict
        <commonground_matching.RerankModel.from_dict>` of one) is used as it is:
        :meth:`fit` then costs one pass instead of four (the features still come from the
        graph given; only the learned weights are reused), which is what refreshing one
        member's list after an edit needs.
    diversity : float, default=0.0
        Re-ranking strength against members already shown to many; 0 turns it off.
    rescore_margin : int, default=40
        Extra candidates per list rescored exactly before the cut.
    seed_budget : int, default=256
        Work per member (posting-list entries) allowed for the seed pass.
    block_size : int or None, default=None
        Query rows per block; None picks one from the data.
    n_jobs : int or None, default=None
        Threads; None uses every core.
    kernel : {"auto", "numba", "sparse_dot_topn", "scipy"}, default="auto"
        How the interest part is ranked where it is the only part (no network, tags, goals,
        hiring or locality: the other parts could lift a pair these kernels dropped, so those
        blocks always take the scipy path). ``"numba"`` (optional package, the ``fast`` extra)
        compiles an exact pruned top-k (:mod:`commonground_matching.jit`), one query per core,
        about 8x faster than ``sparse_dot_topn`` at 100,000 members; ``"sparse_dot_topn"``
        (optional package) fuses the product with the per-row top-n in C++. ``"auto"`` uses the
        first of them that is installed.

    Attributes
    ----------
    n_members_ : int
    n_interests_ : int
    idf_ : ndarray of shape (n_interests,)
        Interest weights learned from ``interests``.
    rerank_model_ : RerankModel or None
        The re-ranking model in use (learned by :meth:`fit` or given as ``rerank``); None
        when the score is not re-ranked.
    state_ : FittedState
        Matrices learned by :meth:`fit` (internal layout, not a stable API).

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> interests = sp.csr_matrix(np.array([[1, 1, 0], [1, 1, 0], [0, 1, 1], [0, 0, 1]]))
    >>> engine = MatchingEngine().fit(interests)
    >>> engine.top_k([0], k=2).ids.tolist()
    [[1, 2]]
    """

    def __init__(
        self,
        *,
        interest_weight: float = 1.0,
        network_weight: float = 1.0,
        walk_weight: float = 4.0,
        similar_weight: float = 2.0,
        similar_members: int = 50,
        walk_similar_weight: float = 0.25,
        tag_weight: float = 1.0,
        goals_weight: float = 0.5,
        hiring_weight: float = 0.5,
        locality_weight: float = 0.05,
        rerank: str | bool = "auto",
        diversity: float = 0.0,
        rescore_margin: int = 40,
        seed_budget: int = 256,
        block_size: int | None = None,
        n_jobs: int | None = None,
        kernel: str = "auto",
    ) -> None:
        self.interest_weight = interest_weight
        self.network_weight = network_weight
        self.walk_weight = walk_weight
        self.similar_weight = similar_weight
        self.similar_members = similar_members
        self.walk_similar_weight = walk_similar_weight
        self.tag_weight = tag_weight
        self.goals_weight = goals_weight
        self.hiring_weight = hiring_weight
        self.locality_weight = locality_weight
        self.rerank = rerank
        self.diversity = diversity
        self.rescore_margin = rescore_margin
        self.seed_budget = seed_budget
        self.block_size = block_size
        self.n_jobs = n_jobs
        self.kernel = kernel

    def get_params(self) -> dict[str, Any]:
        """Parameters given to the constructor, as a dict."""
        names = (
            "interest_weight",
            "network_weight",
            "walk_weight",
            "similar_weight",
            "similar_members",
            "walk_similar_weight",
            "tag_weight",
            "goals_weight",
            "hiring_weight",
            "locality_weight",
            "rerank",
            "diversity",
            "rescore_margin",
            "seed_budget",
            "block_size",
            "n_jobs",
            "kernel",
        )
        return {name: getattr(self, name) for name in names}

    def _weights(self) -> Weights:
        return Weights(
            interest=v.check_non_negative_number("interest_weight", self.interest_weight),
            network=v.check_non_negative_number("network_weight", self.network_weight),
            walk=v.check_non_negative_number("walk_weight", self.walk_weight),
            similar=v.check_non_negative_number("similar_weight", self.similar_weight),
            goals=v.check_non_negative_number("goals_weight", self.goals_weight),
            hiring=v.check_non_negative_number("hiring_weight", self.hiring_weight),
            locality=v.check_non_negative_number("locality_weight", self.locality_weight),
            tags=v.check_non_negative_number("tag_weight", self.tag_weight),
        )

    def fit(
        self,
        interests: sp.spmatrix | sp.sparray,
        connections: sp.spmatrix | sp.sparray | None = None,
        *,
        skills: sp.spmatrix | sp.sparray | None = None,
        wants_to_learn: sp.spmatrix | sp.sparray | None = None,
        hiring: npt.ArrayLike | None = None,
        seeking: npt.ArrayLike | None = None,
        regions: npt.ArrayLike | None = None,
        reach: npt.ArrayLike | None = None,
        exclusions: sp.spmatrix | sp.sparray | npt.ArrayLike | None = None,
        tags: sp.spmatrix | sp.sparray | None = None,
    ) -> MatchingEngine:
        """Validate the inputs and learn the weighted matrices.

        Parameters
        ----------
        interests : sparse matrix of shape (n_members, n_interests)
            Non-negative intensities (1 for "has it", play counts after ``log1p``...).
        connections : sparse matrix of shape (n_members, n_members), optional
            Symmetric; any non-zero is a connection. Never suggested again.
        skills, wants_to_learn : sparse matrix of shape (n_members, n_interests), optional
            What a member can teach and what they want to learn (needed together).
        hiring, seeking : array of bool of shape (n_members,), optional
        regions : array of int of shape (n_members,), optional
            Region code per member, -1 when unknown.
        reach : array of int of shape (n_members,), optional
            0 local, 1 regional, 2 national, 3 virtual; defaults to 1 when regions are given.
        exclusions : sparse matrix or (n_pairs, 2) int array, optional
            Pairs never to suggest (blocked, dismissed); applied both ways.
        tags : sparse matrix of shape (n_members, n_tags), optional
            A second, independent interest view (free-text tags a member applied, counts
            after ``log1p``...), compared by its own idf cosine and weighted by
            ``tag_weight``. Not changed by :meth:`update_member`.

        Returns
        -------
        self : MatchingEngine
        """
        weights = self._weights()
        v.check_non_negative_number("diversity", self.diversity)
        v.check_non_negative_int("rescore_margin", self.rescore_margin)
        v.check_non_negative_int("similar_members", self.similar_members)
        walk_similar = v.check_non_negative_number("walk_similar_weight", self.walk_similar_weight)
        v.check_positive_int("seed_budget", self.seed_budget)
        v.check_positive_int("block_size", self.block_size, allow_none=True)
        v.check_positive_int("n_jobs", self.n_jobs, allow_none=True)
        compiled, fused = _kernels(self.kernel)
        rerank = _check_rerank(self.rerank)
        matrix = v.check_interests(interests)
        n_members, n_interests = matrix.shape
        state = build_state(
            weights,
            matrix,
            graph=v.check_connections(connections, n_members),
            skills=_optional_interest_like("skills", skills, matrix.shape),
            wants=_optional_interest_like("wants_to_learn", wants_to_learn, matrix.shape),
            hiring=v.check_bool_vector("hiring", hiring, n_members),
            seeking=v.check_bool_vector("seeking", seeking, n_members),
            regions=v.check_int_vector(
                "regions", regions, n_members, low=-1, high=2**62, default=-1
            ),
            reach=v.check_int_vector(
                "reach", reach, n_members, low=0, high=3, default=1 if regions is not None else 3
            ),
            exclusions=v.check_exclusions(exclusions, n_members),
            seed_budget=int(self.seed_budget),
            use_fused_kernel=fused,
            use_jit=compiled,
            similar_members=int(self.similar_members),
            walk_similar_weight=walk_similar,
            tags=None
            if tags is None
            else v.check_interest_like("tags", tags, n_rows=n_members, n_cols=None),
            n_jobs=self.n_jobs or os.cpu_count() or 1,
        )
        if isinstance(rerank, learned.RerankModel):
            state.reranker = learned.apply_model(state, rerank, walk_similar, self._by_score())
        elif rerank is True or (
            rerank == "auto" and 0 < learned.pass_work(state, walk_similar) <= learned.AUTO_MAX_WORK
        ):
            state.reranker = self._learn(state, rerank is True, walk_similar)
        self.state_ = state  # only now: a fit that raises leaves the engine as it was
        self.n_members_ = n_members
        self.n_interests_ = n_interests
        self.idf_ = self.state_.idf
        self.rerank_model_ = None if state.reranker is None else state.reranker.model
        return self

    def _by_score(self) -> Callable[..., learned.TopK]:
        """The exact top-k by the score (before any re-ranking), as the re-ranker needs it."""
        n_jobs = self.n_jobs or os.cpu_count() or 1
        margin = int(self.rescore_margin)

        def by_score(fitted: FittedState, members: npt.NDArray[np.int64], k: int) -> learned.TopK:
            return score_top_k(fitted, members, k=k, margin=margin, n_jobs=n_jobs, block_size=None)

        return by_score

    def _learn(
        self, state: FittedState, required: bool, walk_similar: float
    ) -> learned.Reranker | None:
        model = learned.fit_reranker(state, walk_similar, self._by_score())
        if model is None and required:
            raise v.MatchingInputError(
                f"rerank=True needs connections to learn from: at least {learned.MIN_EDGES}, "
                f"with {learned.MIN_POSITIVES} held-out ones found among the candidates; "
                f"got {state.graph.nnz // 2} connections"
            )
        return model

    def _state(self) -> FittedState:
        state: FittedState | None = getattr(self, "state_", None)
        if state is None:
            raise v.NotFittedError(
                "this MatchingEngine is not fitted yet: call fit(interests, ...) first"
            )
        return state

    def top_k(
        self,
        members: npt.ArrayLike | None = None,
        k: int = 20,
        *,
        scheduler: Any = None,
        block_size: int | None = None,
    ) -> TopKResult:
        """Best ``k`` suggestions for each query member, best first.

        Never returns the member, an existing connection or an excluded pair. Ties go to the
        lower id. Only members with a score above 0 are suggested; missing slots hold id -1
        and score 0.

        Parameters
        ----------
        members : sequence of int, optional
            Query members; None means everybody.
        k : int, default=20
        scheduler : str or distributed.Client, optional
            Run the blocks on a Dask cluster (see :func:`top_k_dask`); same result.
        block_size : int, optional
            Query rows per block (for Dask: per task).

        Returns
        -------
        TopKResult

        Examples
        --------
        >>> import numpy as np, scipy.sparse as sp
        >>> interests = sp.csr_matrix(np.array([[1, 0, 1], [1, 0, 1], [1, 1, 0]]))
        >>> result = MatchingEngine().fit(interests).top_k(k=2)
        >>> result.ids.tolist()  # interest 0 is held by everybody: it weighs nothing
        [[1, -1], [0, -1], [-1, -1]]
        """
        state = self._state()
        checked_k = v.check_k(k)
        queries = v.check_members(members, state.n_members)
        v.check_positive_int("block_size", block_size, allow_none=True)
        if scheduler is not None:
            from commonground_matching.distributed import top_k_dask

            return top_k_dask(self, scheduler, members=queries, k=checked_k, block_size=block_size)
        wide = checked_k * 2 if self.diversity else checked_k
        ids, scores, certified = batch_top_k(
            state,
            queries,
            k=wide,
            margin=int(self.rescore_margin),
            n_jobs=self.n_jobs or os.cpu_count() or 1,
            block_size=block_size or self.block_size,
        )
        return self._finish(queries, ids, scores, certified, checked_k)

    def _finish(
        self,
        queries: npt.NDArray[np.int64],
        ids: npt.NDArray[np.int64],
        scores: npt.NDArray[np.float32],
        certified: npt.NDArray[np.bool_],
        k: int,
    ) -> TopKResult:
        if self.diversity:
            ids, scores = diversify(
                ids, scores, k=k, strength=float(self.diversity), n_members=self._state().n_members
            )
        return TopKResult(members=queries, ids=ids, scores=scores, certified=certified)

    def scores(self, member: int) -> npt.NDArray[np.float32]:
        """Exact score of ``member`` against every member, by brute force.

        The reference the pruned :meth:`top_k` is measured against. The member themself,
        their connections and excluded pairs get ``-inf``.

        Parameters
        ----------
        member : int

        Returns
        -------
        ndarray of shape (n_members,), float32

        Examples
        --------
        >>> import numpy as np, scipy.sparse as sp
        >>> engine = MatchingEngine().fit(sp.csr_matrix(np.array([[1, 1], [1, 0], [0, 1]])))
        >>> [round(float(score), 3) for score in engine.scores(1)]
        [0.707, -inf, 0.0]
        """
        state = self._state()
        index = v.check_member("member", member, state.n_members)
        members = np.array([index], dtype=np.int64)
        query = state.interest_rows(members)
        interest = patch_overrides(state, query, sp.csr_matrix(query @ state.xt))
        everybody = np.arange(state.n_members, dtype=np.int64)
        total = np.zeros(state.n_members, dtype=np.float32)
        coefficient = interest_coefficient(state, np.full(state.n_members, index), everybody)
        total += coefficient * interest.toarray().ravel()
        total += other_parts(state, members).toarray().ravel()
        if state.has_locality:
            near = locality(state, np.full(state.n_members, index), everybody)
            total += np.float32(state.weights.locality) * near
        total[forbidden_rows(state, members).indices] = -np.inf
        if state.reranker is not None:
            return learned.rerank_scores(state, state.reranker, index, total)
        return total

    def explain(self, a: int, b: int) -> Explanation:
        """The parts of ``score(a, b)``; they sum to ``scores(a)[b]``.

        Examples
        --------
        >>> import numpy as np, scipy.sparse as sp
        >>> engine = MatchingEngine().fit(sp.csr_matrix(np.array([[1, 1], [1, 0], [0, 1]])))
        >>> why = engine.explain(0, 1)
        >>> [interest for interest, _ in why.shared_interests], round(why.total, 3)
        ([0], 0.707)
        """
        state = self._state()
        first = v.check_member("a", a, state.n_members)
        second = v.check_member("b", b, state.n_members)
        why = explain_pair(state, first, second)
        if state.reranker is None:
            return why
        score = float(self.scores(first)[second])
        terms: list[tuple[str, float]] = []
        if score > 0:
            _, terms = learned.explain_terms(state, state.reranker, first, second, why.total)
        return dataclasses.replace(why, learned_score=score, learned_terms=terms)

    def update_member(
        self, member: int, interests_row: sp.spmatrix | sp.sparray | npt.ArrayLike
    ) -> MatchingEngine:
        """Replace one member's interests without refitting.

        Interest rarity (idf) stays as learned by :meth:`fit`; a later fit refreshes it.
        Every later query sees the new row, whoever asks.

        Examples
        --------
        >>> import numpy as np, scipy.sparse as sp
        >>> engine = MatchingEngine().fit(sp.csr_matrix(np.array([[1, 0], [1, 0], [0, 1]])))
        >>> engine.update_member(0, np.array([0, 1])).top_k([0], k=1).ids.tolist()
        [[2]]
        """
        state = self._state()
        index = v.check_member("member", member, state.n_members)
        row = v.check_interest_row(interests_row, self.n_interests_)
        new_row = normalized_row(state, row)
        state.overrides[index] = new_row
        if state.inv_norm is not None:
            state.inv_norm[index] = inverse_norms(row, state.idf)[0]
        if new_row.nnz:
            np.maximum.at(state.column_bound, new_row.indices, new_row.data)
        if len(state.overrides) > max(256, state.n_members // 1000):
            fold_overrides(state)
        return self


_KERNELS = ("auto", "numba", "sparse_dot_topn", "scipy")


def _check_rerank(value: object) -> str | bool | learned.RerankModel:
    if value is True or value is False or (isinstance(value, str) and value == "auto"):
        return value
    if isinstance(value, learned.RerankModel):
        return value
    raise v.MatchingInputError(
        f"rerank must be 'auto', True, False or a RerankModel, got {value!r}"[:300]
    )


def _kernels(kernel: object) -> tuple[bool, bool]:
    """(compiled numba kernel, fused sparse_dot_topn kernel) for the ``kernel`` parameter."""
    if kernel not in _KERNELS:
        raise v.MatchingInputError(f"kernel must be one of {_KERNELS}, got {kernel!r}")
    if kernel == "scipy":
        return False, False
    if kernel == "numba":
        if not jit.available():
            raise v.MatchingInputError(
                "kernel='numba' needs the numba package (the 'fast' extra), which is not installed"
            )
        return True, fused_kernel_available()
    available = fused_kernel_available()
    if kernel == "sparse_dot_topn":
        if not available:
            raise v.MatchingInputError(
                "kernel='sparse_dot_topn' needs the sparse_dot_topn package, which is not installed"
            )
        return False, True
    return jit.available(), available


def _optional_interest_like(
    name: str, value: object, shape: tuple[int, int]
) -> sp.csr_matrix | None:
    if value is None:
        return None
    return v.check_interest_like(name, value, n_rows=shape[0], n_cols=shape[1])
