"""Suggestion writes: compute everyone's 'people for you', refresh one member, dismiss."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from commonground.accounts.models import User
from commonground.core.errors import NotFound, ValidationFailed
from commonground.interests.services import member_interest_norms_refresh
from commonground.suggestions.matrices import CommunityMatrices, build_matrices
from commonground.suggestions.models import Dismissal, LearnedRanking, Suggestion
from commonground_matching import MatchingEngine, MatchingInputError, RerankModel

SUGGESTIONS_PER_MEMBER = 20
BLOCK = 2_000
_INSERT_CHUNK = 50_000


@dataclass(frozen=True)
class MatchSummary:
    members: int
    with_suggestions: int
    suggestions: int
    seconds_build: float
    seconds_match: float
    exposure_gini: float


# Above this size the engine's "friends of interest-similar members" part and its learned
# re-ranker are turned off: they lift quality on small graphs but made matching ~10x slower
# (measured: 2,000 queries at 20,000 members took 17.9 s with the walk, 1.0 s without), and
# the re-ranker costs fit four more passes of those. See docs/decisions/0003.
LARGE_COMMUNITY = 5_000


def _engine(matrices: CommunityMatrices, model: RerankModel | None = None) -> MatchingEngine:
    """The fitted engine; ``model``: a re-ranking model learned earlier, used instead of
    learning one again."""
    large = matrices.n_members > LARGE_COMMUNITY
    params: dict[str, object] = {"similar_members": 0, "rerank": False} if large else {}
    if model is not None and not large:
        params["rerank"] = model
    return MatchingEngine(**params).fit(matrices.interests, **matrices.engine_inputs())  # type: ignore[arg-type]


def _stored_model() -> RerankModel | None:
    """The last learned re-ranking model, or None (none yet, or learned by a version whose
    features differ: the next match or refresh learns a new one)."""
    stored = LearnedRanking.objects.filter(key="people-for-you").first()
    if stored is None:
        return None
    try:
        return RerankModel.from_dict(stored.model)
    except MatchingInputError:
        return None


def _store_model(engine: MatchingEngine, n_members: int) -> None:
    """Keep the engine's learned model for the refreshes (or forget the stored one when the
    engine learned none: the community is too small or too large for it now)."""
    model: RerankModel | None = engine.rerank_model_
    if model is None:
        LearnedRanking.objects.filter(key="people-for-you").delete()
        return
    values = {"model": model.to_dict(), "members": n_members, "learned_at": timezone.now()}
    try:
        with transaction.atomic():
            LearnedRanking.objects.update_or_create(key="people-for-you", defaults=values)
    except IntegrityError:  # another process stored one at the same moment: replace it
        LearnedRanking.objects.filter(key="people-for-you").update(**values)


SuggestionRow = tuple[int, int, int, float]  # user id, candidate id, rank (from 1), score


def _rows(
    matrices: CommunityMatrices, members: np.ndarray, ids: np.ndarray, scores: np.ndarray
) -> list[SuggestionRow]:
    """The found pairs of an engine result, each member's best first."""
    found = ids >= 0  # a list's -1s come after its members
    query_rows, ranks = np.nonzero(found)
    return list(
        zip(
            matrices.user_ids[members[query_rows]].tolist(),
            matrices.user_ids[ids[found]].tolist(),
            (ranks + 1).tolist(),
            scores[found].astype(np.float64).tolist(),
            strict=True,
        )
    )


def _insert(rows: list[SuggestionRow]) -> None:
    """Store suggestions computed now, in bulk, inside the caller's transaction.

    Rows go straight to the table (COPY on PostgreSQL, executemany on SQLite): for the
    2,000,000 suggestions of a 100,000-member community, model instances and
    ``bulk_create`` took most of ``commonground match`` (measured: ~70 of ~110 s)."""
    meta = Suggestion._meta
    field = {f.name: f for f in meta.concrete_fields}
    names = ("user", "candidate", "rank", "score", "computed_at")
    computed_at = field["computed_at"].get_db_prep_value(timezone.now(), connection)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field[name].column) for name in names)
    table = quote(meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, computed_at))
            return
        # Names from the model's metadata, values as parameters.
        sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s)"  # noqa: S608
        for start in range(0, len(rows), _INSERT_CHUNK):
            chunk = rows[start : start + _INSERT_CHUNK]
            cursor.executemany(sql, [(*row, computed_at) for row in chunk])


