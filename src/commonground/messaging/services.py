"""Messaging services.

Contract used by other apps (the messaging helper implements it):

    conversation_open(members=[a, b, c], origin="introduction", subject="…") -> Conversation

opens (or returns the existing) conversation among exactly these members, for callers that
have already decided the members may talk (an accepted introduction). Returns its public id.
"""

from __future__ import annotations

from commonground.accounts.models import User


def conversation_open(*, members: list[User], origin: str, subject: str = "") -> str:
    """Placeholder until the messaging app lands."""
    raise NotImplementedError
