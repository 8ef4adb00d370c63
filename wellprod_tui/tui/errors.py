"""No view may kill the app: an exception in a screen, widget or worker is logged with its traceback and shown.

Textual exits on any exception a message handler raises, and it has no public hook to change that. Two private
points are used, both kept here so that a Textual upgrade is checked in one place (tests/tui cover them):
``MessagePump._dispatch_message`` (wrapped by ``ErrorsShown`` and by the App, so that the failing node keeps
processing its messages) and ``App._handle_exception`` (what is left: rendering, layout, compose).
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from textual.app import App

log = logging.getLogger(__name__)
#: The same error is shown again only after this many seconds (a failing render repeats on every frame).
REPEAT_AFTER_S = 10.0
_last_shown: dict[str, float] = {}


def report_error(app: App[Any], error: BaseException, where: str) -> None:
    """Log ``error`` with its traceback, keep it in ``app.errors_reported`` (tests read it) and show it as a
    notification; the app carries on."""
    log.error("%s failed", where, exc_info=error)
    reported = getattr(app, "errors_reported", None)
    if isinstance(reported, list):
        reported.append((where, error))
    text = f"{type(error).__name__}: {error}"
    now = time.monotonic()
    if now - _last_shown.get(text, -REPEAT_AFTER_S) < REPEAT_AFTER_S:
        return
    _last_shown[text] = now
    try:
        app.notify(
            f"{text}\n(details in wellprod.log)", title=f"{where} failed", severity="error", timeout=10, markup=False
        )
    except Exception:  # the app is shutting down: the log has it
        log.debug("could not show the error", exc_info=True)


def report_handler_error(node: Any, message: Message, error: Exception) -> None:
    """Report an exception raised by ``node``'s handler of ``message`` (the node keeps processing messages)."""
    report_error(node.app, error, f"{type(node).__name__} ({message.handler_name})")


class ErrorsShown:
    """Mixin for screens and widgets: an exception in one of its handlers is reported, not fatal (the App
    does the same in its own ``_dispatch_message``)."""

    async def _dispatch_message(self, message: Message) -> None:
        try:
            await super()._dispatch_message(message)  # type: ignore[misc]
        except Exception as error:
            report_handler_error(self, message, error)
