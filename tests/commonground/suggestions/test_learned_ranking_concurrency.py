"""Refreshes finishing at once each store the model they learned: one row, never an error.
Runs on SQLite here and on PostgreSQL in CI (DATABASE_URL)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from commonground.suggestions import services
from commonground.suggestions.models import LearnedRanking
from commonground_matching import RerankModel
from commonground_matching import rerank as learned
from tests.commonground.concurrency import race

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def _engine_with_model(intercept: float) -> SimpleNamespace:
    n = len(learned.FEATURES)
    model = RerankModel.from_dict(
        {
            "features": [name for name, _ in learned.FEATURES],
            "coefficients": [0.1] * n,
            "intercept": intercept,
            "scales": [1.0] * n,
            "eps": {"score": 0.01, "walk": 0.001, "cosine": 0.02},
            "positives": 31,
            "pairs": 4000,
        }
    )
    return SimpleNamespace(rerank_model_=model)


def test_models_stored_at_once_leave_one_row_and_no_error(file_database):
    # given: eight workers, each with the model its refresh learned
    engines = [_engine_with_model(-float(n)) for n in range(8)]

    # when
    answers, handled, unexpected = race(
        [lambda engine=engine: services._store_model(engine, 300) for engine in engines],
        file_database,
    )

    # then: one row, holding one of their models whole
    assert unexpected == []
    assert handled == []
    assert len(answers) == 8
    stored = LearnedRanking.objects.get()
    assert RerankModel.from_dict(stored.model) in [e.rerank_model_ for e in engines]
    assert stored.members == 300
