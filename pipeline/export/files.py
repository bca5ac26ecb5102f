"""Atomic file writes: a temporary file in the target folder, then a rename, with the mode the umask gives."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_STATUS = Path("/proc/self/status")


def current_umask() -> int:
    """The process umask, read without changing it where the system allows (Linux's ``/proc``).

    Elsewhere it is set and restored at once (``os.umask`` has no read-only form before Python 3.14).
    """
    try:
        for line in _STATUS.read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def atomic_write_text(path: Path, text: str, sync: bool = True) -> Path:
    """Write ``text`` to ``path`` so that readers see the old file or the whole new one.

    The file gets the mode a plain ``open`` would give (``0o666`` less the umask), not
    ``mkstemp``'s private ``0o600``, so a teammate or a database service can read it.

    Args:
        sync: fsync the file before the rename. A batch passes False for its many
            documents (a sync per file cost as much as extracting it) and syncs once
            at its end; a resumed run validates every document it keeps.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            os.fchmod(handle.fileno(), 0o666 & ~current_umask())
            handle.write(text)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path

