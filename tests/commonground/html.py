"""Helpers for looking at rendered pages in view tests."""

from __future__ import annotations

import re

from django.http import HttpResponse
from django.utils.html import escape

_CSRF = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')


def page_text(response: HttpResponse) -> str:
    return response.content.decode()


def without_csrf(response: HttpResponse) -> str:
    """The page with its per-render CSRF tokens blanked, to compare two pages byte for byte."""
    return _CSRF.sub(r"\1", page_text(response))


def shows(response: HttpResponse, text: str) -> bool:
    """Whether the page shows this text, as Django's auto-escaping renders it."""
    return escape(text) in page_text(response)
