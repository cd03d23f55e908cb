from __future__ import annotations

import zlib

from django import template

register = template.Library()


@register.filter
def avatar_hue(value: str) -> int:
    """A stable, pleasant hue per member for their initial's circle."""
    return zlib.crc32(str(value).encode()) % 360


@register.filter
def initials(name: str) -> str:
    parts = [p for p in str(name).split() if p]
    return "".join(p[0] for p in parts[:2]).upper() or "?"


@register.filter
def get_item(mapping: dict[str, object], key: str) -> object:
    return mapping.get(key, "")
