"""Input checks shared by forms, the API and the CLI."""

from __future__ import annotations

import re

from commonground.core.errors import ValidationFailed


def clean_text(value: str | None, *, field: str, max_length: int, required: bool = False) -> str:
    """Strip, reject NUL and other control characters, enforce a length."""
    text = (value or "").strip()
    if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in text):
        raise ValidationFailed("Control characters are not allowed.", field=field)
    if required and not text:
        raise ValidationFailed("This field is required.", field=field)
    if len(text) > max_length:
        raise ValidationFailed(
            f"Use at most {max_length} characters (you used {len(text)}).", field=field
        )
    return text


# Public ids are secrets.token_urlsafe. Ids from URLs and forms are checked before any query:
# anything else is no such thing, and PostgreSQL refuses a NUL byte with an error where the
# answer must be a plain 404.
_PUBLIC_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")


def is_public_id(value: str | None) -> bool:
    return bool(_PUBLIC_ID.fullmatch(value or ""))
