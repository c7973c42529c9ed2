"""Errors the core raises; the CLI maps each kind to a message and an exit code."""
from __future__ import annotations


class PolicyError(Exception):
    """Base class: `lines` are shown to the user, one per line, on stderr."""

    exit_code = 2

    def __init__(self, lines: list[str] | str):
        self.lines = [lines] if isinstance(lines, str) else list(lines)
        super().__init__("\n".join(self.lines))


class DataError(PolicyError):
    """The dataset is missing, unreadable or invalid (exit 2)."""


class InputError(PolicyError):
    """A value the user gave is not usable (exit 2)."""


class NotFound(PolicyError):
    """Nothing matched what the user asked for (exit 1)."""

    exit_code = 1


_OS_REASONS = {
    "ENOENT": "路径不存在",
    "EACCES": "没有权限",
    "EPERM": "没有权限",
    "EROFS": "只读文件系统",
    "ENOSPC": "磁盘空间不足",
    "EDQUOT": "超出磁盘配额",
    "EISDIR": "这是一个目录",
    "ENOTDIR": "路径中有一部分不是目录",
    "ENAMETOOLONG": "文件名太长",
    "EBUSY": "文件正被占用",
    "EADDRINUSE": "端口已被占用",
    "EADDRNOTAVAIL": "本机没有这个地址",
}


def os_reason(exc: OSError) -> str:
    """Why the system refused, in Chinese (the system's own text is English)."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    return _OS_REASONS.get(name, f"系统错误 {name or exc.errno}")
