from django.contrib import admin

from commonground.profiles.models import Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("display_name", "user", "profession", "industry", "city", "onboarding_step")
    list_filter = ("reach", "industry", "onboarding_step")
    search_fields = ("display_name", "user__email", "profession", "organization", "city")
    raw_id_fields = ("user",)
    readonly_fields = ("city_key", "region_key", "country_key", "profession_key")
