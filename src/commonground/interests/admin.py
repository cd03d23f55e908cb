from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from commonground.interests.models import Interest, InterestAlias, InterestStatus, MemberInterest
from commonground.interests.services import interest_approve


class AliasInline(admin.TabularInline):
    model = InterestAlias
    extra = 1
    fields = ("alias", "alias_key")


@admin.register(Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "status", "member_count", "merged_into", "created_by")
    list_filter = ("status", "kind")
    search_fields = ("name", "aliases__alias")
    readonly_fields = ("member_count", "created_by", "created_at")
    raw_id_fields = ("merged_into",)
    inlines = (AliasInline,)
    actions = ("approve",)

    @admin.action(description="Approve selected community-added interests")
    def approve(self, request: HttpRequest, queryset: QuerySet[Interest]) -> None:
        for interest in queryset.filter(status=InterestStatus.PENDING):
            interest_approve(interest=interest)
        messages.success(request, "Approved.")


@admin.register(MemberInterest)
class MemberInterestAdmin(admin.ModelAdmin):
    list_display = ("user", "interest", "kind", "intensity")
    raw_id_fields = ("user", "interest")
