"""Process-level tuning done once a role has started."""

from __future__ import annotations

import gc


def freeze_startup_objects() -> None:
    """Move every object alive now out of the cyclic garbage collector's reach.

    aiogram and pydantic leave a couple of million long-lived objects behind at import; each
    full collection would walk all of them again, a pause of tens of milliseconds in the middle
    of a reply. They live as long as the process, so the collector need not look at them.
    Only the first call freezes (roles sharing a process, tests starting roles many times).
    """
    if gc.get_freeze_count():
        return
    gc.collect()
    gc.freeze()
