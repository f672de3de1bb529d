# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared checks of the ccsim Python tests."""
import threading
import time

import pytest


def _ticks_while(work):
    """Run work() on a thread; count how often this thread wakes meanwhile,
    and how long work took (seconds)."""
    t = threading.Thread(target=work)
    ticks = 0
    t0 = time.monotonic()
    t.start()
    while t.is_alive():
        ticks += 1
        time.sleep(0.002)
    t.join()
    return ticks, time.monotonic() - t0


@pytest.fixture
def gil_released():
    """assert_free(make_work): make_work(scale) returns a callable whose work
    grows with scale. The scale grows until the call lasts half a second, so
    the check does not depend on how fast the machine or ccsim is; then
    another Python thread must have run often meanwhile. Holding the GIL for
    the whole call would let it run at most a couple of times (before the
    call and after), whatever its length."""
    def assert_free(make_work, scale=1, max_scale=4096):
        while True:
            ticks, took = _ticks_while(make_work(scale))
            if took >= 0.5 or scale >= max_scale:
                break
            scale *= 4
        assert took >= 0.5, "the work never lasted half a second (%.3f s)" % took
        assert ticks >= 10, "another thread woke %d times in %.2f s" % (ticks, took)
    return assert_free
