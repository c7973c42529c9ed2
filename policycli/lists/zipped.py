"""The parts of a zipped document (.docx, .xlsx), checked from the sizes the archive declares
before anything is inflated: a small file that would inflate to gigabytes (a zip bomb, in the
document or in a picture) is refused unread."""
from __future__ import annotations

import io
import zipfile

from ..errors import DataError

MAX_INFLATED = 256 * 1024 * 1024  # all parts together
MAX_PART = 128 * 1024 * 1024  # any one part
MAX_RATIO = 200  # inflated size to compressed size of a part larger than 1 MiB
MAX_PARTS = 10_000


def members(raw: bytes, source: str, kind: str = ".docx 或 .xlsx") -> set[str]:
    """The names of the archive's parts; `DataError` when it is damaged or too large inflated."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(raw)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise DataError(f"{source}: 不是有效的 {kind} 文件（压缩包已损坏：{type(exc).__name__}），请重新另存后再导入") from None
    total = sum(i.file_size for i in infos)
    bomb = next((i for i in infos if i.file_size > MAX_PART
                 or (i.file_size > 1024 * 1024 and i.file_size > MAX_RATIO * max(i.compress_size, 1))), None)
    if len(infos) > MAX_PARTS or total > MAX_INFLATED or bomb is not None:
        what = f"其中 {bomb.filename} " if bomb is not None else ""
        raise DataError(f"{source}: 文件解压后{what}过大（声明 {total // (1024 * 1024)} MiB），不像正常的清单，未读取；请检查文件来源")
    return {i.filename for i in infos}
