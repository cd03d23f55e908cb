from django.contrib import admin

from commonground.events.models import Event, Rsvp, Series


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("title", "starts_at", "tz_name", "status", "capacity", "seats_taken")
    search_fields = ("title",)
    raw_id_fields = ("group", "creator", "series", "topics")


@admin.register(Rsvp)
class RsvpAdmin(admin.ModelAdmin):
    list_display = ("event", "user", "state", "checked_in_at")
    raw_id_fields = ("event", "user")


admin.site.register(Series)
