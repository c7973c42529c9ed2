"""Where a dataset lives and how its bytes are read: the shipped data/, --data, $POLICY_DATA."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..errors import DataError, named, os_reason

ENV_VAR = "POLICY_DATA"
MAX_BYTES = 64 * 1024 * 1024  # a dataset or a profile larger than this is refused unread (10,000 policies: ~17 MiB)


def shipped_file(name: str) -> Path:
    """A file of data/ shipped inside the package, or the repository's data/ when run from source.
    (The package is a folder: its path is known without importlib.resources, which costs a
    library's run some milliseconds to import.)"""
    here = Path(__file__).resolve().parents[1]  # policycli/
    packaged = here / "data" / name
    if packaged.is_file():
        return packaged
    return here.parent / "data" / name


def relative_settings(names: tuple[str, ...], what: str, example: Path) -> list[str]:
    """One line for each environment variable of `names` set to a relative path, which is ignored
    (it would mean a different folder wherever the command runs); `what` names the folder."""
    return [f"环境变量 {name} 的值“{value}”不是绝对路径，已忽略；{what}须写成绝对路径，如 {example}"
            for name in names if (value := os.environ.get(name)) and not os.path.isabs(value)]


def default_data_path() -> Path:
    return shipped_file("policies.yaml")


def resolve_data_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--data wins over $POLICY_DATA, which wins over the shipped dataset; an empty one is an error
    (not a silent fall-back to the shipped data)."""
    if explicit is not None:
        if not str(explicit).strip():
            raise DataError(["数据文件路径为空，请给出 .yaml 文件的路径；省略则使用随包数据"])
        return Path(explicit)
    env = os.environ.get(ENV_VAR)
    if env is not None:
        if not env.strip():
            raise DataError([f"环境变量 {ENV_VAR} 为空，请设为数据文件路径，或用 unset {ENV_VAR} 使用随包数据"])
        return Path(env)
    return default_data_path()


GIVEN = "命令中给出的文件路径"  # where a path came from when it is a command's argument, not --data


def read_bytes(path: Path, what: str = "数据文件", wanted: str = " .yaml 文件", where: str | None = None) -> bytes:
    """The bytes of a regular file of at most MAX_BYTES; anything else refused without blocking
    (a FIFO or a device is never read, so neither can hang or fill memory). `where` says where the
    path came from, for a file that does not exist (by default --data or $POLICY_DATA)."""
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        if where is None:
            where = f" {named('data', '数据文件')} 或 {ENV_VAR} 指定的路径" if what == "数据文件" else "路径"
        raise DataError([f"{path}: {what}不存在，请检查{where}"]) from None
    except IsADirectoryError:
        raise DataError([f"{path}: 这是一个目录，不是{what}，请指定{wanted}"]) from None
    except OSError as exc:
        raise DataError([f"{path}: 无法读取{what}（{os_reason(exc)}），请检查文件权限"]) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise DataError([f"{path}: 这是一个目录，不是{what}，请指定{wanted}"])
        if not stat.S_ISREG(mode):
            raise DataError([f"{path}: 不是普通文件（是管道、设备或套接字），不能作为{what}读取，请指定{wanted}"])
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise DataError([f"{path}: 无法读取{what}（{os_reason(exc)}），请检查文件权限"]) from None
    finally:
        os.close(fd)
    if len(raw) > MAX_BYTES:
        raise DataError([f"{path}: {what}超过 {MAX_BYTES // (1024 * 1024)} MiB，太大，不能读取；请检查是否选错了文件"])
    return raw


def digest_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()
