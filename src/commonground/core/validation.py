"""Input checks shared by forms, the API and the CLI."""

from __future__ import annotations

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
