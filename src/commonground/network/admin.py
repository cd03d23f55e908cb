from django.contrib import admin

from commonground.network.models import Connection


@admin.register(Connection)
class ConnectionAdmin(admin.ModelAdmin):
    list_display = ("user_low", "user_high", "created_at")
    raw_id_fields = ("user_low", "user_high")