def _gini(counts: np.ndarray) -> float:
    if counts.sum() == 0:
        return 0.0
    ordered = np.sort(counts.astype(np.float64))
    n = len(ordered)
    cumulative = np.cumsum(ordered)
    return float((n + 1 - 2 * (cumulative / cumulative[-1]).sum()) / n)


def suggestions_compute_all(
    *,
    k: int = SUGGESTIONS_PER_MEMBER,
    scheduler: Any = None,
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> MatchSummary:
    """Recompute every member's suggestions with the engine and replace the stored ones."""
    if not 1 <= k <= 100:
        raise ValidationFailed("k must be between 1 and 100.", field="k")
    started = time.perf_counter()
    # The directory ranks by the same interest score from stored norms: refresh them too.
    member_interest_norms_refresh()
    matrices = build_matrices()
    built = time.perf_counter()
    if on_total:
        on_total(matrices.n_members)
    found: list[SuggestionRow] = []
    exposure = np.zeros(matrices.n_members, dtype=np.int64)
    engine: MatchingEngine | None = None
    if matrices.n_members > 1:
        engine = _engine(matrices)
        for start in range(0, matrices.n_members, BLOCK):
            members = np.arange(start, min(start + BLOCK, matrices.n_members))
            result = engine.top_k(members, k=k, scheduler=scheduler)
            found.extend(_rows(matrices, members, result.ids, result.scores))
            shown = result.ids[result.ids >= 0]
            exposure += np.bincount(shown, minlength=matrices.n_members)
            if progress:
                progress(len(members))
    matched = time.perf_counter()
    with transaction.atomic():
        Suggestion.objects.all().delete()
        _insert(found)
        if engine is not None:
            _store_model(engine, matrices.n_members)
    return MatchSummary(
        members=matrices.n_members,
        with_suggestions=len({row[0] for row in found}),
        suggestions=len(found),
        seconds_build=built - started,
        seconds_match=matched - built,
        exposure_gini=_gini(exposure),
    )


def suggestions_refresh_member(*, user_id: int, k: int = SUGGESTIONS_PER_MEMBER) -> int:
    """Recompute one member's list (after they edit their interests). Returns how many."""
    matrices = build_matrices()
    if matrices.n_members <= LARGE_COMMUNITY:
        # Small communities: the edit moved interest counts enough to matter for everybody's
        # stored norm (large ones wait for the nightly `commonground match`).
        member_interest_norms_refresh()
    index = matrices.index_of.get(user_id)
    found: list[SuggestionRow] = []
    if index is not None and matrices.n_members > 1:
        members = np.array([index])
        # The model the last match learned, when there is one: learning again would cost
        # about four passes over every member for each edit (measured at 3,000 members:
        # 8.9 s a refresh learning, 1.7 s reusing).
        stored = _stored_model()
        engine = _engine(matrices, stored)
        result = engine.top_k(members, k=k)
        found = _rows(matrices, members, result.ids, result.scores)
        if stored is None and engine.rerank_model_ is not None:
            _store_model(engine, matrices.n_members)
    with transaction.atomic():
        Suggestion.objects.filter(user_id=user_id).delete()
        _insert(found)
    return len(found)


def suggestion_dismiss(*, user: User, candidate_public_id: str) -> None:
    """'Not for me': remembered, and never suggested again (idempotent)."""
    candidate = User.objects.filter(public_id=candidate_public_id, is_active=True).first()
    if candidate is None or candidate.pk == user.pk:
        raise NotFound("No such member.", code="member_not_found")
    try:
        with transaction.atomic():
            Dismissal.objects.create(user=user, candidate=candidate)
    except IntegrityError:
        pass
    Suggestion.objects.filter(user=user, candidate=candidate).delete()
