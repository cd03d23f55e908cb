"""The runnable examples in the engine's docstrings run and print what they say."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "commonground_matching.engine",
    "commonground_matching.results",
    "commonground_matching.explain",
    "commonground_matching.distributed",
    "commonground_matching.rerank",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_pass(name: str) -> None:
    # given
    module = importlib.import_module(name)

    # when
    outcome = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)

    # then
    assert outcome.failed == 0
    assert outcome.attempted > 0
