"""/api/v1: composition only. Routers live in their apps; errors map here."""

from __future__ import annotations

from ninja import NinjaAPI

from commonground.api import errors
from commonground.api.auth import AUTH
from commonground.asks.api import router as asks_router
from commonground.events.api import router as events_router
from commonground.groups.api import router as groups_router
from commonground.interests.api import router as interests_router
from commonground.messaging.api import router as messaging_router
from commonground.network.api import router as network_router
from commonground.notifications.api import router as notifications_router
from commonground.opportunities.api import router as opportunities_router
from commonground.profiles.api import router as profiles_router
from commonground.suggestions.api import router as suggestions_router

api = NinjaAPI(
    title="Common Ground API",
    version="1",
    description=(
        "Members, interests and discovery by shared interest. Authenticate with a personal "
        "token (`Authorization: Bearer cg_…`, created at /me/tokens/) or the browser session. "
        "Errors are JSON `{code, message, field}`. Each caller may make "
        "COMMONGROUND_API_RATE_LIMIT (default 200) requests a minute; past that: 429."
    ),
    auth=AUTH,
    urls_namespace="api",
)
errors.install(api)
api.add_router("", profiles_router)
api.add_router("", interests_router)
api.add_router("", suggestions_router)
api.add_router("", network_router)
api.add_router("", groups_router)
api.add_router("", events_router)
api.add_router("", messaging_router)
api.add_router("", notifications_router)
api.add_router("", opportunities_router)
api.add_router("", asks_router)
