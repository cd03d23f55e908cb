"""The speed-networking algorithm on its own: valid plans, known answers, clear refusals."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commonground.events.pairing import (
    PairingError,
    max_rounds,
    plan_problems,
    plan_rounds,
    plan_weight,
    random_plan,
)


def _weights(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    holds = rng.random((n, 30)) < 0.15
    idf = np.log1p(n / np.maximum(holds.sum(axis=0), 1))
    w = (holds * idf) @ holds.T.astype(float)
    np.fill_diagonal(w, 0.0)
    return w


@settings(max_examples=60, deadline=None)
@given(n=st.integers(min_value=2, max_value=40), data=st.data())
def test_every_plan_seats_everyone_once_a_round_and_no_pair_meets_twice(n, data):
    # given: any count, any feasible number of rounds (odd counts: where plans are common)
    most = max_rounds(n) if n % 2 == 0 else max(1, (n - 3) // 2)
    rounds = data.draw(st.integers(min_value=1, max_value=min(most, 8)))
    seed = data.draw(st.integers(min_value=0, max_value=1000))
    w = _weights(n, seed)
    # when
    plan = plan_rounds(w, rounds, seed=seed)
    # then
    assert len(plan.rounds) == rounds
    assert plan_problems(n, plan.rounds) == []
    assert plan.total_weight == pytest.approx(plan_weight(w, plan.rounds))


def test_the_same_input_gives_the_same_plan():
    w = _weights(30, 7)
    assert plan_rounds(w, 5, seed=3) == plan_rounds(w, 5, seed=3)


def test_known_answer_pairs_the_people_who_share_most():
    # given: 0-1 share a lot, 2-3 share a lot, 0-2 share a little
    w = np.zeros((4, 4))
    w[0, 1] = w[1, 0] = 5.0
    w[2, 3] = w[3, 2] = 5.0
    w[0, 2] = w[2, 0] = 1.0
    # when
    plan = plan_rounds(w, 2)
    # then: round 1 the strong pairs, round 2 the best of what is left
    assert plan.rounds[0] == [(0, 1), (2, 3)]
    assert plan.rounds[1] == [(0, 2), (1, 3)]
    assert plan.total_weight == 11.0


def test_an_odd_count_gets_exactly_one_trio_per_round():
    plan = plan_rounds(_weights(7, 1), 2)
    assert [sorted(len(t) for t in tables) for tables in plan.rounds] == [[2, 2, 3]] * 2


def test_the_plan_beats_a_random_valid_plan_by_far():
    w = _weights(60, 11)
    best = plan_rounds(w, 6, seed=0).total_weight
    baseline = random_plan(w, 6, seed=0).total_weight
    assert best > 1.5 * baseline


def test_every_round_robin_round_is_possible_for_an_even_count():
    plan = plan_rounds(_weights(10, 2), 9)
    assert plan_problems(10, plan.rounds) == []


@pytest.mark.parametrize(
    ("n", "rounds", "message"),
    [
        (1, 1, "Speed networking needs at least 2 people; there are 1."),
        (0, 1, "Speed networking needs at least 2 people; there are 0."),
        (4, 0, "Ask for at least 1 round; got 0."),
        (
            6,
            6,
            "6 rounds without anyone meeting twice is impossible with 6 people: at most 5.",
        ),
        (5, 3, "3 rounds without anyone meeting twice is impossible with 5 people: at most 2."),
        (5, 2, "No plan of 2 rounds without repeats was found for 5 people"),
    ],
)
def test_impossible_requests_raise_a_clear_error(n, rounds, message):
    with pytest.raises(PairingError) as caught:
        plan_rounds(np.zeros((n, n)), rounds)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(
    "bad",
    [np.zeros((3, 4)), np.array([[0, 1], [2, 0]]), np.array([[0, np.nan], [np.nan, 0]])],
)
def test_bad_matrices_are_refused(bad):
    with pytest.raises(PairingError):
        plan_rounds(bad, 1)
