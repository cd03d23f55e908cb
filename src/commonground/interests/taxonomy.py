"""Load the shipped taxonomy. Takes the model classes, so migrations (historical models) and
the `load_taxonomy` command share one implementation. Idempotent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.utils.text import slugify

from commonground.interests.keys import normalize

TAXONOMY_PATH = Path(__file__).resolve().parent / "data" / "taxonomy.json"


def load_taxonomy(
    interest_model: Any, alias_model: Any, path: Path = TAXONOMY_PATH
) -> tuple[int, int]:
    """Create the interests and aliases that are missing. Returns (interests, aliases) created."""
    entries: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    existing = set(interest_model.objects.values_list("name_key", flat=True))
    slugs = set(interest_model.objects.values_list("slug", flat=True))
    new_interests = []
    for entry in entries:
        key = normalize(entry["name"])
        if key in existing:
            continue
        base = slugify(entry["name"])[:80] or "interest"
        slug, n = base, 2
        while slug in slugs:
            slug, n = f"{base}-{n}", n + 1
        slugs.add(slug)
        existing.add(key)
        new_interests.append(
            interest_model(
                name=entry["name"],
                name_key=key,
                slug=slug,
                kind=entry.get("kind", "other"),
                description=entry.get("description", "")[:300],
            )
        )
    interest_model.objects.bulk_create(new_interests)
    by_key = dict(interest_model.objects.values_list("name_key", "id"))
    taken = set(alias_model.objects.values_list("alias_key", flat=True)) | set(by_key)
    aliases = []
    for entry in entries:
        for alias in entry.get("aliases", []):
            alias_key = normalize(alias)
            if alias_key in taken:
                continue
            taken.add(alias_key)
            aliases.append(
                alias_model(
                    interest_id=by_key[normalize(entry["name"])], alias=alias, alias_key=alias_key
                )
            )
    alias_model.objects.bulk_create(aliases)
    return len(new_interests), len(aliases)
