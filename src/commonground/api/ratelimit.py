"""Per-caller API rate limit, counted atomically in the cache (fixed one-minute windows)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from commonground.core.errors import RateLimited


def check_api_rate(request: HttpRequest) -> None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        ident = f"ip:{request.META.get('REMOTE_ADDR', '')}"
    else:
        ident = f"user:{user.pk}"
    window = int(time.time() // 60)
    key = f"api-rate:{ident}:{window}"
    if cache.add(key, 1, timeout=70):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:
            cache.add(key, 1, timeout=70)
            count = 1
    if count > settings.API_RATE_LIMIT_PER_MINUTE:
        raise RateLimited(
            f"Too many requests: at most {settings.API_RATE_LIMIT_PER_MINUTE} a minute. "
            "Try again in a minute."
        )
