"""Hashtags in post text: #word of 2–50 unicode letters, digits or underscores."""

from __future__ import annotations

import re

from commonground.groups.models import HASHTAG_MAX_LENGTH

# Not after a word character, '/', '&' or another '#': leaves URL fragments (/#top), HTML
# entities (&#39;) and '##' headings alone. A longer run of word characters is no hashtag.
_HASHTAG = re.compile(rf"(?<![\w/&#])#(\w{{2,{HASHTAG_MAX_LENGTH}}})(?!\w)")
_TAG = re.compile(rf"^\w{{2,{HASHTAG_MAX_LENGTH}}}$")
MAX_HASHTAGS_PER_POST = 20


def normalize_hashtag(text: str) -> str | None:
    """The stored form of a tag (case-folded), or None when it is not a valid tag."""
    tag = text.strip().lstrip("#").casefold()
    return tag if _TAG.match(tag) else None


def hashtags_in(text: str) -> list[str]:
    """The distinct normalized hashtags of a text, in order of first appearance."""
    found: dict[str, None] = {}
    for match in _HASHTAG.finditer(text or ""):
        tag = normalize_hashtag(match.group(1))
        if tag is not None:
            found.setdefault(tag)
        if len(found) >= MAX_HASHTAGS_PER_POST:
            break
    return list(found)
