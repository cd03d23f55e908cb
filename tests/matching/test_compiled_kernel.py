"""The compiled (numba) interest kernel against brute force: exact lists, every path of it."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.matching.conftest import random_interests
from tests.matching.test_recall import _zipf_interests

from commonground_matching import MatchingEngine, jit
from commonground_matching import batch as batch_module
from commonground_matching.batch import compiled_interest_lists, uses_compiled_kernel
from commonground_matching.components import forbidden_rows
from commonground_matching.state import fold_overrides

pytestmark = pytest.mark.skipif(not jit.available(), reason="numba is part of the dev extra")


def _expected(engine: MatchingEngine, member: int, k: int) -> tuple[list[int], np.ndarray]:
    """The exact top-k of ``scores()``: best first, ties to the lower id, positive only."""
    scores = engine.scores(member)
    order = np.lexsort((np.arange(scores.size), -scores))[:k]
    order = order[scores[order] > 0]
    return order.tolist(), scores[order]


def _assert_exact(engine: MatchingEngine, k: int, members: list[int] | None = None) -> None:
    result = engine.top_k(members, k=k)
    assert result.certified.all()
    for row, member in enumerate(result.members.tolist()):
        ids, scores = _expected(engine, member, k)
        got = result.ids[row][result.ids[row] >= 0]
        np.testing.assert_allclose(result.scores[row][: len(ids)], scores, rtol=1e-5)
        # Equal scores may come in either order only where float rounding split a tie.
        assert sorted(got.tolist()) == sorted(ids) or np.allclose(
            engine.scores(member)[got], scores, rtol=1e-5
        )
        assert np.all(result.ids[row][len(ids) :] == -1)


def test_the_compiled_kernel_is_used_until_online_updates_are_pending() -> None:
    # given
    interests = random_interests(50, 20, 0.2, 1)
    graph = sp.csr_matrix(([1.0, 1.0], ([0, 1], [1, 0])), shape=(50, 50))
    alone = MatchingEngine(kernel="numba").fit(interests)
    networked = MatchingEngine(kernel="numba").fit(interests, graph)

    # when
    before = uses_compiled_kernel(alone.state_), uses_compiled_kernel(networked.state_)
    alone.update_member(3, interests[4].toarray().ravel())

    # then
    assert before == (True, True)
    assert not uses_compiled_kernel(alone.state_)


def test_binary_zipf_lists_equal_brute_force() -> None:
    # given: binary weights, so the popular part comes from the members' popular words alone
    engine = MatchingEngine(kernel="numba").fit(_zipf_interests(2500, 1500, seed=21))

    # when / then
    assert engine.state_.popular_index is not None
    assert engine.state_.popular_index.uniform.all()
    _assert_exact(engine, 20, list(range(0, 2500, 25)))


def test_weighted_zipf_lists_equal_brute_force() -> None:
    # given: intensities 1-3, so popular columns are bounds and the winners are rescored
    interests = _zipf_interests(2500, 1500, seed=22)
    interests.data = np.random.default_rng(3).choice([1.0, 2.0, 3.0], interests.nnz)
    engine = MatchingEngine(kernel="numba").fit(interests)

    # when / then
    assert engine.state_.popular_index is not None
    assert not engine.state_.popular_index.uniform.all()
    _assert_exact(engine, 20, list(range(0, 2500, 25)))


def test_members_reachable_only_through_popular_interests_are_found() -> None:
    # given: member 0 shares nothing rare with anybody; 1-3 share its popular interests
    rows = [[0, 0, 0, 1, 1]] + [[0, 0, 0, 1, 1]] * 3 + [[1, 1, 1, 0, 0]] * 2
    interests = sp.csr_matrix(np.array(rows, dtype=float))

    # when
    result = MatchingEngine(kernel="numba").fit(interests).top_k([0, 4], k=3)

    # then
    assert result.ids.tolist() == [[1, 2, 3], [5, -1, -1]]


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=70),
    m=st.integers(min_value=1, max_value=90),
    density=st.sampled_from([0.05, 0.2, 0.5]),
    seed=st.integers(min_value=0, max_value=10_000),
    k=st.integers(min_value=1, max_value=8),
    binary=st.booleans(),
    threads=st.sampled_from([1, 2]),
)
def test_compiled_lists_equal_brute_force_and_both_passes_agree(
    n: int, m: int, density: float, seed: int, k: int, binary: bool, threads: int
) -> None:
    # given: up to 90 interests, so some columns are popular (one bit each) and some are
    # scanned; odd and even sizes (the half windows split an even circle at n / 2 once)
    interests = random_interests(n, m, density, seed)
    if binary:
        interests.data[:] = 1.0
    exclusions = np.random.default_rng(seed).integers(0, n, size=(3, 2))
    engine = MatchingEngine(kernel="numba").fit(interests, exclusions=exclusions)
    forbidden = {tuple(pair) for pair in exclusions.tolist()}

    # when
    result = engine.top_k(k=k)

    # then
    for member in range(n):
        ids = result.ids[member][result.ids[member] >= 0].tolist()
        assert member not in ids
        assert not any((member, o) in forbidden or (o, member) in forbidden for o in ids)
    _assert_exact(engine, k)
    (sym_ids, sym_scores), (pass_ids, pass_scores) = _both_passes(engine, k, threads)
    np.testing.assert_array_equal(sym_ids, pass_ids)
    np.testing.assert_array_equal(sym_scores, pass_scores)


def test_online_updates_use_the_patched_path_then_fold_into_a_fresh_index() -> None:
    # given
    interests = _zipf_interests(600, 300, seed=23)
    engine = MatchingEngine(kernel="numba").fit(interests)
    new_row = interests[5].toarray().ravel()

    # when: one update is patched; folding rebuilds the kernel's index
    engine.update_member(0, new_row)
    patched = uses_compiled_kernel(engine.state_)
    _assert_exact(engine, 10, [0, 5, 7])
    fold_overrides(engine.state_)

    # then
    assert not patched
    assert uses_compiled_kernel(engine.state_)
    _assert_exact(engine, 10, [0, 5, 7, 100])
    assert 5 in engine.top_k([0], k=1).ids[0]


def test_zero_interest_weight_suggests_nobody() -> None:
    # given
    engine = MatchingEngine(kernel="numba", interest_weight=0.0).fit(
        random_interests(20, 5, 0.5, 4)
    )

    # when
    result = engine.top_k(k=3)

    # then
    assert (result.ids == -1).all()
    assert (result.scores == 0).all()


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(min_value=3, max_value=60),
    m=st.integers(min_value=2, max_value=80),
    seed=st.integers(min_value=0, max_value=10_000),
    k=st.integers(min_value=1, max_value=6),
    parts=st.sets(st.sampled_from(["graph", "goals", "hiring", "regions", "tags"]), min_size=1),
    margin=st.sampled_from([0, 2, 40]),
)
def test_interest_lists_merged_with_the_other_parts_equal_brute_force(
    n: int, m: int, seed: int, k: int, parts: set[str], margin: int
) -> None:
    # given: the compiled interest lists plus any mix of the other parts; a narrow margin
    # leaves pairs that only the other parts know to be rescored exactly
    rng = np.random.default_rng(seed)
    inputs: dict[str, object] = {"exclusions": rng.integers(0, n, size=(2, 2))}
    if "graph" in parts:
        upper = sp.triu(sp.random(n, n, density=0.1, random_state=seed, format="csr"), k=1)
        inputs["connections"] = sp.csr_matrix(((upper + upper.T) > 0).astype(float))
    if "goals" in parts:
        inputs["skills"] = random_interests(n, m, 0.1, seed + 1)
        inputs["wants_to_learn"] = random_interests(n, m, 0.1, seed + 2)
    if "hiring" in parts:
        inputs["hiring"] = rng.random(n) < 0.3
        inputs["seeking"] = rng.random(n) < 0.3
    if "regions" in parts:
        inputs["regions"] = rng.integers(-1, 3, n)
        inputs["reach"] = rng.integers(0, 4, n)
    if "tags" in parts:
        inputs["tags"] = random_interests(n, 7, 0.3, seed + 3)
    engine = MatchingEngine(kernel="numba", rescore_margin=margin).fit(
        random_interests(n, m, 0.15, seed), **inputs
    )

    # when
    result = engine.top_k(k=k)

    # then: every list is the exact ranking of scores() (ties to the lower id)
    assert uses_compiled_kernel(engine.state_)
    for member in range(n):
        scores = engine.scores(member)
        order = np.lexsort((np.arange(n), -scores))[:k]
        order = order[scores[order] > 0]
        np.testing.assert_allclose(
            result.scores[member][: order.size], scores[order], rtol=1e-5, atol=1e-6
        )
        assert np.all(result.ids[member][order.size :] == -1)


def _both_passes(
    engine: MatchingEngine, k: int, n_threads: int = 2
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """The symmetric pass (every pair scored once) and the per-query pass, all members."""
    state = engine.state_
    assert state.popular_index is not None
    members = np.arange(state.n_members)
    forbidden = forbidden_rows(state, members)
    runs = []
    for symmetric in (True, False):
        ids, scores, _ = compiled_interest_lists(
            state, members, forbidden, k=k, n_jobs=n_threads, symmetric=symmetric
        )
        runs.append((ids, scores))
    return runs[0], runs[1]


@pytest.mark.parametrize(
    ("weighted", "offer_buffer"), [(False, None), (True, None), (False, 7), (True, 1)]
)
def test_the_symmetric_pass_returns_the_per_query_lists_bit_for_bit(
    weighted: bool, offer_buffer: int | None, monkeypatch
) -> None:
    # given: a Zipf community with connections and exclusions, binary or weighted; offers
    # to other members' lists applied at the end, or every few offers
    if offer_buffer is not None:
        monkeypatch.setattr(jit, "OFFER_BUFFER", offer_buffer)
    interests = _zipf_interests(3000, 1500, seed=31)
    if weighted:
        interests.data = np.random.default_rng(4).choice([1.0, 2.0, 3.0], interests.nnz)
    upper = sp.triu(sp.random(3000, 3000, density=0.002, random_state=5, format="csr"), k=1)
    graph = sp.csr_matrix(((upper + upper.T) > 0).astype(float))
    exclusions = np.random.default_rng(6).integers(0, 3000, size=(200, 2))
    engine = MatchingEngine(kernel="numba").fit(interests, graph, exclusions=exclusions)

    # when
    (sym_ids, sym_scores), (ids, scores) = _both_passes(engine, 20)

    # then: the same pairs, the same float bits, the same order; and each list is exact
    np.testing.assert_array_equal(sym_ids, ids)
    np.testing.assert_array_equal(sym_scores, scores)
    for member in range(0, 3000, 60):
        expected, expected_scores = _expected_interest(engine, member, 20)
        got = sym_ids[member][sym_ids[member] >= 0]
        np.testing.assert_allclose(sym_scores[member][: got.size], expected_scores, rtol=1e-5)
        assert got.size == len(expected)


def _expected_interest(engine: MatchingEngine, member: int, k: int) -> tuple[list[int], np.ndarray]:
    """Brute-force top-k of the interest cosine alone (the kernel's part), forbidden removed."""
    state = engine.state_
    cosine = (state.x @ state.x[member].T).toarray().ravel()
    cosine[forbidden_rows(state, np.array([member])).indices] = 0.0
    order = np.lexsort((np.arange(cosine.size), -cosine))[:k]
    order = order[cosine[order] > 0]
    return order.tolist(), cosine[order]


def test_everybody_queried_with_one_sided_exclusions_takes_the_per_query_pass() -> None:
    # given: 0 and 1 share a rare interest; 0 may not see 1, but 1 may see 0 (one-sided)
    interests = _zipf_interests(400, 200, seed=32).tolil()
    interests[0, 199] = 1.0
    interests[1, 199] = 1.0
    engine = MatchingEngine(kernel="numba").fit(sp.csr_matrix(interests))
    state = engine.state_
    assert state.popular_index is not None
    members = np.arange(400)
    forbidden = forbidden_rows(state, members).tolil()
    forbidden[0, 1] = 1.0

    # when
    ids, _, _ = jit.interest_top_k(
        members,
        state.x,
        state.xt,
        state.column_bound,
        state.popular_index,
        sp.csr_matrix(forbidden),
        k=400,
        n_threads=2,
    )

    # then: 1 is gone from 0's list only; both lists hold everybody else who shares anything
    everyone_but_1 = set(_expected_interest(engine, 0, 400)[0]) - {1}
    assert set(ids[0][ids[0] >= 0].tolist()) == everyone_but_1
    assert set(ids[1][ids[1] >= 0].tolist()) == set(_expected_interest(engine, 1, 400)[0])
    assert 0 in ids[1]


def test_lists_the_merge_cannot_certify_are_widened_on_the_compiled_kernel(monkeypatch) -> None:
    # given: locality worth more than most interest scores, and no margin to spare, so the
    # first merged lists cannot prove that nobody further down the interest list beats them
    interests = _zipf_interests(800, 400, seed=33)
    rng = np.random.default_rng(7)
    engine = MatchingEngine(kernel="numba", locality_weight=0.5, rescore_margin=0).fit(
        interests, regions=rng.integers(0, 3, 800), reach=np.zeros(800, dtype=int)
    )
    scipy_rows: list[int] = []
    original = batch_module._block_top_k

    def counting(state, members, k, margin):  # type: ignore[no-untyped-def]
        scipy_rows.append(members.size)
        return original(state, members, k, margin)

    monkeypatch.setattr(batch_module, "_block_top_k", counting)

    # when
    result = engine.top_k(k=10)

    # then: every list certified and exact, none of them left to the scipy path
    assert result.certified.all()
    assert sum(scipy_rows) == 0
    for member in range(0, 800, 20):
        scores = engine.scores(member)
        order = np.lexsort((np.arange(800), -scores))[:10]
        order = order[scores[order] > 0]
        np.testing.assert_allclose(result.scores[member][: order.size], scores[order], rtol=1e-5)


def test_the_symmetric_pass_refuses_what_it_cannot_do_exactly() -> None:
    # given
    engine = MatchingEngine(kernel="numba").fit(_zipf_interests(50, 40, seed=34))
    state = engine.state_
    assert state.popular_index is not None
    members = np.arange(50)
    forbidden = forbidden_rows(state, members).tolil()
    forbidden[0, 1] = 1.0

    # when / then: one-sided exclusions, or not everybody queried
    for queries, rows in (
        (members, sp.csr_matrix(forbidden)),
        (members[:10], forbidden_rows(state, members[:10])),
    ):
        with pytest.raises(ValueError, match="symmetric needs every member"):
            jit.interest_top_k(
                queries,
                state.x,
                state.xt,
                state.column_bound,
                state.popular_index,
                rows,
                k=5,
                n_threads=2,
                symmetric=True,
            )
