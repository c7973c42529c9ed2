"""Writing a draft: whole or not at all, never over an existing file unless told to (`force`;
`dataset.writing`)."""
from __future__ import annotations

import os
from pathlib import Path

from ..dataset.writing import write_whole
from ..errors import DataError, InputError, given, named, os_reason


OUTPUT = named("output", "输出文件")


def _exists(target: Path) -> InputError:
    return InputError(f"{target}: 文件已存在，未覆盖；{given('force', '覆盖')} 覆盖，或用 {OUTPUT} 换一个文件名",
                      code="file_exists", field="output", value=str(target))


def write_file(path: str | Path, text: str, *, force: bool = False) -> None:
    if not str(path).strip():
        raise InputError(f"草稿文件名是空的：请给出要写入的文件名，如 {OUTPUT} 草稿.yaml", code="no_file_name", field="output")
    target = Path(path)
    if target.is_symlink() and not target.exists():
        raise InputError(f"{target}: 是一个失效的链接（指向 {os.readlink(target)}，那里什么也没有），未写入；请用 {OUTPUT} 换一个文件名",
                         code="dangling_link", field="output", value=str(target))
    if target.is_dir():
        raise InputError(f"{target}: 这是一个目录，请给出要写入的文件名，如 {OUTPUT} 草稿.yaml", code="is_a_directory",
                         field="output", value=str(target))
    if target.exists() and not force:
        raise _exists(target)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        write_whole(target, text.encode("utf-8"), replace=force)
    except FileExistsError:
        raise _exists(target) from None
    except OSError as exc:
        folder_fine = folder.is_dir() and os.access(folder, os.W_OK)
        hint = "请检查磁盘空间和写权限" if folder_fine else "请检查目录是否存在、是否有写权限"
        raise DataError(f"{target}: 无法写入（{os_reason(exc)}），{hint}") from None
