"""The database as the engine's inputs: plain scipy/numpy arrays, members in user-id order."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from commonground.interests.models import MemberInterest
from commonground.interests.weights import INTENSITY_WEIGHT
from commonground.network.models import Block, Connection, Mute
from commonground.profiles.models import OpenTo, Profile, Reach
from commonground.suggestions.models import Dismissal

REACH_CODE: dict[str, int] = {
    Reach.LOCAL.value: 0,
    Reach.REGIONAL.value: 1,
    Reach.NATIONAL.value: 2,
    Reach.VIRTUAL.value: 3,
}


@dataclass
class CommunityMatrices:
    user_ids: npt.NDArray[np.int64]
    index_of: dict[int, int]
    interests: sp.csr_matrix
    connections: sp.csr_matrix
    skills: sp.csr_matrix
    wants_to_learn: sp.csr_matrix
    hiring: npt.NDArray[np.bool_]
    seeking: npt.NDArray[np.bool_]
    regions: npt.NDArray[np.int64]
    reach: npt.NDArray[np.int64]
    exclusions: npt.NDArray[np.int64]

    @property
    def n_members(self) -> int:
        return len(self.user_ids)

    def engine_inputs(self) -> dict[str, object]:
        return {
            "connections": self.connections,
            "skills": self.skills,
            "wants_to_learn": self.wants_to_learn,
            "hiring": self.hiring,
            "seeking": self.seeking,
            "regions": self.regions,
            "reach": self.reach,
            "exclusions": self.exclusions,
        }


def build_matrices() -> CommunityMatrices:
    """Every listed member (active and onboarded) and what the engine needs about them."""
    rows = list(
        Profile.objects.filter(
            user__is_active=True, onboarding_step__gte=Profile.OnboardingStep.DONE
        )
        .order_by("user_id")
        .values_list("user_id", "region_key", "reach", "open_to")
    )
    user_ids = np.array([r[0] for r in rows], dtype=np.int64)
    index_of = {int(uid): i for i, uid in enumerate(user_ids)}
    n = len(rows)
    region_codes: dict[str, int] = {}
    regions = np.array(
        [region_codes.setdefault(r[1], len(region_codes)) if r[1] else -1 for r in rows],
        dtype=np.int64,
    )
    reach = np.array([REACH_CODE.get(r[2], 1) for r in rows], dtype=np.int64)
    hiring = np.array([OpenTo.HIRING in (r[3] or []) for r in rows], dtype=bool)
    seeking = np.array([OpenTo.JOB_SEEKING in (r[3] or []) for r in rows], dtype=bool)

    links = MemberInterest.objects.filter(
        user__is_active=True, user__profile__onboarding_step__gte=Profile.OnboardingStep.DONE
    )
    member_rows: list[int] = []
    columns: list[int] = []
    weights: list[float] = []
    kinds: list[str] = []
    for user_id, interest_id, intensity, member_kind in links.values_list(
        "user_id", "interest_id", "intensity", "kind"
    ).iterator(chunk_size=20_000):
        member_rows.append(index_of[user_id])
        columns.append(interest_id)
        weights.append(INTENSITY_WEIGHT.get(intensity, 1.0))
        kinds.append(member_kind)
    n_columns = (max(columns) + 1) if columns else 1
    member_index = np.array(member_rows, dtype=np.int64)
    column_index = np.array(columns, dtype=np.int64)
    weight = np.array(weights, dtype=np.float64)
    kind = np.array(kinds, dtype=object)

    def matrix(mask: npt.NDArray[np.bool_], values: npt.NDArray[np.float64]) -> sp.csr_matrix:
        return sp.csr_matrix(
            (values[mask], (member_index[mask], column_index[mask])), shape=(n, n_columns)
        )

    everything = np.ones(len(weight), dtype=bool)
    interests = matrix(everything, weight)
    skills = matrix(np.asarray(kind == "skill", dtype=bool), np.ones(len(weight)))
    wants = matrix(np.asarray(kind == "learn", dtype=bool), np.ones(len(weight)))

    pairs = [
        (index_of[a], index_of[b])
        for a, b in Connection.objects.values_list("user_low_id", "user_high_id").iterator(
            chunk_size=20_000
        )
        if a in index_of and b in index_of
    ]
    connections = _symmetric(pairs, n)
    # Dismissed, blocked (either way) and muted pairs are never suggested: excluding them
    # here keeps each list full; suggestion_list re-checks on read for changes since.
    never = itertools.chain(
        Dismissal.objects.values_list("user_id", "candidate_id"),
        Block.objects.values_list("blocker_id", "blocked_id"),
        Mute.objects.values_list("muter_id", "muted_id"),
    )
    excluded = [(index_of[a], index_of[b]) for a, b in never if a in index_of and b in index_of]
    exclusions = np.array(excluded, dtype=np.int64).reshape(-1, 2)
    return CommunityMatrices(
        user_ids=user_ids,
        index_of=index_of,
        interests=interests,
        connections=connections,
        skills=skills,
        wants_to_learn=wants,
        hiring=hiring,
        seeking=seeking,
        regions=regions,
        reach=reach,
        exclusions=exclusions,
    )


def _symmetric(pairs: list[tuple[int, int]], n: int) -> sp.csr_matrix:
    if not pairs:
        return sp.csr_matrix((n, n))
    a = np.array(pairs, dtype=np.int64)
    rows = np.concatenate([a[:, 0], a[:, 1]])
    cols = np.concatenate([a[:, 1], a[:, 0]])
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
