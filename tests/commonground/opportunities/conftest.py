from __future__ import annotations

from typing import Any

import pytest

from commonground.notifications import services as notification_services


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every notification the app sends, recorded (and still passed to the real notify)."""
    calls: list[dict[str, Any]] = []
    real = notification_services.notify

    def recording(**kwargs: Any) -> None:
        calls.append({**kwargs, "recipient": kwargs["recipient"].pk})
        real(**kwargs)

    monkeypatch.setattr(notification_services, "notify", recording)
    return calls
