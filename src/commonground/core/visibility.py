"""Who may see a member's field: one rule, used by every channel."""

from __future__ import annotations

from django.db import models


class Visibility(models.TextChoices):
    EVERYONE = "everyone", "Everyone, including visitors"
    MEMBERS = "members", "Members of this community"
    CONNECTIONS = "connections", "My connections"
    ONLY_ME = "only_me", "Only me"


def levels_visible_to(*, is_owner: bool, is_member: bool, is_connection: bool) -> set[str]:
    """The visibility levels a viewer with these relations to the owner may see."""
    if is_owner:
        return {v.value for v in Visibility}
    levels = {Visibility.EVERYONE.value}
    if is_member:
        levels.add(Visibility.MEMBERS.value)
    if is_connection:
        levels.add(Visibility.CONNECTIONS.value)
    return levels
