from django.contrib import admin

from commonground.groups.models import Group, Membership


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "scope", "visibility", "member_count", "created_at")
    list_filter = ("visibility", "scope")
    raw_id_fields = ("created_by",)
    filter_horizontal = ("interests",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("group", "user", "role", "state", "created_at")
    list_filter = ("role", "state")
    raw_id_fields = ("group", "user", "invited_by")
