from __future__ import annotations

import pytest

from commonground.interests import text
from commonground.interests.models import Interest

pytestmark = pytest.mark.django_db


def _names(query: str) -> list[str]:
    names = dict(Interest.objects.values_list("id", "name"))
    return [names[match.interest_id] for match in text.suggest(query)]


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("washingtn capitols fan", "Washington Capitals"),
        ("star trek fan", "Star Trek"),
        ("harry poter", "Harry Potter"),
        ("dungeons and dragon", "Dungeons & Dragons"),
        ("Klingon opera", "Opera"),
        ("trekie", "Star Trek"),
    ],
)
def test_the_meant_interest_comes_first_for_misspelled_multi_word_text(typed, first):
    assert _names(typed)[0] == first


def test_single_shared_words_and_two_letter_aliases_do_not_crowd_in():
    # WRatio's partial matching once ranked "Clean water" and "Fan fiction" first here.
    assert _names("washingtn capitols fan") == ["Washington Capitals", "Washington Nationals"]
