"""Keyset-free, bounded page-number pagination shared by pages and the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def clamp_page(number: int | None, size: int | None, *, default_size: int = 20) -> tuple[int, int]:
    page = max(1, min(int(number or 1), 10_000))
    per_page = max(1, min(int(size or default_size), MAX_PAGE_SIZE))
    return page, per_page


def page_param(value: str | None) -> int | None:
    """A page number from a query string: ASCII digits only (`str.isdigit()` also accepts
    "²", which `int()` refuses), at most 5 of them; anything else is no page (the first)."""
    if value and len(value) <= 5 and value.isascii() and value.isdigit():
        return int(value)
    return None
