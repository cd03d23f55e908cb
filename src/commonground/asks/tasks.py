"""Background jobs of the asks app (django-tasks; run by `commonground worker`)."""

from __future__ import annotations

from django_tasks import task

from commonground.asks.services.routing import ask_route


@task()
def route_ask(ask_id: int) -> int:
    """Idempotent: routes once, and tells each routed member once, however often it runs."""
    return ask_route(ask_id=ask_id)
