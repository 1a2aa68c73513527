"""An asyncio event loop for a sandbox with no sockets, pipes or threads.

CPython's default loop opens a socket pair to wake itself from other threads, which the
sandbox refuses, so ``asyncio.run`` failed before running anything. This loop is the
standard selector loop with that pipe removed and a selector that watches nothing:
waiting for the next timer is a sleep. Coroutines, tasks, ``gather``, timeouts, queues
and locks behave as usual; adding a reader or writer raises (there is no I/O to wait on),
and a loop left with nothing that could ever wake it raises instead of hanging.
"""

import asyncio
import selectors
import time
from asyncio import unix_events


class NoIOSelector(selectors.BaseSelector):
    """A selector that watches no file descriptors."""

    def __init__(self):
        self._keys = {}

    def register(self, fileobj, events, data=None):
        raise OSError("the sandbox has no sockets or pipes for an event loop to watch")

    def unregister(self, fileobj):
        raise KeyError(fileobj)

    def select(self, timeout=None):
        if timeout is None:
            raise RuntimeError(
                "the event loop is waiting for something that can never happen here "
                "(no sockets, pipes, threads or subprocesses in the sandbox)"
            )
        if timeout > 0:
            time.sleep(timeout)
        return []

    def close(self):
        self._keys.clear()

    def get_map(self):
        return self._keys


class SandboxEventLoop(unix_events._UnixSelectorEventLoop):
    """The default loop of the sandbox (``asyncio.run``, ``asyncio.new_event_loop``)."""

    def __init__(self, selector=None):
        super().__init__(selector or NoIOSelector())

    def _make_self_pipe(self):
        self._ssock = self._csock = None

    def _close_self_pipe(self):
        pass

    def _write_to_self(self):
        pass  # single-threaded: nothing sleeps in select while someone else schedules work


def install():
    """Makes SandboxEventLoop what asyncio creates by default."""
    unix_events._UnixDefaultEventLoopPolicy._loop_factory = SandboxEventLoop
    unix_events.SelectorEventLoop = SandboxEventLoop
    asyncio.SelectorEventLoop = SandboxEventLoop
    if hasattr(asyncio, "EventLoop"):
        asyncio.EventLoop = SandboxEventLoop
        unix_events.EventLoop = SandboxEventLoop
