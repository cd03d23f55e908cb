"""Why two members were matched: the score broken into parts that sum to it."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from commonground_matching.components import (
    FittedState,
    hire_match,
    locality,
    network_parts,
    tag_part,
)

__all__ = ["Explanation", "explain_pair"]


@dataclass(frozen=True)
class Explanation:
    """The parts of ``score(a, b)``.

    Attributes
    ----------
    a, b : int
        The pair.
    shared_interests : list of (interest index, contribution)
        Largest contribution first; interest indices are columns of the fitted ``interests``.
    interest_score : float
        Sum of the shared-interest contributions.
    mutual_connections : list of int
        Members connected to both, lower id first.
    network_score : float
        Sum of ``network_parts``.
    network_parts : dict of str to float
        ``"adamic_adar"`` (mutual connections), ``"walk"`` (random walk over connections and
        similar members), ``"similar"`` (connected to members who share a's interests).
    complementary : list of (kind, interest index, contribution)
        ``kind`` is ``"a_mentors_b"``, ``"b_mentors_a"`` or ``"hiring_seeking"`` (interest -1).
    goals_score : float
    same_region : bool
    locality_score : float
    shared_tags : list of (tag index, contribution)
        Largest contribution first, for the second interest view ``tags`` (empty without it).
    tag_score : float
        Sum of the shared-tag contributions.
    total : float
        Sum of the five scores: the score. Without a learned re-ranker it equals
        ``engine.scores(a)[b]`` up to float rounding, unless the pair is excluded (then
        ``scores`` says ``-inf``).
    learned_score : float or None
        With a learned re-ranker (``rerank``): ``engine.scores(a)[b]``, the model's
        probability, 0 when b is not among a's 100 best by the score. None without one.
    learned_terms : list of (feature, contribution)
        The logit's terms for the pair, largest magnitude first (empty when
        ``learned_score`` is None or 0); see :mod:`commonground_matching.rerank`.

    Examples
    --------
    >>> why = Explanation(0, 1, [(3, 0.5)], 0.5, [], 0.0, {}, [], 0.0, False, 0.0, 0.5)
    >>> why.total == why.interest_score + why.network_score + why.goals_score + why.tag_score
    True
    """

    a: int
    b: int
    shared_interests: list[tuple[int, float]]
    interest_score: float
    mutual_connections: list[int]
    network_score: float
    network_parts: dict[str, float]
    complementary: list[tuple[str, int, float]]
    goals_score: float
    same_region: bool
    locality_score: float
    total: float
    shared_tags: list[tuple[int, float]] = field(default_factory=list)
    tag_score: float = 0.0
    learned_score: float | None = None
    learned_terms: list[tuple[str, float]] = field(default_factory=list)

    @property
    def score(self) -> float:
        """What ``engine.scores(a)[b]`` says: ``learned_score`` with a learned re-ranker,
        else ``total``."""
        return self.total if self.learned_score is None else self.learned_score

    @property
    def n_mutual_connections(self) -> int:
        """How many members are connected to both."""
        return len(self.mutual_connections)


def _shared(state: FittedState, a: int, b: int) -> tuple[list[tuple[int, float]], float]:
    rows = state.interest_rows(np.array([a, b], dtype=np.int64))
    first, second = rows[0], rows[1]
    common, ia, ib = np.intersect1d(first.indices, second.indices, return_indices=True)
    products = first.data[ia].astype(np.float64) * second.data[ib]
    cosine = float(products.sum())
    weight = state.weights.interest * float(state.interest_scale[a])
    parts = [
        (int(state.interest_order[c]), float(weight * p))
        for c, p in zip(common, products, strict=True)
    ]
    parts.sort(key=lambda item: (-item[1], item[0]))
    return parts, cosine


def _network(state: FittedState, a: int, b: int) -> tuple[list[int], dict[str, float]]:
    if not state.has_network:
        return [], {}
    graph = state.graph
    mutual = np.intersect1d(
        graph.indices[graph.indptr[a] : graph.indptr[a + 1]],
        graph.indices[graph.indptr[b] : graph.indptr[b + 1]],
    )
    parts = network_parts(state, np.array([a], dtype=np.int64))
    values = {name: float(block[0, b]) for name, block in parts.items()}
    return [int(m) for m in mutual], values


def _tags(state: FittedState, a: int, b: int) -> list[tuple[int, float]]:
    if not state.has_tags or state.tags is None:
        return []
    tags = state.tags
    value = float(tag_part(state, np.array([a], dtype=np.int64))[0, b])  # weighted, normalized
    first = tags[a]
    second = tags[b]
    common, ia, ib = np.intersect1d(first.indices, second.indices, return_indices=True)
    products = first.data[ia].astype(np.float64) * second.data[ib]
    cosine = float(products.sum())
    scale = value / cosine if cosine > 0 else 0.0
    parts = [(int(c), float(scale * p)) for c, p in zip(common, products, strict=True)]
    parts.sort(key=lambda item: (-item[1], item[0]))
    return parts


def _mentoring(state: FittedState, a: int, b: int) -> list[tuple[str, int, float]]:
    if not state.has_goals:
        return []
    parts: list[tuple[str, int, float]] = []
    for kind, teacher, learner in (("a_mentors_b", a, b), ("b_mentors_a", b, a)):
        skills, wants = state.skills[teacher], state.wants[learner]
        common, i_s, i_w = np.intersect1d(skills.indices, wants.indices, return_indices=True)
        for interest, s, t in zip(common, skills.data[i_s], wants.data[i_w], strict=True):
            parts.append((kind, int(interest), float(state.weights.goals * float(s) * float(t))))
    return parts


def explain_pair(state: FittedState, a: int, b: int) -> Explanation:
    """Break ``score(a, b)`` into its parts (see :class:`Explanation`)."""
    pair_a, pair_b = np.array([a], dtype=np.int64), np.array([b], dtype=np.int64)
    shared, cosine = _shared(state, a, b)
    interest_score = float(sum(c for _, c in shared))
    mutual, network_values = _network(state, a, b)
    network_score = float(sum(network_values.values()))
    complementary = _mentoring(state, a, b)
    w = state.weights
    if state.has_hiring and bool(hire_match(state, pair_a, pair_b)[0]) and cosine > 0:
        scaled = cosine * float(state.interest_scale[a])
        complementary.append(("hiring_seeking", -1, float(w.goals * w.hiring * scaled)))
    goals_score = float(sum(c for _, _, c in complementary))
    same_region = bool(locality(state, pair_a, pair_b)[0]) if state.has_locality else False
    locality_score = float(w.locality) if same_region else 0.0
    shared_tags = _tags(state, a, b)
    tag_score = float(sum(c for _, c in shared_tags))
    total = interest_score + network_score + goals_score + locality_score + tag_score
    return Explanation(
        a=a,
        b=b,
        shared_interests=shared,
        interest_score=interest_score,
        mutual_connections=mutual,
        network_score=network_score,
        network_parts=network_values,
        complementary=complementary,
        goals_score=goals_score,
        same_region=same_region,
        locality_score=locality_score,
        total=total,
        shared_tags=shared_tags,
        tag_score=tag_score,
    )
