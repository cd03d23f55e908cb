from django.contrib import admin

from commonground.core.admin import PrivateTextAdmin
from commonground.groups.models import (
    Announcement,
    Comment,
    Group,
    Membership,
    Post,
    UnmetNiche,
)


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


@admin.register(Post)
class PostAdmin(PrivateTextAdmin):
    private = ("title", "body", "link_url")
    list_display = ("public_id", "group", "author", "title", "pinned", "locked", "removed_at")
    list_filter = ("pinned", "locked")
    raw_id_fields = ("group", "author")
    filter_horizontal = ("hashtags",)


@admin.register(Comment)
class CommentAdmin(PrivateTextAdmin):
    private = ("body",)
    list_display = ("public_id", "post", "author", "created_at", "removed_at")
    raw_id_fields = ("post", "author")


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ("group", "organizer", "reached", "created_at", "sent_at")
    raw_id_fields = ("group", "organizer")


@admin.register(UnmetNiche)
class UnmetNicheAdmin(admin.ModelAdmin):
    list_display = ("level", "place", "interest_a", "interest_b", "interest_c", "member_count")
    list_filter = ("level",)
    raw_id_fields = ("interest_a", "interest_b", "interest_c")
