from django.contrib import admin

from commonground.asks.models import Answer, Ask, AskRouting


@admin.register(Ask)
class AskAdmin(admin.ModelAdmin):
    list_display = ("title", "public_id", "kind", "topic", "audience", "status", "created_at")
    list_filter = ("kind", "topic", "audience", "status")
    raw_id_fields = ("author", "group")
    filter_horizontal = ("interests",)


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ("public_id", "ask", "author", "helpful", "created_at")
    list_filter = ("helpful",)
    raw_id_fields = ("ask", "author")


@admin.register(AskRouting)
class AskRoutingAdmin(admin.ModelAdmin):
    list_display = ("ask", "member", "score", "reason", "notified_at")
    raw_id_fields = ("ask", "member")
