"""The web dashboard: static HTML, CSS and JavaScript modules served by the API process."""

from __future__ import annotations

from pathlib import Path

STATIC_DIR: Path = Path(__file__).resolve().with_name("static")
"""The folder of the dashboard's files: ``index.html`` at ``/``, the rest at ``/static/<file>``."""
