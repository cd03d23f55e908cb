"""Who is most likely to help with an ask: the engine's rarity weighting, applied to helpers.

An ask is not a member, so it has no row in the community matrices; it is a query over the
interests it names (or its author's own, when it names none). Each candidate is scored the
way the engine scores a pair, restricted to those interests:

    score(ask, c) = interest_weight * sum_i q_i * s_ci          (rarity-weighted match)
                  + goals_weight   * sum_i q_i * skill_ci        (c can share i: mentoring)
                  + MENTORING_BONUS                              (c is open to mentoring)

`q` is the ask's interest row weighted by the engine's idf and scaled to unit length
(`commonground_matching.weighting.idf_normalize`, as `MatchingEngine.fit` does), `s_ci` is c's
intensity for i on a 0-1 scale, and `skill_ci` is 1 when c lists i as a skill. The weights
are the engine's defaults. The mentoring bonus, like the engine's hiring boost, only lifts
members who share something: it never routes an ask to a stranger.

Rarity comes from the whole community (each interest's member count), not from the
candidates: a group's asks go to its members, who all share the group's interests, and an
idf fitted on them alone would weigh those interests 0. That is why this does not call
`MatchingEngine.fit` on the candidates; see docs/asks.md.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from commonground.interests.models import Interest, MemberInterest
from commonground.interests.weights import INTENSITY_WEIGHT
from commonground.profiles.models import OpenTo, Profile
from commonground.profiles.selectors import total_members
from commonground_matching import MatchingEngine
from commonground_matching.weighting import idf_normalize, idf_weights

_DEFAULTS = MatchingEngine().get_params()
INTEREST_WEIGHT: float = _DEFAULTS["interest_weight"]
GOALS_WEIGHT: float = _DEFAULTS["goals_weight"]
MENTORING_BONUS = 0.1
# Below this many candidates the interest rows are fetched by member; above, by interest.
_BY_MEMBER_UP_TO = 500
_MAX_INTENSITY = max(INTENSITY_WEIGHT.values())


def _query_interests(*, author_id: int, interest_ids: list[int]) -> list[int]:
    if interest_ids:
        return sorted(set(interest_ids))
    return sorted(
        MemberInterest.objects.filter(user_id=author_id).values_list("interest_id", flat=True)
    )


def rank_helpers(
    *, author_id: int, interest_ids: list[int], candidate_ids: list[int], k: int = 10
) -> list[tuple[int, float, list[int]]]:
    """The `k` candidates most likely to help, best first: (member id, score, ids of the
    shared interests that explain it, largest contribution first). Only candidates who share
    at least one of the interests are returned; the author never is; ties go to the lower id.
    """
    columns = _query_interests(author_id=author_id, interest_ids=interest_ids)
    candidates = np.unique(np.asarray(candidate_ids, dtype=np.int64))
    candidates = candidates[candidates != author_id]
    if not columns or not len(candidates) or k < 1:
        return []
    column_of = {interest_id: j for j, interest_id in enumerate(columns)}
    counts = dict(Interest.objects.filter(pk__in=columns).values_list("pk", "member_count"))
    df = np.array([counts.get(i, 0) for i in columns], dtype=np.int64)
    idf = idf_weights(df, max(total_members(), int(df.max(initial=0))))
    query = idf_normalize(sp.csr_matrix(np.ones((1, len(columns)), dtype=np.float32)), idf)
    q = query.toarray().ravel()

    links = MemberInterest.objects.filter(interest_id__in=columns)
    if len(candidates) <= _BY_MEMBER_UP_TO:
        links = links.filter(user_id__in=candidates.tolist())
    rows = list(links.values_list("user_id", "interest_id", "intensity", "kind"))
    if not rows:
        return []
    users = np.array([r[0] for r in rows], dtype=np.int64)
    keep = np.isin(users, candidates)
    if not keep.any():
        return []
    users = users[keep]
    cols = np.array([column_of[r[1]] for r in rows], dtype=np.int64)[keep]
    strength = np.array(
        [INTENSITY_WEIGHT.get(r[2], 1.0) / _MAX_INTENSITY for r in rows], dtype=np.float64
    )[keep]
    skill = np.array([r[3] == "skill" for r in rows], dtype=bool)[keep]

    members, member_row = np.unique(users, return_inverse=True)
    contribution = q[cols] * (INTEREST_WEIGHT * strength + GOALS_WEIGHT * skill)
    parts = sp.csr_matrix((contribution, (member_row, cols)), shape=(len(members), len(columns)))
    score = np.asarray(parts.sum(axis=1)).ravel()
    score = _with_mentoring_bonus(members, score, k=k)

    # Best first, ties to the lower id (members are sorted by id, and the sort is stable).
    order = np.argsort(-score, kind="stable")[:k]
    found = []
    for index in order:
        if score[index] <= 0:
            break
        row = parts.getrow(int(index))
        shared = sorted(
            zip(row.indices.tolist(), row.data.tolist(), strict=True),
            key=lambda item: (-item[1], columns[item[0]]),
        )
        found.append(
            (int(members[index]), round(float(score[index]), 6), [columns[j] for j, _ in shared])
        )
    return found


def _with_mentoring_bonus(members: np.ndarray, score: np.ndarray, *, k: int) -> np.ndarray:
    """Add the bonus for members open to mentoring. Only those within the bonus of the k-th
    best score can change the top k, so only their profiles are read."""
    if not len(members):
        return score
    kth = np.sort(score)[::-1][min(k, len(score)) - 1]
    contenders = members[score >= kth - MENTORING_BONUS]
    profiles = Profile.objects.all()
    if len(contenders) <= _BY_MEMBER_UP_TO:
        profiles = profiles.filter(user_id__in=contenders.tolist())
    else:
        # Many tie (one popular interest): read the mentors instead, a JSON text match that
        # works on SQLite and PostgreSQL alike, then check the list exactly.
        profiles = profiles.filter(open_to__icontains=f'"{OpenTo.MENTORING.value}"')
    wanted = set(contenders.tolist())
    mentors = {
        user_id
        for user_id, open_to in profiles.values_list("user_id", "open_to")
        if user_id in wanted and OpenTo.MENTORING in (open_to or [])
    }
    if not mentors:
        return score
    bonus = np.isin(members, np.fromiter(mentors, dtype=np.int64)) * MENTORING_BONUS
    return score + bonus
