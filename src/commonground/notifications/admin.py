from django.contrib import admin

from commonground.notifications.models import Digest, Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    # Delivery facts only: the text may quote a private message, so it stays out of lists.
    list_display = ("kind", "recipient", "created_at", "read_at", "delivery", "emailed_at")
    list_filter = ("kind", "delivery")
    fields = ("kind", "recipient", "actor", "created_at", "read_at", "delivery", "emailed_at")
    readonly_fields = fields
    raw_id_fields = ("recipient", "actor")


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "in_app", "email", "updated_at")
    list_filter = ("kind", "email")
    raw_id_fields = ("user",)


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ("recipient", "period", "created_at", "attempted_at", "sent_at")
    list_filter = ("period",)
    raw_id_fields = ("recipient",)
