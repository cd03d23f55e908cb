from django.contrib import admin
from django.urls import include, path

from commonground.api.api import api

admin.site.site_header = "Common Ground administration"
admin.site.site_title = "Common Ground admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("", include("commonground.web.urls")),
    path("", include("commonground.suggestions.urls")),
    path("", include("commonground.network.urls")),
    path("", include("commonground.profiles.urls")),
    path("", include("commonground.interests.urls")),
    path("", include("commonground.groups.urls")),
    path("", include("commonground.accounts.urls")),
    path("", include("commonground.events.urls")),
    path("", include("commonground.messaging.urls")),
    path("", include("commonground.notifications.urls")),
    path("", include("commonground.opportunities.urls")),
    path("", include("commonground.asks.urls")),
]

handler404 = "commonground.web.views.errors.not_found"
handler500 = "commonground.web.views.errors.server_error"
