"""What a request carries, read into what the core takes: query values, estimate inputs, bounded
form bodies and uploaded profiles (parsed with the same safe loader as profile files)."""
from __future__ import annotations

from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request

from ..awards.input_table import FLAGS, INPUTS, given_once
from ..errors import InputError

MAX_BODY = 256 * 1024  # a whole form, profile file included
MAX_PROFILE = 64 * 1024  # a profile file; the example company's is under 2 KB
ESTIMATE_INPUTS = tuple(INPUTS)  # the API's parameters and the form's fields
YES = {"1", "true", "on", "yes", "是"}


def text(request: Request, name: str) -> str | None:
    """A query value, stripped; None when absent or blank."""
    value = request.query_params.get(name, "").strip()
    return value or None


def estimate_inputs(values: Any) -> dict[str, Any]:
    """The estimate inputs from query values: flags as booleans, the rest as typed; `level=…&level=…`
    adds the levels up, any other input given twice is refused."""
    given: dict[str, Any] = {}
    for name in ESTIMATE_INPUTS:
        if name in FLAGS:
            given[name] = (values.get(name) or "").strip().lower() in YES
        else:
            given[name] = given_once(name, [str(v) for v in values.getlist(name)])
    return given


async def form(request: Request) -> Any:
    """The body of a POST as form data, refused (400) when larger than MAX_BODY or of unknown length,
    so nothing spills to a temporary file."""
    length = request.headers.get("content-length")
    if length is None or not length.isdigit():
        raise InputError("请求缺少内容长度，请用网页上的表单提交")
    if int(length) > MAX_BODY:
        raise InputError(f"提交的内容太大（超过 {MAX_BODY // 1024} KB）；企业档案文件一般只有几 KB，请检查是否选错了文件")
    if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return await _url_encoded(request)
    from starlette.formparsers import MultiPartException

    try:
        return await request.form(max_files=1, max_fields=200, max_part_size=MAX_BODY)
    except MultiPartException:
        raise InputError("无法读取提交的表单，请用网页上的表单重新提交") from None


async def _url_encoded(request: Request) -> Any:
    """A url-encoded body read as UTF-8, also where a client (curl --data 'set=entity=企业') sends the
    characters without percent-encoding them; Starlette would read those bytes as Latin-1."""
    from urllib.parse import parse_qsl

    from starlette.datastructures import FormData

    body = await request.body()
    try:
        return FormData(parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=200))
    except UnicodeDecodeError:
        raise InputError("无法读取提交的表单：内容不是 UTF-8 编码，请按 UTF-8 提交") from None
    except ValueError:
        raise InputError("无法读取提交的表单：字段太多（超过 200 个），请只提交需要的字段") from None


async def uploaded_profile(upload: Any, catalog: Any) -> Any:
    """The profile in an uploaded YAML file, or None when no file was chosen."""
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    raw = await upload.read(MAX_PROFILE + 1)
    if len(raw) > MAX_PROFILE:
        raise InputError(f"{upload.filename}: 档案文件太大（超过 {MAX_PROFILE // 1024} KB），请检查是否选错了文件")
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(profile_from_text, raw, upload.filename, catalog)


def profile_from_text(raw: bytes, source: str, catalog: Any) -> Any:
    from ..match.profile_file import parse_profile_text

    if len(raw) > MAX_PROFILE:
        raise InputError(f"档案太大（超过 {MAX_PROFILE // 1024} KB）")
    return parse_profile_text(raw, source, catalog)
