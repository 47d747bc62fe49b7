"""A small in-memory limiter of failed attempts (wrong join codes), per key.

    limiter = RateLimiter(max_failures=5, window=300)
    if not limiter.allowed("session:abc"):
        ...  # refuse without even looking the code up
    limiter.failure("session:abc")

Keys are whatever the caller limits by: the browser session, the client address. The
clock is injectable for tests. Memory is bounded: old entries are dropped and at most
``max_keys`` keys are kept (the oldest go first). One process only: behind a load balancer
every replica counts for itself (see docs/workshop.md).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from typing import Callable


class RateLimiter:
    def __init__(self, max_failures: int, window: float, *,
                 clock: Callable[[], float] = time.monotonic, max_keys: int = 10_000):
        self.max_failures = max_failures
        self.window = window
        self._clock = clock
        self._max_keys = max_keys
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def allowed(self, key: str) -> bool:
        """Whether ``key`` may try again now (fewer than ``max_failures`` within ``window``)."""
        with self._lock:
            return len(self._recent(key)) < self.max_failures

    def failure(self, key: str) -> None:
        """Count one failed attempt for ``key``."""
        with self._lock:
            times = self._recent(key)
            times.append(self._clock())
            self._failures[key] = times
            self._failures.move_to_end(key)
            while len(self._failures) > self._max_keys:
                self._failures.popitem(last=False)

    def retry_after(self, key: str) -> float:
        """Seconds until ``key`` may try again (0 if it may now)."""
        with self._lock:
            times = self._recent(key)
            if len(times) < self.max_failures:
                return 0.0
            return max(0.0, times[-self.max_failures] + self.window - self._clock())

    def reset(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._failures.clear()

    def _recent(self, key: str) -> deque[float]:
        times = self._failures.get(key)
        if times is None:
            return deque()
        cutoff = self._clock() - self.window
        while times and times[0] <= cutoff:
            times.popleft()
        if not times:
            del self._failures[key]
        return times
