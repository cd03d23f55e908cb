"""What top-k returns, and how concentrated exposure is."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from commonground_matching.kernels import best_of_rows

__all__ = ["TopKResult", "diversify", "exposure_gini"]


@dataclass(frozen=True)
class TopKResult:
    """Top-k suggestions for a set of query members.

    Attributes
    ----------
    members : ndarray of shape (n_queries,), int64
        The query members, in the order asked.
    ids : ndarray of shape (n_queries, k), int64
        Suggested members, best first; -1 where fewer than ``k`` members score above 0.
    scores : ndarray of shape (n_queries, k), float32
        Their scores (``engine.scores(member)[id]``); 0 where ``ids`` is -1.
    certified : ndarray of shape (n_queries,), bool
        True where the pruning bounds prove the list equals the exact top-k. Where False
        the list is still usually exact; the bounds were merely too loose to prove it.

    Examples
    --------
    >>> import numpy as np
    >>> result = TopKResult(
    ...     members=np.array([0]), ids=np.array([[2, -1]]),
    ...     scores=np.array([[0.5, 0.0]], dtype=np.float32), certified=np.array([True]))
    >>> result.ids[0].tolist()
    [2, -1]
    """

    members: npt.NDArray[np.int64]
    ids: npt.NDArray[np.int64]
    scores: npt.NDArray[np.float32]
    certified: npt.NDArray[np.bool_]

    def exposure_gini(self, n_members: int) -> float:
        """Gini coefficient of how often each member appears across all lists.

        See :func:`exposure_gini`.
        """
        return exposure_gini(self.ids, n_members)


def exposure_gini(ids: npt.NDArray[np.int64], n_members: int) -> float:
    """Gini coefficient (0 = everyone shown equally often, 1 = one member shown to all).

    Parameters
    ----------
    ids : ndarray of shape (n_queries, k)
        Suggested member ids, -1 for empty slots (ignored).
    n_members : int
        Number of members who could have been shown.

    Examples
    --------
    >>> import numpy as np
    >>> exposure_gini(np.array([[0, 1], [1, 0]]), 2)
    0.0
    >>> round(exposure_gini(np.array([[0], [0], [0], [0]]), 4), 2)
    0.75
    """
    shown = ids[ids >= 0]
    counts = np.sort(np.bincount(shown, minlength=n_members)).astype(np.float64)
    total = counts.sum()
    if total == 0 or n_members < 2:
        return 0.0
    ranks = np.arange(1, n_members + 1, dtype=np.float64)
    return float((2.0 * (ranks * counts).sum()) / (n_members * total) - (n_members + 1) / n_members)


def diversify(
    ids: npt.NDArray[np.int64],
    scores: npt.NDArray[np.float32],
    *,
    k: int,
    strength: float,
    n_members: int,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    """Re-rank longer lists so that members already shown to many drop a little.

    Each candidate's score is divided by ``1 + strength * log1p(exposure)``, where exposure is
    how many of these (un-diversified) top-k lists contain it. Returned scores stay the true
    scores; only the order and the cut change. Ties keep the lower id first.
    """
    exposure = np.bincount(ids[:, :k][ids[:, :k] >= 0], minlength=n_members)
    valid = ids >= 0
    penalty = 1.0 + strength * np.log1p(exposure[np.where(valid, ids, 0)])
    adjusted = np.where(valid, scores / penalty, -np.inf)
    return best_of_rows(ids, adjusted, k, values=scores)
