from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from commonground.core.errors import ApplicationError
from commonground.interests.models import Interest, InterestAlias, InterestStatus, MemberInterest
from commonground.interests.services import interest_approve, interest_merge


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

    def save_model(self, request: HttpRequest, obj: Interest, form: Any, change: bool) -> None:
        # Choosing "merged into" in the form is a merge: members move, the name becomes an alias.
        target = obj.merged_into
        if change and target is not None and "merged_into" in form.changed_data:
            obj.merged_into = None
            super().save_model(request, obj, form, change)
            try:
                interest_merge(source=obj, target=target)
            except ApplicationError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, f"Merged “{obj.name}” into “{target.name}”.")
            return
        super().save_model(request, obj, form, change)

    @admin.action(description="Approve selected community-added interests")
    def approve(self, request: HttpRequest, queryset: QuerySet[Interest]) -> None:
        for interest in queryset.filter(status=InterestStatus.PENDING):
            interest_approve(interest=interest)
        messages.success(request, "Approved.")


@admin.register(MemberInterest)
class MemberInterestAdmin(admin.ModelAdmin):
    list_display = ("user", "interest", "kind", "intensity")
    raw_id_fields = ("user", "interest")
