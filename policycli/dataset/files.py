"""Where a dataset lives and how its bytes are read: the shipped data/, --data, $POLICY_DATA."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..errors import DataError, os_reason

ENV_VAR = "POLICY_DATA"


def shipped_file(name: str) -> Path:
    """A file of data/ shipped inside the package, or the repository's data/ when run from source."""
    from importlib.resources import files

    packaged = Path(str(files("policycli").joinpath("data", name)))
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "data" / name


def default_data_path() -> Path:
    return shipped_file("policies.yaml")


def resolve_data_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--data wins over $POLICY_DATA, which wins over the shipped dataset."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    return default_data_path()


def read_bytes(path: Path, what: str = "数据文件") -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise DataError([f"{path}: 数据文件不存在，请检查 --data 或 {ENV_VAR} 指定的路径"]) from None
    except IsADirectoryError:
        raise DataError([f"{path}: 这是一个目录，不是数据文件，请指定 .yaml 文件"]) from None
    except OSError as exc:
        raise DataError([f"{path}: 无法读取{what}（{os_reason(exc)}），请检查文件权限"]) from None


def digest_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()
