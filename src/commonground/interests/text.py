"""Free text → canonical interest: exact names, aliases and nicknames, then typos (rapidfuzz).

The index of names and aliases is built once per process and rebuilt when the taxonomy
changes (a cheap fingerprint query decides), so every keystroke of autocomplete is served
from memory.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from django.db.models import Count, Max
from rapidfuzz import fuzz, process

from commonground.interests.keys import normalize
from commonground.interests.models import Interest, InterestAlias, InterestStatus

__all__ = ["Match", "current_index", "normalize", "resolve", "suggest"]

FUZZY_CUTOFF = 86.0
SUGGEST_CUTOFF = 68.0


@dataclass
class _Index:
    fingerprint: tuple[object, ...]
    keys: list[str] = field(default_factory=list)
    # Parallel to keys: (interest id, the alias text or None for the name itself)
    targets: list[tuple[int, str | None]] = field(default_factory=list)
    by_key: dict[str, tuple[int, str | None]] = field(default_factory=dict)


_lock = threading.Lock()
_index: _Index | None = None


def _fingerprint() -> tuple[object, ...]:
    interests = Interest.objects.aggregate(n=Count("id"), last=Max("updated_at"), top=Max("id"))
    aliases = InterestAlias.objects.aggregate(n=Count("id"), top=Max("id"))
    return (interests["n"], interests["last"], interests["top"], aliases["n"], aliases["top"])


def _build(fingerprint: tuple[object, ...]) -> _Index:
    index = _Index(fingerprint=fingerprint)
    live = Interest.objects.exclude(status=InterestStatus.MERGED)
    for interest_id, name_key in live.values_list("id", "name_key"):
        index.by_key[name_key] = (interest_id, None)
    merged_targets = dict(
        Interest.objects.filter(
            status=InterestStatus.MERGED, merged_into__isnull=False
        ).values_list("name_key", "merged_into_id")
    )
    for name_key, target_id in merged_targets.items():
        index.by_key.setdefault(name_key, (target_id, name_key))
    for interest_id, alias, alias_key in InterestAlias.objects.values_list(
        "interest_id", "alias", "alias_key"
    ):
        index.by_key.setdefault(alias_key, (interest_id, alias))
    # Sorted, so equal fuzzy scores come back in the same order on every database.
    index.keys = sorted(index.by_key)
    index.targets = [index.by_key[key] for key in index.keys]
    return index


def current_index() -> _Index:
    global _index
    fingerprint = _fingerprint()
    with _lock:
        if _index is None or _index.fingerprint != fingerprint:
            _index = _build(fingerprint)
        return _index


@dataclass(frozen=True)
class Match:
    interest_id: int
    matched_text: str | None  # the alias or nickname that matched, None for the name
    how: str  # "exact", "alias", "fuzzy"
    score: float


def resolve(text: str) -> Match | None:
    """The one interest this text means, or None when it is too far from all of them."""
    key = normalize(text)
    if not key:
        return None
    index = current_index()
    if key in index.by_key:
        interest_id, alias = index.by_key[key]
        return Match(interest_id, alias, "alias" if alias else "exact", 100.0)
    if len(key) < 4:
        return None
    best = process.extractOne(key, index.keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
    if best is None:
        return None
    interest_id, alias = index.targets[best[2]]
    return Match(interest_id, alias, "fuzzy", float(best[1]))


def suggest(text: str, *, limit: int = 8) -> list[Match]:
    """Ranked candidates for what a member is typing: prefixes first, then fuzzy matches."""
    key = normalize(text)
    if not key:
        return []
    index = current_index()
    seen: set[int] = set()
    found: list[Match] = []

    def add(position: int, how: str, score: float) -> None:
        interest_id, alias = index.targets[position]
        if interest_id not in seen:
            seen.add(interest_id)
            found.append(Match(interest_id, alias, how, score))

    for position, candidate in enumerate(index.keys):
        if candidate.startswith(key) or f" {key}" in candidate:
            add(position, "prefix", 100.0 - len(candidate) / 100)
    found.sort(key=lambda match: -match.score)
    # A whole word of the text that is itself an interest ("Klingon opera" → Opera).
    positions = {candidate: position for position, candidate in enumerate(index.keys)}
    for word in key.split():
        if len(word) >= 4 and word != key and word in positions:
            add(positions[word], "word", 90.0)
    if len(found) < limit and len(key) >= 3:
        # QRatio compares whole strings: WRatio's partial matching let two-letter aliases and
        # single shared words ("fan" in "Fan fiction") outrank the interest that was meant.
        for _, score, position in process.extract(
            key, index.keys, scorer=fuzz.QRatio, limit=limit * 3, score_cutoff=SUGGEST_CUTOFF
        ):
            add(position, "fuzzy", float(score))
    return found[:limit]
