"""Virtual appliances: a believable simulated home for demos, tests and the embedded default.

:class:`VirtualHome` is the pure, synchronous simulation; :class:`VirtualAdapter` serves it to the hub
as a ``DeviceLink`` (entry point ``virtual`` in the ``jipsa.adapters`` group).
"""

from jipsa.adapters.virtual.adapter import VirtualAdapter
from jipsa.adapters.virtual.environment import Ambient
from jipsa.adapters.virtual.simulation import VirtualHome

__all__ = ["Ambient", "VirtualAdapter", "VirtualHome"]
