"""The admin: staff only (Django's admin refuses everyone else). Superusers and staff given
the opportunity permissions see every opportunity, for moderation; a staff member without
them sees none. Member pages apply the visibility rule to staff like to anyone."""

from django.contrib import admin

from commonground.opportunities.models import (
    InterestExpression,
    OpenToSignal,
    Opportunity,
    Referral,
    ReferralRequest,
)


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = ("title", "public_id", "kind", "status", "audience", "expires_at", "created_at")
    list_filter = ("status", "kind", "audience")
    search_fields = ("title", "organization", "public_id")
    raw_id_fields = ("poster", "audience_members")
    filter_horizontal = ("skills", "interests", "audience_groups")


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ("public_id", "opportunity", "status", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("opportunity", "referrer", "candidate")


@admin.register(ReferralRequest)
class ReferralRequestAdmin(admin.ModelAdmin):
    list_display = ("public_id", "opportunity", "status", "created_at")
    raw_id_fields = ("opportunity", "requester", "asked")


@admin.register(InterestExpression)
class InterestExpressionAdmin(admin.ModelAdmin):
    list_display = ("opportunity", "member", "created_at")
    raw_id_fields = ("opportunity", "member")


@admin.register(OpenToSignal)
class OpenToSignalAdmin(admin.ModelAdmin):
    list_display = ("user", "audience", "updated_at")
    raw_id_fields = ("user", "audience_members")
