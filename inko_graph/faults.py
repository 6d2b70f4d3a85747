"""Named points where tests inject faults into a real process: a SIGKILL or a full disk.

``INKO_TEST_KILL_AT=<point>`` kills the process at that point (as a power cut would);
``INKO_TEST_FAIL_AT=<point>`` raises ``OSError(ENOSPC)`` there (as a full disk would).
Both are read from the environment at each point, so they cost one dictionary look-up.
"""

from __future__ import annotations

import errno
import os
import signal

__all__ = ["point"]


def point(name: str) -> None:
    """Mark a point in a write path; see the module's description."""
    if os.environ.get("INKO_TEST_KILL_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
    if os.environ.get("INKO_TEST_FAIL_AT") == name:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
