"""Keys are never lost: typed before the database is open, or in a burst, they are applied one by one, in order.

Textual hands each key to the widget focused when the key arrives, so in a burst (keys arrive in bursts over
SSH) the keys after one that moves the focus or switches the screen go to the old widget. Here a key is let
through only once the previous one has settled: every message its handling queued on the screen's focus chain
and the app has been processed (the same test Textual's pilot uses to wait for a screen).
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import TYPE_CHECKING, Any

from textual import events

if TYPE_CHECKING:
    from textual.app import App
    from textual.message_pump import MessagePump

#: Keys that act even while the database opens (quit).
PASS_WHILE_CLOSED = frozenset({"ctrl+q", "ctrl+c"})


class KeyQueue:
    """Holds keys while the app is not ready and releases them one at a time."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.ready = False
        self._held: deque[events.Key] = deque()
        self._settling = False
        self._released: set[int] = set()

    def take(self, event: events.Key) -> bool:
        """Whether the key is held for later (True) or should be handled now (False)."""
        if id(event) in self._released:
            self._released.discard(id(event))
            self._settle()
            return False
        if not self.ready and event.key in PASS_WHILE_CLOSED:
            return False
        if not self.ready or self._settling or self._held:
            self._held.append(event)
            return True
        self._settle()
        return False

    def open(self) -> None:
        """The app is ready: apply the keys held so far."""
        self.ready = True
        if not self._settling:
            self._release_next()

    def _settle(self) -> None:
        self._settling = True
        asyncio.get_running_loop().create_task(self._wait_then_release())

    async def _wait_then_release(self) -> None:
        try:
            for done in range(8):  # a key's messages hop up the focus chain one pump per round
                if not await self._round() and done:
                    break  # nothing was left to hop: settled (a burst of keys goes through quickly)
        finally:
            self._settling = False
            self._release_next()

    async def _round(self) -> bool:
        """Let every pump of the focus chain handle what it holds; whether any held anything."""
        app = self.app
        try:
            screen = app.screen
            focused = screen.focused
        except Exception:  # no screen yet
            return True
        nodes: list[MessagePump] = [app, screen]
        node = focused
        while node is not None and node is not screen:
            nodes.append(node)
            node = node.parent  # type: ignore[assignment]
        busy = any(node.message_queue_size for node in nodes)
        done = [asyncio.Event() for _ in nodes]
        waiting = [event for pump, event in zip(nodes, done, strict=True) if pump.call_later(event.set)]
        if waiting:
            await asyncio.wait([asyncio.create_task(e.wait()) for e in waiting], timeout=2.0)
        return busy

    def _release_next(self) -> None:
        if not self.ready or not self._held:
            return
        event = self._held.popleft()
        self._released.add(id(event))
        self.app.post_message(event)
