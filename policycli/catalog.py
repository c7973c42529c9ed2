"""Locate, read and validate a policy dataset into a `Catalog`.

Every problem found is reported as ``file:line: field: what is wrong``; all of them at once.
"""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any

from .errors import DataError, os_reason
from .model import Catalog, Office, Part, Policy

ENV_VAR = "POLICY_DATA"
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_-]{1,31}$")
PHONE_PATTERN = re.compile(r"^(0\d{2,3})-(\d{7,8})$")
MAX_TITLE = 20


def shipped_file(name: str) -> Path:
    """A file of data/ shipped inside the package, or the repository's data/ when run from source."""
    from importlib.resources import files

    packaged = Path(str(files("policycli").joinpath("data", name)))
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parent.parent / "data" / name


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


def load_catalog(path: str | os.PathLike[str] | None = None) -> Catalog:
    """Read and validate the dataset at `path` (see `resolve_data_path`)."""
    data_path = resolve_data_path(path)
    raw = read_bytes(data_path)
    return parse_catalog(raw, str(data_path))


def parse_catalog(raw: bytes, source: str) -> Catalog:
    tree = parse_located_yaml(raw, source)
    catalog = _build(tree, source)
    return _with(catalog, path=source, digest=digest_of(raw))


def _with(catalog: Catalog, **changes: Any) -> Catalog:
    from dataclasses import replace

    return replace(catalog, **changes)


# --- YAML with line numbers -------------------------------------------------------------------


class Located(dict):
    """A mapping that remembers the line of itself and of each key."""

    line: int = 0
    lines: dict[Any, int]


class LocatedList(list):
    line: int = 0
    lines: list[int]


def loader_class() -> type:
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class LineLoader(base):  # type: ignore[misc, valid-type]
        pass

    def construct_mapping(loader: Any, node: Any) -> Located:
        loader.flatten_mapping(node)
        mapping = Located()
        mapping.line = node.start_mark.line + 1
        mapping.lines = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            try:
                hash(key)
            except TypeError:
                raise _YamlProblem(line, "映射的键不能是列表或映射") from None
            if key in mapping:
                raise _YamlProblem(line, f"{key}: 重复的键，请删除其中一个")
            mapping[key] = loader.construct_object(value_node, deep=True)
            mapping.lines[key] = line
        return mapping

    def construct_sequence(loader: Any, node: Any) -> LocatedList:
        seq = LocatedList(loader.construct_object(child, deep=True) for child in node.value)
        seq.line = node.start_mark.line + 1
        seq.lines = [child.start_mark.line + 1 for child in node.value]
        return seq

    LineLoader.add_constructor("tag:yaml.org,2002:map", construct_mapping)
    LineLoader.add_constructor("tag:yaml.org,2002:seq", construct_sequence)
    return LineLoader


