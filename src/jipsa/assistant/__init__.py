"""Dialogue: from understood frames to actions and short, correct replies."""

from jipsa.assistant.assistant import ActionResult, Assistant, Turn

__all__ = ["ActionResult", "Assistant", "Turn"]
