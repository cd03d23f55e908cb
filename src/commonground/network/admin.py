from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from commonground.network.models import Connection, Introduction, IntroductionParticipant


@admin.register(Connection)
class ConnectionAdmin(admin.ModelAdmin):
    list_display = ("user_low", "user_high", "created_at")
    raw_id_fields = ("user_low", "user_high")


class IntroductionParticipantInline(admin.TabularInline):
    model = IntroductionParticipant
    raw_id_fields = ("user",)
    extra = 0


# Notes, keep-in-touch and thank-you reminders are private to their owner: not in the admin.
@admin.register(Introduction)
class IntroductionAdmin(admin.ModelAdmin):
    list_display = ("public_id", "introducer", "state", "created_at", "expires_at")
    list_filter = ("state",)
    raw_id_fields = ("introducer",)
    readonly_fields = ("public_id", "participant_key", "conversation_id")
    inlines = (IntroductionParticipantInline,)

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        # The reason is written for the people introduced: superusers only, not all staff.
        excluded = list(super().get_exclude(request, obj) or [])
        if not request.user.is_superuser:
            excluded.append("reason")
        return excluded
