from django.contrib import admin

from commonground.suggestions.models import Dismissal, Suggestion


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ("user", "rank", "candidate", "score", "computed_at")
    raw_id_fields = ("user", "candidate")


@admin.register(Dismissal)
class DismissalAdmin(admin.ModelAdmin):
    list_display = ("user", "candidate", "created_at")
    raw_id_fields = ("user", "candidate")
