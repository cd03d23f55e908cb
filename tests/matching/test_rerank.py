"""The learned re-ranker (``rerank``): what it promises, and that it learns something real."""

from __future__ import annotations

import json
import pickle
from dataclasses import dataclass

import numpy as np
import pytest
import scipy.sparse as sp
from tests.matching.conftest import random_graph, random_interests

from commonground_matching import MatchingEngine, MatchingInputError, RerankModel
from commonground_matching import rerank as learned


@dataclass(frozen=True)
class Community:
    interests: sp.csr_matrix
    graph: sp.csr_matrix  # the connections given to fit
    held: list[set[int]]  # connections held out of it, per member


def planted_community(seed: int, n: int = 900, groups: int = 45) -> Community:
    """Members in groups, each with 3 of its group's 10 interests and 7 of 300 others.
    Connections: 10x likelier inside a group, and proportional to both members'
    sociability (lognormal), which interests do not show but the connections do."""
    rng = np.random.default_rng(seed)
    group = rng.integers(0, groups, n)
    own = group[:, None] * 10 + np.argsort(rng.random((n, 10)), axis=1)[:, :3]
    other = groups * 10 + np.argsort(rng.random((n, 300)), axis=1)[:, :7]
    cols = np.concatenate([own, other], axis=1).ravel()
    interests = sp.csr_matrix(
        (np.ones(cols.size), (np.repeat(np.arange(n), 10), cols)), shape=(n, groups * 10 + 300)
    )
    social = rng.lognormal(0.0, 1.0, n)
    same = group[:, None] == group[None, :]
    chance = np.minimum(1.0, np.where(same, 0.02, 0.002) * social[:, None] * social[None, :])
    i, j = np.nonzero(np.triu(rng.random((n, n)) < chance, 1))
    held = np.random.default_rng(seed + 100).random(i.size) < 0.2
    kept_i, kept_j = i[~held], j[~held]
    graph = sp.csr_matrix(
        (np.ones(2 * kept_i.size), (np.r_[kept_i, kept_j], np.r_[kept_j, kept_i])), shape=(n, n)
    )
    truth: list[set[int]] = [set() for _ in range(n)]
    for a, b in zip(i[held].tolist(), j[held].tolist(), strict=True):
        truth[a].add(b)
        truth[b].add(a)
    return Community(interests, graph, truth)


def held_out_recall(engine: MatchingEngine, community: Community, k: int = 10) -> float:
    users = [u for u, friends in enumerate(community.held) if friends]
    ids = engine.top_k(users, k=k).ids
    found = [
        len(community.held[u] & set(ids[row].tolist())) / len(community.held[u])
        for row, u in enumerate(users)
    ]
    return float(np.mean(found))


@pytest.fixture(scope="module")
def community() -> Community:
    return planted_community(seed=1)


@pytest.fixture(scope="module")
def engine(community: Community) -> MatchingEngine:
    return MatchingEngine().fit(community.interests, community.graph)


def test_learned_reranker_finds_held_out_connections_the_score_misses(
    community: Community, engine: MatchingEngine
) -> None:
    # given: the same community ranked by the score alone
    score_only = MatchingEngine(rerank=False).fit(community.interests, community.graph)

    # when
    learned_recall = held_out_recall(engine, community)
    score_recall = held_out_recall(score_only, community)

    # then: it learned from the connections what the interests do not show (sociability)
    model = engine.rerank_model_
    assert model is not None
    assert score_only.rerank_model_ is None
    assert model.positives >= learned.MIN_POSITIVES
    coefficient = dict(zip(model.features, model.coefficients, strict=True))
    assert coefficient["log_connections_c"] > 0
    assert learned_recall > score_recall + 0.015


def test_top_k_is_the_order_of_scores(community: Community, engine: MatchingEngine) -> None:
    # given
    members = np.arange(0, 900, 13)

    # when
    result = engine.top_k(members, k=10)

    # then: scores() is the reference: the model's probability for each member's 100 best by
    # the score, 0 for the others, -inf for the member, their connections
    for row, member in enumerate(members.tolist()):
        scores = engine.scores(member)
        ranked = np.flatnonzero(scores > 0)
        assert ranked.size <= learned.CANDIDATES
        assert np.all(scores[ranked] < 1.0)
        best = ranked[np.lexsort((ranked, -scores[ranked]))][:10]
        ids = result.ids[row]
        assert ids[ids >= 0].tolist() == best.tolist()
        np.testing.assert_allclose(result.scores[row][: best.size], scores[best], rtol=1e-5)
        assert scores[member] == -np.inf
        friends = community.graph[member].indices
        assert np.all(scores[friends] == -np.inf)
        assert not set(ids.tolist()) & {member, *friends.tolist()}


