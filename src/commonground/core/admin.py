"""Admin pieces shared by the apps."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest


class PrivateTextAdmin(admin.ModelAdmin):
    """Leaves out what members wrote to each other (the fields named in `private`) for staff
    who are not superusers: in forms and in the change list."""

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
