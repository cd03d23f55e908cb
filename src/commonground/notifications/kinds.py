"""Every kind of notification, with the label shown in preferences.

Apps add their kinds here (one line each); `notify` refuses an unknown kind.
"""

from __future__ import annotations

KINDS: dict[str, str] = {
    "network.connection_request": "Someone asks to connect",
    "network.connection_accepted": "Your connection request is accepted",
    "network.introduction": "Someone introduces you",
    "network.introduction_outcome": "An introduction you made is answered",
    "network.reminder": "Keep-in-touch and thank-you reminders",
    "network.article": "Articles shared with you",
    "messaging.message": "New messages",
    "groups.join_request": "Requests to join a group you organize",
    "groups.invitation": "Invitations to groups",
    "groups.announcement": "Announcements of new groups that match you",
    "groups.reply": "Comments on your posts",
    "events.rsvp": "Your place at an event changes (waitlist, approval)",
    "events.update": "Events you are going to change or are cancelled",
    "asks.routed": "Asks you could help with",
    "asks.answer": "Answers to your asks",
    "asks.helpful": "An asker marks your answer as helpful",
    "opportunities.match": "Opportunities that fit you",
    "opportunities.referral": "Referrals and their status",
}
