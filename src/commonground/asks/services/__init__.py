"""Ask writes: posting and closing asks, answers, and routing. One module per sub-domain."""

from commonground.asks.services.answers import answer_create, answer_mark_helpful, answer_update
from commonground.asks.services.asks import ask_create, ask_status_set
from commonground.asks.services.routing import ask_route

__all__ = [
    "answer_create",
    "answer_mark_helpful",
    "answer_update",
    "ask_create",
    "ask_route",
    "ask_status_set",
]
