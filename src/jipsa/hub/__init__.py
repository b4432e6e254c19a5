"""The running home: registry, state, command dispatch, the event bus and the ports it needs."""

from jipsa.hub.bus import EventBus, Subscription
from jipsa.hub.hub import CommandOutcome, Hub
from jipsa.hub.ports import DeviceLink, ReportSink, Store

__all__ = ["CommandOutcome", "DeviceLink", "EventBus", "Hub", "ReportSink", "Store", "Subscription"]
