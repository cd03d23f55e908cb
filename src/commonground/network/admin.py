from django.contrib import admin

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
