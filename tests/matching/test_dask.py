"""Scale-out on a Dask cluster returns exactly the in-process result."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from tests.matching.conftest import random_graph, random_interests

from commonground_matching import MatchingEngine, top_k_dask

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as dask_client,
    ):
        yield dask_client


def test_dask_blocks_equal_in_process_result(client: object) -> None:
    # given
    engine = MatchingEngine().fit(random_interests(400, 50, 0.05, 21), random_graph(400, 0.02, 22))
    expected = engine.top_k(k=12)

    # when
    distributed_result = top_k_dask(engine, client, k=12, block_size=64)

    # then: the learned re-ranker travels to the workers with the state
    assert engine.state_.reranker is not None
    np.testing.assert_array_equal(distributed_result.ids, expected.ids)
    np.testing.assert_array_equal(distributed_result.scores, expected.scores)
    np.testing.assert_array_equal(distributed_result.members, expected.members)


def test_top_k_with_scheduler_uses_the_cluster_and_keeps_diversity(client: object) -> None:
    # given
    engine = MatchingEngine(diversity=1.0).fit(random_interests(300, 40, 0.06, 23))
    members = np.arange(0, 300, 3)
    expected = engine.top_k(members, k=6)

    # when
    distributed_result = engine.top_k(members, k=6, scheduler=client, block_size=25)

    # then
    np.testing.assert_array_equal(distributed_result.ids, expected.ids)
