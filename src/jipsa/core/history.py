"""What the assistant was asked and what it did: one record per request, for ``jipsa history``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

OUTCOMES = ("done", "partial", "failed", "answered", "asked", "refused", "scheduled", "not_understood",
            "nothing")
"""How a request ended: all done; some done; none done; a question answered; a question asked back
(which device, or a confirmation); a sensitive action declined or expired; set for later; not
understood; nothing to change."""


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """One request to the assistant and its outcome."""

    at: datetime
    """When it was made (aware)."""
    text: str
    """What was said."""
    reply: str
    """What the assistant replied."""
    outcome: str
    """One of :data:`OUTCOMES`."""
    conversation_id: str | None = None
    """The conversation it belongs to."""
    user: str | None = None
    """Who asked, where known."""
    source: str = "voice"
    """``voice`` (said or typed), ``cli``, ``web`` (the dashboard), ``api`` (a program), ``schedule`` (a
    schedule firing) or ``routine``."""
    frames: tuple[Mapping[str, Any], ...] = ()
    """What was understood (``Frame.to_dict()``)."""
    commands: tuple[Mapping[str, Any], ...] = ()
    """What was sent: ``{"device_id", "command", "args", "error"}`` each, ``error`` null when done."""
    id: int | None = None
    """Its id once stored."""
