"""The in-process event bus: the hub publishes, listeners and subscribers receive.

Publishing never blocks and never fails because of a listener: each subscriber has a bounded queue and
a subscriber that falls behind loses its oldest events (and is told how many through ``dropped``) rather
than slowing the home down.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from types import TracebackType

from jipsa.core.errors import JipsaError
from jipsa.core.messages import Event

log = logging.getLogger(__name__)

Listener = Callable[[Event], None]
"""A synchronous callback run for every event, in publish order (e.g. the store's history writer)."""


class Subscription:
    """A bounded stream of events for one consumer; use with ``async with`` and ``async for``."""

    def __init__(self, bus: EventBus, maxsize: int) -> None:
        self._bus = bus
        self._queue: asyncio.Queue[Event] = asyncio.Queue(maxsize=maxsize)
        self.dropped = 0
        """How many events were discarded because this subscriber fell behind."""

    def _offer(self, event: Event) -> None:
        if self._queue.full():
            self._queue.get_nowait()
            self.dropped += 1
        self._queue.put_nowait(event)

    async def get(self) -> Event:
        """The next event, waiting for one."""
        return await self._queue.get()

    def get_nowait(self) -> Event | None:
        """The next event if one is waiting."""
        try:
            return self._queue.get_nowait()
        except asyncio.QueueEmpty:
            return None

    def close(self) -> None:
        """Stop receiving events."""
        self._bus._unsubscribe(self)

    async def __aenter__(self) -> Subscription:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        self.close()

    def __aiter__(self) -> AsyncIterator[Event]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[Event]:
        while True:
            yield await self._queue.get()


class EventBus:
    """Fan-out of hub events to synchronous listeners and bounded async subscribers."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._subscriptions: list[Subscription] = []

    def add_listener(self, listener: Listener) -> None:
        """Call ``listener`` for every event from now on."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        """Stop calling ``listener`` (nothing happens if it was not added)."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    def subscribe(self, maxsize: int = 1000) -> Subscription:
        """A new subscription holding at most ``maxsize`` unread events."""
        if maxsize < 1:
            raise ValueError("maxsize must be at least 1")
        sub = Subscription(self, maxsize)
        self._subscriptions.append(sub)
        return sub

    def _unsubscribe(self, sub: Subscription) -> None:
        if sub in self._subscriptions:
            self._subscriptions.remove(sub)

    def publish(self, event: Event) -> None:
        """Deliver ``event`` to every listener and subscriber."""
        for listener in self._listeners:
            try:
                listener(event)
            except JipsaError:
                log.exception("event listener %r failed on %s", listener, event.type.value)
        for sub in self._subscriptions:
            sub._offer(event)
