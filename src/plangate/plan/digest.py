"""The sha256 of an input, taken on the other core while the document is decoded.

hashlib releases the interpreter lock for large buffers, and msgspec holds it while it
decodes, so hashing a 240 MB plan beside its decoding hides the 0.2 s the hash takes.
"""

from __future__ import annotations

import hashlib
import threading

_IN_LINE_BELOW = 1 << 20
"""Inputs smaller than this are hashed at once: a thread would cost more than it saves."""


class Sha256InBackground:
    """Starts hashing `data` on creation; `hexdigest()` waits for it."""

    def __init__(self, data: bytes) -> None:
        self._hash = hashlib.sha256()
        if len(data) < _IN_LINE_BELOW:
            self._hash.update(data)
            self._thread: threading.Thread | None = None
        else:
            self._thread = threading.Thread(target=self._hash.update, args=(data,), daemon=True)
            self._thread.start()

    def hexdigest(self) -> str:
        if self._thread is not None:
            self._thread.join()
        return self._hash.hexdigest()
