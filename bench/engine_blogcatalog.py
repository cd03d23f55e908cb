"""Group recommendation on BlogCatalog3 through the engine's public API.

Protocol: every member with at least 2 group memberships has one of them held out, drawn
with ``numpy.random.default_rng(0)`` (members in id order, one ``rng.integers`` draw each).
The engine is fitted on the remaining memberships (as interests) and the friendships (as
connections), with default parameters. A member's candidate groups (those they are not in)
are scored by the members who vouch for them:

* friends: the share of the member's friends in the group;
* engine: the member's top-50 suggestions from ``engine.top_k``, each weighted by its score
  (normalized to sum to 1), counted where they belong to the group.

Recall@5 = share of held-out memberships among the member's top 5 groups (one held out per
member, so it is also the hit rate). Compared with popularity (the 5 largest groups the
member is not in). "engine + popularity" adds ``POPULARITY_BLEND * size / largest size`` to
the engine's votes (which sum to 1 per member); ``POPULARITY_BLEND`` was chosen by ``--cv``.

``--cv`` chooses ``POPULARITY_BLEND`` inside the training memberships only: one more
membership is held out (seed 1) from every member who still has at least 2, the engine is
fitted on what is left, and the blend with the best Recall@5 on those inner memberships
wins. The outer held-out memberships are never looked at.

Usage::

    .venv/bin/python bench/engine_blogcatalog.py
    .venv/bin/python bench/engine_blogcatalog.py --cv
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from commonground_matching import MatchingEngine  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "blogcatalog3"
K = 5
NEIGHBOURS = 50


def load() -> tuple[sp.csr_matrix, sp.csr_matrix]:
    if not DATA.is_dir():
        sys.exit(f"BlogCatalog3 data not found at {DATA}: see ../shared/data/README.md")
    nodes = np.loadtxt(DATA / "nodes.csv", dtype=np.int64, ndmin=1)
    edges = np.loadtxt(DATA / "edges.csv", delimiter=",", dtype=np.int64, ndmin=2)
    memberships = np.loadtxt(DATA / "group-edges.csv", delimiter=",", dtype=np.int64, ndmin=2)
    groups = np.loadtxt(DATA / "groups.csv", dtype=np.int64, ndmin=1)
    n, g = nodes.max(), groups.max()
    rows = np.concatenate([edges[:, 0], edges[:, 1]]) - 1
    cols = np.concatenate([edges[:, 1], edges[:, 0]]) - 1
    graph = sp.csr_matrix((np.ones(rows.size), (rows, cols)), shape=(n, n))
    graph.data[:] = 1.0
    member_of = sp.csr_matrix(
        (np.ones(len(memberships)), (memberships[:, 0] - 1, memberships[:, 1] - 1)), shape=(n, g)
    )
    member_of.data[:] = 1.0
    return graph, member_of


POPULARITY_BLEND = 4.0  # chosen by --cv (inner Recall@5 0.325; popularity alone 0.323)
BLENDS = (0.0, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0)


def hold_out(member_of: sp.csr_matrix, seed: int = 0) -> tuple[sp.csr_matrix, dict[int, int]]:
    rng = np.random.default_rng(seed)
    train = member_of.tolil()
    held: dict[int, int] = {}
    for member in range(member_of.shape[0]):
        groups = member_of.indices[member_of.indptr[member] : member_of.indptr[member + 1]]
        if groups.size >= 2:
            chosen = int(groups[rng.integers(groups.size)])
            held[member] = chosen
            train[member, chosen] = 0
    train = sp.csr_matrix(train)
    train.eliminate_zeros()
    return train, held


def recall_at_k(scores: np.ndarray, train: sp.csr_matrix, held: dict[int, int]) -> float:
    hits = 0
    for member, group in held.items():
        row = scores[member].astype(np.float64).copy()
        row[train.indices[train.indptr[member] : train.indptr[member + 1]]] = -np.inf
        top = np.lexsort((np.arange(row.size), -row))[:K]
        hits += int(group in top.tolist())
    return hits / len(held)


def engine_votes(graph: sp.csr_matrix, train: sp.csr_matrix) -> tuple[np.ndarray, float]:
    """Each member's top-50 engine suggestions, score-weighted, voting for their groups."""
    started = time.perf_counter()
    engine = MatchingEngine().fit(train, graph)
    result = engine.top_k(k=NEIGHBOURS)
    seconds = time.perf_counter() - started
    weights = result.scores.astype(np.float64)
    weights /= np.maximum(weights.sum(axis=1, keepdims=True), 1e-12)
    found = result.ids >= 0
    rows = np.repeat(np.arange(result.ids.shape[0]), NEIGHBOURS).reshape(result.ids.shape)
    neighbours = sp.csr_matrix(
        (weights[found], (rows[found], result.ids[found])), shape=graph.shape
    )
    return (neighbours @ train).toarray(), seconds


def run_cv() -> None:
    graph, member_of = load()
    train, _ = hold_out(member_of)  # the outer held-out memberships are dropped here
    inner_train, inner_held = hold_out(train, seed=1)
    popularity = np.asarray(inner_train.sum(axis=0)).ravel().astype(np.float64)
    votes, _ = engine_votes(graph, inner_train)
    tie_break = 1e-6 * popularity / popularity.max()
    print(f"inner held-out memberships: {len(inner_held)}")
    alone = np.tile(popularity, (votes.shape[0], 1))
    print(f"popularity alone: inner Recall@{K} {recall_at_k(alone, inner_train, inner_held):.3f}")
    for blend in BLENDS:
        scores = votes + blend * popularity / popularity.max() + tie_break
        print(f"blend {blend}: inner Recall@{K} {recall_at_k(scores, inner_train, inner_held):.3f}")


def main() -> None:
    graph, member_of = load()
    train, held = hold_out(member_of)
    popularity = np.asarray(train.sum(axis=0)).ravel()
    suggested, seconds = engine_votes(graph, train)

    degree = np.maximum(np.diff(graph.indptr), 1)
    friends = sp.diags(1.0 / degree) @ graph @ train
    tie_break = 1e-6 * popularity / popularity.max()

    n_members = member_of.shape[0]
    base = np.tile(popularity.astype(np.float64), (n_members, 1))
    figures = {
        "popularity": recall_at_k(base, train, held),
        "friends": recall_at_k(friends.toarray() + tie_break, train, held),
        "engine top-50": recall_at_k(suggested + tie_break, train, held),
        f"engine + popularity (blend {POPULARITY_BLEND})": recall_at_k(
            suggested + POPULARITY_BLEND * popularity / popularity.max() + tie_break, train, held
        ),
        "friends + engine": recall_at_k(friends.toarray() + suggested + tie_break, train, held),
    }
    print(f"members with a held-out membership: {len(held)}; engine fit + top-50: {seconds:.1f} s")
    for name, value in figures.items():
        print(f"Recall@{K} {name}: {value:.3f}")


if __name__ == "__main__":
    if "--cv" in sys.argv[1:]:
        run_cv()
    else:
        main()
