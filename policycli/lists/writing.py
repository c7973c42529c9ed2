"""A file written whole or not at all: the text goes to a temporary file beside the target, which
then takes the target's name, by rename when overwriting is allowed, by a hard link (which fails
when the name exists) when it is not."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import DataError, InputError, os_reason


def write_file(path: str | Path, text: str, *, force: bool = False) -> None:
    target = Path(path)
    if target.is_dir():
        raise InputError(f"{target}: 这是一个目录，请给出要写入的文件名，如 -o 草稿.yaml")
    if target.exists() and not force:
        raise InputError(f"{target}: 文件已存在，未覆盖；加 --force 覆盖，或用 -o 换一个文件名")
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise DataError(f"{target}: 无法写入（{os_reason(exc)}），请检查目录是否存在、是否有写权限") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o666 & ~_umask())
        if force:
            os.replace(temp, target)
        else:
            _link_new(temp, target)
    except FileExistsError:
        raise InputError(f"{target}: 文件已存在，未覆盖；加 --force 覆盖，或用 -o 换一个文件名") from None
    except OSError as exc:
        raise DataError(f"{target}: 无法写入（{os_reason(exc)}），请检查磁盘空间和写权限") from None
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


def _link_new(temp: str, target: Path) -> None:
    """Give `temp` the name `target` only if no file has it; where hard links are not supported,
    copy into a file created exclusively."""
    try:
        os.link(temp, target)
    except FileExistsError:
        raise
    except OSError:
        with open(target, "x", encoding="utf-8", newline="\n") as out, open(temp, encoding="utf-8") as src:
            out.write(src.read())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
