"""How the matching engine weighs a member's interests, for pages that rank without running it.

The engine (``commonground_matching``) scores a pair by the cosine of their interest rows,
each interest weighted by its intensity and its rarity ``idf = log((1 + N) / (1 + df))``. The
directory ranks with the same score straight from the database: the viewer's side is computed
here, the other member's side from their stored inverse norm (:class:`MemberInterestNorm`).
Only the suggestions app may import the engine, so the formula is restated here and a test
(``tests/commonground/suggestions/test_directory_score.py``) holds the two equal.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

INTENSITY_WEIGHT: dict[int, float] = {1: 1.0, 2: 1.5, 3: 2.0}


def engine_idf(member_count: int, total_members: int) -> float:
    """The engine's rarity weight: a niche held by 10 of 100,000 members weighs ~9.1."""
    return math.log((1 + max(total_members, 0)) / (1 + max(member_count, 0)))


def inverse_norm(rows: Iterable[tuple[int, int]], total_members: int) -> float:
    """``1 / ||intensity * idf||`` of one member's interests, given (intensity, member_count)."""
    squared = sum(
        (INTENSITY_WEIGHT.get(intensity, 1.0) * engine_idf(count, total_members)) ** 2
        for intensity, count in rows
    )
    return 1.0 / math.sqrt(squared) if squared > 0 else 0.0
