"""Files written whole or not at all, and never over a file nobody agreed to replace.

The data goes to a temporary file beside the target, flushed to disk, which then takes the target's
name: by rename when replacing is agreed (the old file stays whole whatever fails before), by a hard
link otherwise (which fails when the name exists, so a file that appeared meanwhile is kept)."""
from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def write_whole(target: Path, data: bytes, *, replace: bool) -> None:
    """Write `data` to `target`. Raises FileExistsError when `target` exists and `replace` is false,
    OSError when the file cannot be written; in both cases nothing is left behind."""
    folder = target.parent if str(target.parent) else Path(".")
    if replace and os.path.lexists(target):
        mode = stat.S_IMODE(os.stat(target).st_mode)
    else:
        mode = 0o666 & ~_umask()
    fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, mode)
        if replace:
            os.replace(temp, target)
        else:
            _link_new(temp, target)
    finally:
        if os.path.lexists(temp):
            os.unlink(temp)


def can_create_in(folder: Path) -> bool:
    """Whether a file can be created in `folder`, found by creating (and removing) the temporary
    file `write_whole` would: permission bits do not tell (root passes them; a read-only mount or
    an immutable folder refuses everyone)."""
    try:
        fd, temp = tempfile.mkstemp(dir=folder if str(folder) else ".", prefix=".policycli-", suffix=".tmp")
    except OSError:
        return False
    os.close(fd)
    os.unlink(temp)
    return True


def _link_new(temp: str, target: Path) -> None:
    """Give `temp` the name `target` only if no file has it; where hard links are not supported,
    copy into a file created exclusively (removed again if the copy fails)."""
    try:
        os.link(temp, target)
        return
    except FileExistsError:
        raise
    except OSError:
        pass
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as out, open(temp, "rb") as src:
            out.write(src.read())
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        os.unlink(target)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
