"""Persistence: the home, device state and event history in SQLite (default) or PostgreSQL.

:class:`SqlStore` implements the hub's :class:`~jipsa.hub.ports.Store` port; :mod:`.schema` holds the
one schema both databases share and :mod:`.migrations` creates and upgrades it.
"""

from jipsa.store.schema import SCHEMA_VERSION
from jipsa.store.sql import SqlStore

__all__ = ["SCHEMA_VERSION", "SqlStore"]
