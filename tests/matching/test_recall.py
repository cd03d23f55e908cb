"""The pruned batch against brute force (scores()) on random data."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from commonground_matching import MatchingEngine


def _zipf_interests(n: int, m: int, seed: int) -> sp.csr_matrix:
    rng = np.random.default_rng(seed)
    popularity = np.arange(1, m + 1, dtype=float) ** -0.75
    counts = rng.poisson(12, n).clip(3, 40)
    rows = np.repeat(np.arange(n), counts)
    cols = rng.choice(m, size=rows.size, p=popularity / popularity.sum())
    matrix = sp.csr_matrix((np.ones(rows.size), (rows, cols)), shape=(n, m))
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    return matrix


def _recall(engine: MatchingEngine, k: int, sample: np.ndarray) -> float:
    result = engine.top_k(k=k)
    hits = total = 0
    n = engine.n_members_
    for member in sample:
        scores = engine.scores(int(member))
        order = np.lexsort((np.arange(n), -scores))[:k]
        expected = set(order[scores[order] > 0].tolist())
        hits += len(expected & set(result.ids[member].tolist()))
        total += len(expected)
    return hits / total


@pytest.mark.parametrize("kernel", ["scipy", "auto"])
def test_recall_at_20_of_the_pruned_batch_is_at_least_099(kernel: str) -> None:
    # given
    engine = MatchingEngine(kernel=kernel).fit(_zipf_interests(3000, 2000, seed=11))
    sample = np.random.default_rng(0).choice(3000, size=150, replace=False)

    # when
    recall = _recall(engine, 20, sample)

    # then
    assert recall >= 0.99


def test_pruning_certifies_most_lists_on_random_data() -> None:
    # given
    engine = MatchingEngine(kernel="scipy").fit(_zipf_interests(2000, 1500, seed=12))

    # when
    result = engine.top_k(k=10)

    # then
    assert result.certified.mean() >= 0.9
