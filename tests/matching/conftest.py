"""Shared builders for the engine tests (no Django: the engine never imports it)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp


def random_interests(n: int, m: int, density: float, seed: int) -> sp.csr_matrix:
    """Random non-negative interest weights; every member holds at least one interest."""
    rng = np.random.default_rng(seed)
    matrix = sp.random(n, m, density=density, random_state=rng, format="csr", dtype=np.float64)
    rows = np.arange(n)
    extra = sp.csr_matrix((np.ones(n), (rows, rng.integers(0, m, n))), shape=(n, m))
    return sp.csr_matrix(matrix + extra)


def random_graph(n: int, density: float, seed: int) -> sp.csr_matrix:
    """Random symmetric 0/1 connection matrix without self-loops."""
    upper = sp.triu(sp.random(n, n, density=density, random_state=seed, format="csr"), k=1)
    return sp.csr_matrix(((upper + upper.T) > 0).astype(np.float64))


@pytest.fixture
def tiny_interests() -> sp.csr_matrix:
    """Three members: 0 likes {a, b}, 1 likes {a}, 2 likes {b, c}; see test_known_answers."""
    return sp.csr_matrix(np.array([[1.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 1.0]]))
