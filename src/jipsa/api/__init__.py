"""The HTTP edge: a JSON API (OpenAPI, RFC 9457 problems), live events over WebSocket, people and their
rights, and the web dashboard, served by the process that runs the homes (docs/api.md)."""

from jipsa.api.app import create_api
from jipsa.api.server import ApiSettings, Server

__all__ = ["ApiSettings", "Server", "create_api"]
