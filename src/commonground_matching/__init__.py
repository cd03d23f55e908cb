"""Common Ground's matching engine: who should meet whom, and why.

Framework-free (numpy + scipy, optional dask). See :class:`MatchingEngine`.
"""

from commonground_matching.distributed import top_k_dask
from commonground_matching.engine import MatchingEngine
from commonground_matching.explain import Explanation
from commonground_matching.rerank import RerankModel
from commonground_matching.results import TopKResult, exposure_gini
from commonground_matching.validation import (
    MatchingInputError,
    MatchingTypeError,
    NotFittedError,
)

__all__ = [
    "Explanation",
    "MatchingEngine",
    "MatchingInputError",
    "MatchingTypeError",
    "NotFittedError",
    "RerankModel",
    "TopKResult",
    "exposure_gini",
    "top_k_dask",
]
