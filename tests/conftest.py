"""Project-wide test set-up: real database, real email backend (locmem), no mocks."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
