"""The normalized key two spellings of one interest share. Pure: no models, safe in migrations."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().strip()
    text = text.replace("’", "'").replace(" and ", " & ")
    return _SPACES.sub(" ", text)