def test_only_the_candidates_are_ranked_whatever_k(engine: MatchingEngine) -> None:
    # when
    result = engine.top_k([7, 8], k=learned.CANDIDATES + 30)

    # then: scores() ranks the 100 best by the score; nobody else is listed
    for row, member in enumerate((7, 8)):
        scores = engine.scores(member)
        ranked = np.flatnonzero(scores > 0)
        best = ranked[np.lexsort((ranked, -scores[ranked]))]
        ids = result.ids[row]
        assert best.size == learned.CANDIDATES
        assert ids[ids >= 0].tolist() == best.tolist()
        assert np.all(ids[best.size :] == -1)
        assert np.all(result.scores[row][best.size :] == 0.0)


def test_batch_equals_single_queries(engine: MatchingEngine) -> None:
    # given
    everybody = engine.top_k(k=8)

    # when
    singles = [engine.top_k([member], k=8) for member in (0, 41, 257, 899)]

    # then
    for member, single in zip((0, 41, 257, 899), singles, strict=True):
        np.testing.assert_array_equal(single.ids[0], everybody.ids[member])
        np.testing.assert_array_equal(single.scores[0], everybody.scores[member])


def test_lists_do_not_depend_on_how_the_queries_are_chunked(
    engine: MatchingEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    members = np.arange(0, 900, 5)
    whole = engine.top_k(members, k=10)

    # when: features built 7 members at a time
    monkeypatch.setattr(learned, "_CHUNK", 7)
    chunked = engine.top_k(members, k=10)

    # then
    np.testing.assert_array_equal(chunked.ids, whole.ids)
    np.testing.assert_array_equal(chunked.scores, whole.scores)


def test_explain_gives_the_learned_probability_and_its_terms(engine: MatchingEngine) -> None:
    # given
    model = engine.rerank_model_
    assert model is not None
    top = engine.top_k([3], k=3).ids[0]
    outside = int(np.flatnonzero(engine.scores(3) == 0)[0])

    # when
    why = engine.explain(3, int(top[0]))
    not_a_candidate = engine.explain(3, outside)

    # then
    assert why.learned_score == pytest.approx(float(engine.scores(3)[top[0]]), rel=1e-5)
    assert why.score == why.learned_score
    logit = sum(value for _, value in why.learned_terms) + model.intercept
    assert 1.0 / (1.0 + np.exp(-logit)) == pytest.approx(why.learned_score, rel=1e-4)
    assert [name for name, _ in why.learned_terms] != list(model.features)  # by magnitude
    assert sorted(name for name, _ in why.learned_terms) == sorted(model.features)
    assert why.total == pytest.approx(why.interest_score + why.network_score)
    assert not_a_candidate.learned_score == 0.0
    assert not_a_candidate.learned_terms == []


def test_fit_is_deterministic_and_survives_pickling(
    community: Community, engine: MatchingEngine
) -> None:
    # given
    again = MatchingEngine().fit(community.interests, community.graph)

    # when
    restored = pickle.loads(pickle.dumps(engine))

    # then
    first, second = engine.rerank_model_, again.rerank_model_
    assert first is not None
    assert second is not None
    np.testing.assert_array_equal(first.coefficients, second.coefficients)
    members = np.arange(0, 900, 17)
    np.testing.assert_array_equal(restored.top_k(members).ids, engine.top_k(members).ids)
    np.testing.assert_array_equal(again.top_k(members).scores, engine.top_k(members).scores)


def test_online_update_is_seen_by_the_reranked_lists(
    community: Community, engine: MatchingEngine
) -> None:
    # given: member 12 now holds ten of the interests nobody's group owns
    changed = pickle.loads(pickle.dumps(engine))
    width = community.interests.shape[1]
    row = sp.csr_matrix(
        (np.ones(10), (np.zeros(10, dtype=int), np.arange(width - 10, width))), shape=(1, width)
    )

    # when
    changed.update_member(12, row)
    result = changed.top_k([12], k=10)

    # then
    scores = changed.scores(12)
    ranked = np.flatnonzero(scores > 0)
    best = ranked[np.lexsort((ranked, -scores[ranked]))][:10]
    assert result.ids[0][: best.size].tolist() == best.tolist()
    assert result.ids[0].tolist() != engine.top_k([12], k=10).ids[0].tolist()


def test_exclusions_stay_excluded(community: Community, engine: MatchingEngine) -> None:
    # given: member 5's current best, now dismissed
    best = int(engine.top_k([5], k=1).ids[0, 0])
    dismissed = MatchingEngine().fit(
        community.interests, community.graph, exclusions=np.array([[5, best]])
    )

    # when
    result = dismissed.top_k([5, best], k=20)

    # then
    assert best not in result.ids[0].tolist()
    assert 5 not in result.ids[1].tolist()
    assert dismissed.scores(5)[best] == -np.inf


def test_rerank_false_ranks_by_the_score(community: Community) -> None:
    # given
    engine = MatchingEngine(rerank=False).fit(community.interests, community.graph)

    # when
    why = engine.explain(0, int(engine.top_k([0], k=1).ids[0, 0]))

    # then
    assert engine.state_.reranker is None
    assert why.learned_score is None
    assert why.score == why.total
    assert why.total == pytest.approx(float(engine.scores(0)[why.b]), rel=1e-5)


@pytest.mark.parametrize("value", ["yes", 1, None, "on", np.array(["auto"])])
def test_rerank_must_be_auto_true_or_false(value: object) -> None:
    # when / then
    with pytest.raises(
        MatchingInputError, match="rerank must be 'auto', True, False or a RerankModel"
    ):
        MatchingEngine(rerank=value).fit(random_interests(30, 6, 0.3, 1))  # type: ignore[arg-type]


def test_rerank_true_without_enough_connections_says_why() -> None:
    # given: 40 members and a handful of connections
    interests, graph = random_interests(40, 8, 0.3, 2), random_graph(40, 0.01, 3)

    # when / then
    with pytest.raises(MatchingInputError, match=r"rerank=True needs connections .* got \d+"):
        MatchingEngine(rerank=True).fit(interests, graph)
    with pytest.raises(MatchingInputError, match="rerank=True needs connections"):
        MatchingEngine(rerank=True).fit(interests)


def test_a_fit_that_fails_leaves_the_fitted_engine_as_it_was(community: Community) -> None:
    # given
    engine = MatchingEngine(rerank=True).fit(community.interests, community.graph)
    before = engine.top_k([0, 1], k=5)

    # when: a refit with nothing to learn from
    with pytest.raises(MatchingInputError, match="rerank=True needs connections"):
        engine.fit(community.interests)

    # then
    assert engine.state_.reranker is not None
    np.testing.assert_array_equal(engine.top_k([0, 1], k=5).ids, before.ids)


def test_auto_learns_only_from_enough_connections_when_a_pass_is_cheap_enough(
    community: Community, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    few = random_graph(40, 0.01, 3)

    # when
    without_graph = MatchingEngine().fit(community.interests)
    too_few = MatchingEngine().fit(random_interests(40, 8, 0.3, 2), few)
    work = learned.pass_work(
        MatchingEngine(rerank=False).fit(community.interests, community.graph).state_, 0.25
    )
    monkeypatch.setattr(learned, "AUTO_MAX_WORK", work - 1)
    too_big = MatchingEngine().fit(community.interests, community.graph)
    forced = MatchingEngine(rerank=True).fit(community.interests, community.graph)

    # then
    assert sp.triu(few, 1).nnz < learned.MIN_EDGES
    assert 0 < work <= 900 * 900
    assert without_graph.state_.reranker is None
    assert too_few.state_.reranker is None
    assert too_big.state_.reranker is None
    assert forced.state_.reranker is not None


def test_a_learned_model_given_back_ranks_exactly_as_the_fit_that_learned_it(
    community: Community, engine: MatchingEngine
) -> None:
    # given: the model carried through JSON, as the product stores it
    model = engine.rerank_model_
    assert model is not None
    stored = RerankModel.from_dict(json.loads(json.dumps(model.to_dict())))

    # when
    reused = MatchingEngine(rerank=stored).fit(community.interests, community.graph)

    # then: nothing was learned again (the very model given is in use), and every list,
    # score and explanation is the learning fit's
    assert stored == model
    assert reused.rerank_model_ is stored
    members = np.arange(0, 900, 7)
    expected, got = engine.top_k(members, k=10), reused.top_k(members, k=10)
    np.testing.assert_array_equal(got.ids, expected.ids)
    np.testing.assert_array_equal(got.scores, expected.scores)
    np.testing.assert_array_equal(reused.scores(4), engine.scores(4))
    b = int(expected.ids[0, 0])
    assert reused.explain(0, b).learned_terms == engine.explain(0, b).learned_terms
    restored = pickle.loads(pickle.dumps(reused))
    np.testing.assert_array_equal(restored.top_k(members, k=10).ids, expected.ids)


def test_a_given_model_ranks_a_changed_graph_with_its_new_features(
    community: Community, engine: MatchingEngine
) -> None:
    # given: member 8 connected to its best suggestion since the model was learned
    model = engine.rerank_model_
    assert model is not None
    best = int(engine.top_k([8], k=1).ids[0, 0])
    graph = community.graph.tolil()
    graph[8, best] = graph[best, 8] = 1.0

    # when
    reused = MatchingEngine(rerank=model).fit(community.interests, graph.tocsr())
    relearned = MatchingEngine().fit(community.interests, graph.tocsr())

    # then: the new connection is excluded and its friends' walk moved the list
    result = reused.top_k([8], k=10)
    assert best not in result.ids[0].tolist()
    assert reused.rerank_model_ is model
    assert relearned.rerank_model_ != model
    scores = reused.scores(8)
    ranked = np.flatnonzero(scores > 0)
    assert result.ids[0].tolist() == ranked[np.lexsort((ranked, -scores[ranked]))][:10].tolist()


def _model_dict() -> dict[str, object]:
    n = len(learned.FEATURES)
    return {
        "features": [name for name, _ in learned.FEATURES],
        "coefficients": [0.1] * n,
        "intercept": -2.0,
        "scales": [1.0] * n,
        "eps": {"score": 0.01, "walk": 0.001, "cosine": 0.02},
        "positives": 31,
        "pairs": 4000,
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"features": ["cosine"]}, "expected this version's 22 features"),
        ({"features": None}, "expected this version's 22 features"),
        ({"coefficients": [0.1] * 3}, "coefficients: expected 22 numbers"),
        ({"coefficients": ["0.1"] * 22}, "coefficients: expected 22 numbers"),
        ({"coefficients": [float("nan")] * 22}, "coefficients: expected finite numbers"),
        ({"intercept": float("inf")}, "intercept: expected a finite number"),
        ({"intercept": True}, "intercept: expected a number, got True"),
        ({"scales": [0.0] * 22}, "scales: expected positive numbers"),
        ({"eps": {"score": 0.01}}, "eps: expected a dict with keys"),
        ({"eps": {"score": 0.01, "walk": -1.0, "cosine": 0.02}}, "eps: expected positive"),
        ({"positives": -1}, "positives: expected a non-negative integer"),
        ({"pairs": 2.5}, "pairs: expected a non-negative integer"),
        ({"extra": 1}, "needs exactly the keys"),
    ],
)
def test_a_stored_model_that_is_not_this_versions_is_refused(
    change: dict[str, object], message: str
) -> None:
    # given
    data = {**_model_dict(), **change}

    # when / then
    with pytest.raises(MatchingInputError, match=message):
        RerankModel.from_dict(data)


def test_a_stored_model_needs_a_dict() -> None:
    # when / then
    with pytest.raises(MatchingInputError, match="a rerank model must be a dict, got list"):
        RerankModel.from_dict([1, 2])
    assert RerankModel.from_dict(_model_dict()).to_dict() == _model_dict()


def test_a_given_model_still_ranks_a_community_with_no_connections_left(
    community: Community, engine: MatchingEngine
) -> None:
    # given
    model = engine.rerank_model_
    assert model is not None

    # when
    reused = MatchingEngine(rerank=model).fit(community.interests)
    result = reused.top_k([0, 1], k=5)

    # then: the interest evidence alone, through the same model; top_k is scores()' order
    assert reused.rerank_model_ is model
    for row, member in enumerate((0, 1)):
        scores = reused.scores(member)
        ranked = np.flatnonzero(scores > 0)
        assert (
            result.ids[row].tolist() == ranked[np.lexsort((ranked, -scores[ranked]))][:5].tolist()
        )
