"""Scale-out: the same batch, split into row blocks on a Dask cluster.

Each task runs the in-process kernel on one block of query rows with one thread. Rows never
depend on each other (diversity re-ranking runs after the gather, on the driver), so the
result is exactly the in-process one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from commonground_matching.batch import batch_top_k
from commonground_matching.components import FittedState
from commonground_matching.results import TopKResult
from commonground_matching.validation import MatchingTypeError, check_k, check_members

if TYPE_CHECKING:
    from commonground_matching.engine import MatchingEngine

__all__ = ["top_k_dask"]

BlockResult = tuple[npt.NDArray[np.int64], npt.NDArray[np.float32], npt.NDArray[np.bool_]]


def _run_block(
    state: FittedState, members: npt.NDArray[np.int64], k: int, margin: int
) -> BlockResult:
    return batch_top_k(state, members, k=k, margin=margin, n_jobs=1, block_size=None)


def _client(scheduler: Any) -> tuple[Any, bool]:
    try:
        from distributed import Client
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise MatchingTypeError(
            "scheduler needs the optional dependency dask[distributed], which is not installed"
        ) from error
    if isinstance(scheduler, Client):
        return scheduler, False
    if isinstance(scheduler, str):
        return Client(scheduler), True  # type: ignore[no-untyped-call]
    raise MatchingTypeError(
        f"scheduler must be a dask address (str) or a distributed.Client, got {scheduler!r}"
    )


def top_k_dask(
    engine: MatchingEngine,
    scheduler: Any,
    *,
    members: npt.ArrayLike | None = None,
    k: int = 20,
    block_size: int | None = None,
) -> TopKResult:
    """:meth:`MatchingEngine.top_k` with its row blocks run as tasks on a Dask cluster.

    Parameters
    ----------
    engine : MatchingEngine
        A fitted engine. Its state is scattered to the workers once.
    scheduler : str or distributed.Client
        A scheduler address (``"tcp://host:8786"``) or an existing client.
    members : sequence of int, optional
        Query members; None means everybody.
    k : int, default=20
    block_size : int, optional
        Query rows per task; default 4096.

    Returns
    -------
    TopKResult
        Exactly what ``engine.top_k(members, k)`` returns in-process.

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> from distributed import Client, LocalCluster
    >>> from commonground_matching import MatchingEngine
    >>> engine = MatchingEngine().fit(sp.csr_matrix(np.array([[1, 1], [1, 0], [0, 1]])))
    >>> with LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster:
    ...     with Client(cluster) as client:
    ...         top_k_dask(engine, client, k=1).ids.tolist()
    [[1], [0], [0]]
    """
    state = engine._state()
    checked_k = check_k(k)
    queries = check_members(members, state.n_members)
    size = block_size or 4096
    wide = checked_k * 2 if engine.diversity else checked_k
    client, owned = _client(scheduler)
    try:
        shared = client.scatter(state, broadcast=True)
        blocks = [queries[i : i + size] for i in range(0, queries.size, size)]
        futures = [
            client.submit(_run_block, shared, block, wide, int(engine.rescore_margin), pure=False)
            for block in blocks
        ]
        parts: list[BlockResult] = client.gather(futures)
    finally:
        if owned:
            client.close()
    if parts:
        ids = np.concatenate([p[0] for p in parts])
        scores = np.concatenate([p[1] for p in parts])
        certified = np.concatenate([p[2] for p in parts])
    else:
        ids = np.zeros((0, wide), dtype=np.int64)
        scores = np.zeros((0, wide), dtype=np.float32)
        certified = np.zeros(0, dtype=bool)
    return engine._finish(queries, ids, scores, certified, checked_k)
