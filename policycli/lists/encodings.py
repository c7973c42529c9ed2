"""A text file's encoding, found from its bytes: UTF-8, UTF-16 (with or without BOM), GBK."""
from __future__ import annotations

import re

from ..errors import DataError


def decode_text(raw: bytes, source: str) -> tuple[str, str]:
    """The text and the encoding it was found in: UTF-8 (with or without BOM), UTF-16 (with BOM,
    or without one: text has no zero bytes but UTF-16 has one in every tab, line end and digit,
    on the odd bytes for little-endian), else GB18030 (which includes GBK)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    elif b"\x00" in raw and len(raw) % 2 == 0:
        candidates = ["utf-16-le" if raw[1::2].count(0) > raw[0::2].count(0) else "utf-16-be"]
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text or _binary(text):
            break
        return text, {"utf-8-sig": "utf-8", "gb18030": "gbk"}.get(encoding, encoding)
    raise DataError(f"{source}: 无法识别文件的文字编码（不是 UTF-8、UTF-16 或 GBK 文本），请在 Word 中另存为 .docx 或 UTF-8 文本后再导入")


CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f]")


def _binary(text: str) -> bool:
    return len(CONTROLS.findall(text)) > max(2, len(text) // 100)
