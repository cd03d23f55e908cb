from typing import Any

from django.contrib import admin
from django.http import HttpRequest

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


class PrivateTextAdmin(admin.ModelAdmin):
    """Leaves out what members wrote (posts of private and secret groups are for their
    members) for staff who are not superusers: in forms and in the change list."""

    private: tuple[str, ...] = ()

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        excluded = list(super().get_exclude(request, obj) or [])
        if not request.user.is_superuser:
            excluded += list(self.private)
        return excluded

    def get_list_display(self, request: HttpRequest) -> Any:
        shown = super().get_list_display(request)
        if request.user.is_superuser:
            return shown
        return [f for f in shown if f not in self.private]


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