class _YamlProblem(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def parse_located_yaml(raw: bytes, source: str, loader: type | None = None, what: str = "数据文件") -> Any:
    """UTF-8 YAML into `Located` / `LocatedList` trees; problems as one-line `DataError`s.

    `loader` replaces the default line-numbering safe loader (e.g. with extra constructors);
    `what` names the kind of file in messages.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError([f"{source}:{line}: 文件不是 UTF-8 编码，请另存为 UTF-8 后重试"]) from None
    return _parse_yaml(text, source, loader, what)


def _parse_yaml(text: str, source: str, loader: type | None = None, what: str = "数据文件") -> Any:
    import yaml

    try:
        return yaml.load(text, Loader=loader or loader_class())  # noqa: S506 - a SafeLoader subclass
    except _YamlProblem as exc:
        raise DataError([f"{source}:{exc.line}: {exc.message}"]) from None
    except yaml.constructor.ConstructorError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        tag = re.search(r"tag '([^']*)'", str(exc.problem))
        shown = f" {tag.group(1).replace('tag:yaml.org,2002:', '!!')}" if tag else ""
        raise DataError([f"{source}:{line}: 不允许的 YAML 标签{shown}，{what}只能包含普通文本、数字、列表和映射"]) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise DataError([f"{source}:{line}: YAML 格式错误：{_yaml_reason('control characters')}"]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        problem = f"{getattr(exc, 'context', '') or ''} {getattr(exc, 'problem', '') or ''}"
        raise DataError([f"{source}:{line}: YAML 格式错误：{_yaml_reason(problem)}"]) from None


# PyYAML's problems (both its C and its Python parser word them) in Chinese, with what to do
_YAML_REASONS = (
    ("mapping values are not allowed", "这里不能再写“键: 值”；值里有“冒号加空格”时请给整个值加引号"),
    ("tab character", "缩进里有 Tab，请改用空格"),
    ("cannot start any token", "有不能作为开头的字符（如 Tab、@、`、%）：缩进请用空格，以这些字符开头的文本请加引号"),
    ("',' or ']'", "方括号 [ ] 没有配对，缺少逗号或 ]"),
    ("',' or '}'", "花括号 { } 没有配对，缺少逗号或 }"),
    ("unexpected end of stream", "引号没有配对，到文件末尾也没有结束引号"),
    ("undefined alias", "引用了没有定义的锚点（*名称）；以 * 开头的文本请加引号"),
    ("alphabetic or numeric character", "* 或 & 后面应是锚点名称；以 * 或 & 开头的文本请加引号"),
    ("unknown escape character", "双引号文本里有无效的转义（\\）；不需要转义时请改用单引号"),
    ("duplicate anchor", "锚点名称（&名称）重复"),
    ("another document", "文件里有多个文档（---），只能有一个"),
    ("could not find expected ':'", "缺少冒号“:”，或多行文本的缩进不对"),
    ("control characters", "含有不允许的控制字符，请删除"),
    ("block", "缩进不一致，同一层的键要对齐"),
)


def _yaml_reason(problem: str) -> str:
    for english, chinese in _YAML_REASONS:
        if english in problem:
            return chinese
    return "请检查缩进、引号和冒号"


# --- validation --------------------------------------------------------------------------------


class Checker:
    def __init__(self, source: str):
        self.source = source
        self.problems: list[str] = []
        self.warnings: list[str] = []

    def add(self, line: int, field: str, message: str) -> None:
        self.problems.append(f"{self.source}:{line}: {field}: {message}")

    def warn(self, line: int, field: str, message: str) -> None:
        self.warnings.append(f"{self.source}:{line}: {field}: {message}")

    def text(self, node: Located, key: str, field: str, *, required: bool = True) -> str | None:
        value = node.get(key)
        line = node.lines.get(key, node.line)
        if value is None:
            if required:
                self.add(line, field, "缺少必填字段")
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            self.add(line, field, f"应为文本，实际是{kind_name(value)}")
            return None
        value = str(value)
        if required and not value.strip():
            self.add(line, field, "不能为空")
            return None
        return value

    def integer(self, node: Located, key: str, field: str) -> int | None:
        value = node.get(key)
        line = node.lines.get(key, node.line)
        if value is None:
            self.add(line, field, "缺少必填字段")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(line, field, f"应为整数，实际是{kind_name(value)}")
            return None
        return value

    def texts(self, node: Located, key: str, field: str, *, required: bool = True) -> tuple[str, ...]:
        value = node.get(key)
        line = node.lines.get(key, node.line)
        if value is None:
            if required:
                self.add(line, field, "缺少必填字段")
            return ()
        if not isinstance(value, list):
            self.add(line, field, f"应为列表，实际是{kind_name(value)}")
            return ()
        out = []
        for i, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, (str, int)) or not str(item).strip():
                self.add(value.lines[i] if isinstance(value, LocatedList) else line, f"{field}[{i}]", "应为非空文本")
                continue
            out.append(str(item))
        if required and not out and not value:
            self.add(line, field, "至少需要一项")
        return tuple(out)

    def mapping(self, value: Any, line: int, field: str) -> Located | None:
        if not isinstance(value, Located):
            self.add(line, field, f"应为映射（键: 值），实际是{kind_name(value)}")
            return None
        return value


def kind_name(value: Any) -> str:
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return "布尔值"
    if isinstance(value, (int, float)):
        return "数字"
    if isinstance(value, str):
        return "文本"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "映射"
    return type(value).__name__


def _build(tree: Any, source: str) -> Catalog:
    check = Checker(source)
    root = check.mapping(tree, 1, "(顶层)")
    if root is None:
        raise DataError(check.problems)

    title = check.text(root, "title", "title")
    region = check.text(root, "region", "region")
    year = check.integer(root, "year", "year")
    batch = check.text(root, "batch", "batch")
    area_code = check.text(root, "area_code", "area_code")
    data_source = check.text(root, "source", "source", required=False) or ""

    parts = _build_parts(check, root)
    offices = _build_offices(check, root, area_code)
    policies = _build_policies(check, root, parts, {o.name: o for o in offices})

    if check.problems:
        raise DataError(check.problems)
    return Catalog(
        title=title or "",
        region=region or "",
        year=year or 0,
        batch=batch or "",
        area_code=area_code or "",
        source=data_source,
        parts=tuple(parts.values()),
        offices=tuple(offices),
        policies=tuple(policies),
        warnings=tuple(check.warnings),
    )


def _items(check: Checker, root: Located, key: str) -> list[tuple[int, Located, str]]:
    value = root.get(key)
    line = root.lines.get(key, root.line)
    if value is None:
        check.add(line, key, "缺少必填字段")
        return []
    if not isinstance(value, list):
        check.add(line, key, f"应为列表，实际是{kind_name(value)}")
        return []
    out = []
    for i, item in enumerate(value):
        field = f"{key}[{i}]"
        item_line = value.lines[i] if isinstance(value, LocatedList) else line
        node = check.mapping(item, item_line, field)
        if node is not None:
            out.append((i, node, field))
    return out


def _build_parts(check: Checker, root: Located) -> dict[int, Part]:
    parts: dict[int, Part] = {}
    for _, node, field in _items(check, root, "parts"):
        number = check.integer(node, "number", f"{field}.number")
        name = check.text(node, "name", f"{field}.name")
        sections = check.texts(node, "sections", f"{field}.sections", required=False)
        if number is None or name is None:
            continue
        if number in parts:
            check.add(node.lines.get("number", node.line), f"{field}.number", f"部分编号 {number} 重复")
            continue
        parts[number] = Part(number=number, name=name, sections=sections)
    return parts


def _build_offices(check: Checker, root: Located, area_code: str | None) -> list[Office]:
    offices: list[Office] = []
    seen: set[str] = set()
    for _, node, field in _items(check, root, "offices"):
        name = check.text(node, "name", f"{field}.name")
        contact = check.text(node, "contact", f"{field}.contact")
        phone = check.text(node, "phone", f"{field}.phone")
        note = check.text(node, "note", f"{field}.note", required=False)
        if name in seen:
            check.add(node.lines.get("name", node.line), f"{field}.name", f"科室“{name}”重复定义，每个科室只能定义一次")
            continue
        if phone is not None:
            phone_line = node.lines.get("phone", node.line)
            match = PHONE_PATTERN.match(phone)
            if not match:
                check.add(phone_line, f"{field}.phone", f"电话“{phone}”格式不对，应为“区号-号码”，如 0532-86168249")
            elif area_code and match.group(1) != area_code:
                check.warn(
                    phone_line,
                    f"{field}.phone",
                    f"电话“{phone}”的区号 {match.group(1)} 与数据集区号 {area_code} 不同"
                    + ("（已附核实提示）" if note else "，请核实并加 note 说明"),
                )
        if name and contact and phone:
            seen.add(name)
            offices.append(Office(name=name, contact=contact, phone=phone, note=note))
    return offices


def _build_policies(
    check: Checker, root: Located, parts: dict[int, Part], offices: dict[str, Office]
) -> list[Policy]:
    # Imported here, not at the top: a run that finds the parsed catalog in the cache needs the
    # path and hashing helpers of this module but not the award and condition checkers.
    from .award_data import check_award
    from .conditions import check_conditions

    policies: list[Policy] = []
    ids: dict[str, int] = {}
    refs: dict[tuple[int, int], int] = {}
    for _, node, field in _items(check, root, "policies"):
        pid = check.text(node, "id", f"{field}.id")
        if pid is not None:
            field = f"policies[{pid}]"
            id_line = node.lines.get("id", node.line)
            if not ID_PATTERN.match(pid):
                check.add(id_line, f"{field}.id", "编号只能用小写英文字母、数字、- 和 _，以字母开头，2–32 个字符")
            elif pid in ids:
                check.add(id_line, f"{field}.id", f"编号重复（第 {ids[pid]} 行已使用）")
            else:
                ids[pid] = id_line
        part_no = check.integer(node, "part", f"{field}.part")
        number = check.integer(node, "number", f"{field}.number")
        section = check.text(node, "section", f"{field}.section", required=False)
        title = check.text(node, "title", f"{field}.title")
        content = check.text(node, "content", f"{field}.content")
        lead_units = check.texts(node, "lead_units", f"{field}.lead_units")
        office_names = check.texts(node, "offices", f"{field}.offices")
        keywords = check.texts(node, "keywords", f"{field}.keywords", required=False)
        notes = check.texts(node, "notes", f"{field}.notes", required=False)

        part = parts.get(part_no) if part_no is not None else None
        if part_no is not None and part is None:
            check.add(node.lines.get("part", node.line), f"{field}.part", f"未知的部分 {part_no}，parts 中只有 {sorted(parts)}")
        if part is not None:
            if section is None and part.sections:
                check.add(node.line, f"{field}.section", f"缺少必填字段，应为 {'、'.join(part.sections)} 之一")
            elif section is not None and section not in part.sections:
                known = "、".join(part.sections) or "（该部分不分节）"
                check.add(node.lines.get("section", node.line), f"{field}.section", f"未知的节“{section}”，应为 {known}")
        if part_no is not None and number is not None:
            if (part_no, number) in refs:
                check.add(node.lines.get("number", node.line), f"{field}.number", f"序号 {part_no}-{number} 重复（第 {refs[(part_no, number)]} 行已使用）")
            refs[(part_no, number)] = node.lines.get("number", node.line)
        if title is not None and len(title) > MAX_TITLE:
            check.add(node.lines.get("title", node.line), f"{field}.title", f"标题过长（{len(title)} 字），不能超过 {MAX_TITLE} 字")
        resolved = []
        for name in office_names:
            office = offices.get(name)
            if office is None:
                check.add(node.lines.get("offices", node.line), f"{field}.offices", f"科室“{name}”未在 offices 中定义")
            else:
                resolved.append(office)
        check_award(check, node, field)
        check_conditions(check, node, field)
        if None in (pid, part_no, number, title, content):
            continue
        policies.append(
            Policy(
                id=pid,
                part=part_no,
                section=section,
                number=number,
                title=title,
                content=content,
                lead_units=lead_units,
                offices=tuple(resolved),
                keywords=keywords,
                notes=notes,
                award=_plain(node.get("award")),
                conditions=_plain(node.get("conditions")),
                line=node.line,
            )
        )
    return policies


def _plain(value: Any) -> Any:
    """Strip line bookkeeping so model objects hold ordinary dicts and lists."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
