"""Locate, read and validate a policy dataset into a `Catalog`.

Every problem found is reported as ``file:line: field: what is wrong``; all of them at once.
What remains to author is listed too (`Catalog.todo`): fields a draft marks as drafted
(``draft: [id, title]``, as `policy import` writes them) and policies without keywords, award or
conditions. A dataset with such entries loads and works; `policy validate --strict` refuses it.
What a published list may not state is optional: a top-level field marked as drafted may be
empty (a list that names no batch), a policy's lead units and offices may be empty lists and an
office need not have a person or phone (a list that names none).
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from typing import Any

from ..errors import DataError
from .files import digest_of, read_bytes, resolve_data_path
from .model import Catalog, Office, Part, Policy
from .yamlfile import Checker, Located, LocatedList, kind_name, parse_located_yaml

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_-]{1,31}$")
PHONE_PATTERN = re.compile(r"^(0\d{2,3})-(\d{7,8})$")
MAX_TITLE = 20

# A check of one policy's block owned by a layer above this one (award rules, conditions):
# called as check(checker, policy_node, field) for every policy while the catalog is built.
BlockCheck = Callable[[Checker, Located, str], None]
Told = Callable[[int, int], None]  # told (steps done, steps)


def load_catalog(path: str | os.PathLike[str] | None = None, checks: Sequence[BlockCheck] = (),
                 told: Told | None = None) -> Catalog:
    """Read and validate the dataset at `path` (see `resolve_data_path`); `told` as `parse_catalog` tells it."""
    data_path = resolve_data_path(path)
    raw = read_bytes(data_path)
    return parse_catalog(raw, str(data_path), checks, told=told)


# Work begun on a list as soon as it is parsed, before it is checked: called as
# ahead(digest, policies, build), with the number of policies the file holds; `build()` makes the
# catalog to index: without the block checks, which only add messages, and without the award and
# condition blocks, which no index holds (see `search.alongside.built_alongside`).
Ahead = Callable[[str, int, Callable[[], Catalog]], None]


def parse_catalog(raw: bytes, source: str, checks: Sequence[BlockCheck] = (), ahead: Ahead | None = None,
                  told: Told | None = None) -> Catalog:
    """The catalog of the list `raw` read from `source`, every check made (`DataError` with every
    problem). `told` is told how far it has got, in two steps a line: each line read, then each
    policy checked (at its line)."""
    lines = [0]  # the list's lines, as its reading tells them

    def read(done: int, count: int) -> None:
        lines[0] = count
        told(done, 2 * count)

    tree = parse_located_yaml(raw, source, told=read if told is not None else None)
    if told is not None and not lines[0]:  # read otherwise than line by line: told nothing
        lines[0] = raw.count(b"\n") + 1
    digest = digest_of(raw)
    if ahead is not None:
        policies = tree.get("policies") if isinstance(tree, dict) else None
        ahead(digest, len(policies) if isinstance(policies, list) else 0,
              lambda: _with(_build(tree, source, (), blocks=False), path=source, digest=digest))
    checked = (lambda line: told(lines[0] + line, 2 * lines[0])) if told is not None else None
    catalog = _build(tree, source, checks, checked=checked)
    if _may_hold_controls(raw):
        catalog = _with(catalog, warnings=catalog.warnings + tuple(control_warnings(tree, source)))
    if told is not None:
        told(2 * lines[0], 2 * lines[0])
    return _with(catalog, path=source, digest=digest)


def _may_hold_controls(raw: bytes) -> bool:
    """Whether a text of the file can hold a control character: one is written in it as it is, or a
    backslash may write one as an escape ("\\e"). Most files have neither, and need no walk over
    every text."""
    from .text import has_controls

    text = raw.decode("utf-8", "replace")
    return "\\" in text or has_controls(text, keep="\n\t\r")


def control_warnings(tree: Any, source: str) -> list[str]:
    """`file:line: field: …` for every text holding control or escape characters (tabs and line
    breaks aside): they are shown as \\x1b on a terminal and dropped from CSV, so they are most
    likely left over from copying, or planted."""
    from .text import has_controls, visible

    found: list[str] = []
    stack: list[tuple[Any, str, int]] = [(tree, "", 1)]
    while stack:
        value, field, line = stack.pop()
        if isinstance(value, str):
            if has_controls(value):
                shown = [visible(ch) for ch in sorted({ch for ch in value if has_controls(ch)})]
                found.append(f"{source}:{line}: {field or '(顶层)'}: 含控制字符 {' '.join(shown)}，"
                             "终端中会显示为转义形式、CSV 中会被去掉；请删除")
        elif isinstance(value, dict):
            lines = getattr(value, "lines", {})
            for key, item in value.items():
                stack.append((key, field, lines.get(key, line)))
                stack.append((item, f"{field}.{key}" if field else str(key), lines.get(key, line)))
        elif isinstance(value, list):
            lines = getattr(value, "lines", [])
            for i, item in enumerate(value):
                name = item.get("id") if isinstance(item, dict) else None
                index = name if isinstance(name, str) and not has_controls(name) else i
                stack.append((item, f"{field}[{index}]", lines[i] if i < len(lines) else line))
    return sorted(found, key=lambda w: int(w[len(source) + 1:].split(":", 1)[0]))


def _with(catalog: Catalog, **changes: Any) -> Catalog:
    from dataclasses import replace

    return replace(catalog, **changes)


def _build(tree: Any, source: str, checks: Sequence[BlockCheck], blocks: bool = True,
           checked: Callable[[int], None] | None = None) -> Catalog:
    """The catalog of a parsed list (without `blocks`, its policies' award and condition blocks are
    left out; `checked` is told the line of a policy checked, now and then)."""
    check = Checker(source)
    root = check.mapping(tree, 1, "(顶层)")
    if root is None:
        raise DataError(check.problems)

    drafted = _drafted(check, root, "(顶层)", TOP_DRAFTABLE)
    title = check.text(root, "title", "title", required="title" not in drafted)
    region = check.text(root, "region", "region", required="region" not in drafted)
    year = check.integer(root, "year", "year") if "year" not in drafted or root.get("year") is not None else None
    batch = check.text(root, "batch", "batch", required="batch" not in drafted)
    area_code = check.text(root, "area_code", "area_code", required="area_code" not in drafted)
    data_source = check.text(root, "source", "source", required=False) or ""

    parts = _build_parts(check, root)
    offices = _build_offices(check, root, area_code)
    policies = _build_policies(check, root, parts, {o.name: o for o in offices}, checks, blocks, checked)
    _check_counts(check, root, policies)

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
        todo=tuple(check.todo),
        drafted=tuple(drafted),
    )


TOP_DRAFTABLE = {"region": "地区 region", "title": "清单标题 title", "year": "年份 year", "batch": "批次 batch",
                 "area_code": "区号 area_code"}
POLICY_DRAFTABLE = {"id": "编号 id", "title": "标题 title", "section": "节 section", "lead_units": "牵头单位 lead_units"}
AUTHORED = ("keywords", "award", "conditions")


def _drafted(check: Checker, node: Located, field: str, known: dict[str, str]) -> list[str]:
    """The fields `node` marks as drafted (`draft: [...]`), each a known one; what they are, in words."""
    if "draft" not in node:
        return []
    line = node.lines.get("draft", node.line)
    names = check.texts(node, "draft", f"{field}.draft" if field != "(顶层)" else "draft", required=False)
    unknown = [n for n in names if n not in known]
    if unknown:
        check.add(line, "draft" if field == "(顶层)" else f"{field}.draft",
                  f"不认识的草拟字段 {'、'.join(unknown)}，只能是 {'、'.join(known)}")
    words = [known[n] for n in names if n in known]
    if words and field == "(顶层)":
        check.remains(line, "draft", f"待完成：确认{'、'.join(words)}（草拟）后从 draft 中删除")
    return [n for n in names if n in known]


def _remaining(check: Checker, node: Located, field: str) -> tuple[str, ...]:
    """What remains to author of one policy, noted in `check.todo`; the fields it marks as drafted."""
    names = tuple(_drafted(check, node, field, POLICY_DRAFTABLE))
    drafted = [POLICY_DRAFTABLE[n] for n in names]
    missing = [key for key in AUTHORED if not node.get(key)]
    todo = []
    if drafted:
        todo.append(f"确认{'、'.join(drafted)}（草拟）后从 draft 中删除")
    if missing:
        todo.append(f"编写 {'、'.join(missing)}")
    if todo:
        check.remains(node.line, field, "待完成：" + "；".join(todo))
    return names


def _check_counts(check: Checker, root: Located, policies: list[Policy]) -> None:
    """A part's `count` (the number in its heading in the official list) against its policies."""
    for _, node, field in _items(check, root, "parts") if isinstance(root.get("parts"), list) else ():
        count, number = node.get("count"), node.get("number")
        if count is None or not isinstance(number, int):
            continue
        if isinstance(count, bool) or not isinstance(count, int):
            check.add(node.lines.get("count", node.line), f"{field}.count", f"应为整数，实际是{kind_name(count)}")
            continue
        found = sum(1 for p in policies if p.part == number)
        if found != count:
            check.warn(node.lines.get("count", node.line), f"{field}.count",
                       f"原文标题写共 {count} 项，数据中有 {found} 项，请核对")


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
        name = check.text(node, "name", f"{field}.name", required=False) or ""  # a list not divided into parts
        sections = check.texts(node, "sections", f"{field}.sections", required=False)
        if number is None:
            continue
        if number in parts:
            check.add(node.lines.get("number", node.line), f"{field}.number", f"部分编号 {number} 重复")
            continue
        parts[number] = Part(number=number, name=name.strip(), sections=sections)
    return parts


def _build_offices(check: Checker, root: Located, area_code: str | None) -> list[Office]:
    offices: list[Office] = []
    seen: set[str] = set()
    for _, node, field in _items(check, root, "offices"):
        name = check.text(node, "name", f"{field}.name")
        contact = check.text(node, "contact", f"{field}.contact", required=False) or ""
        phone = check.text(node, "phone", f"{field}.phone", required=False) or ""
        note = check.text(node, "note", f"{field}.note", required=False)
        if name in seen:
            check.add(node.lines.get("name", node.line), f"{field}.name", f"科室“{name}”重复定义，每个科室只能定义一次")
            continue
        if phone:
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
        if name:
            seen.add(name)
            offices.append(Office(name=name, contact=contact, phone=phone, note=note))
    return offices


def _build_policies(check: Checker, root: Located, parts: dict[int, Part], offices: dict[str, Office],
                    checks: Sequence[BlockCheck], blocks: bool = True,
                    checked: Callable[[int], None] | None = None) -> list[Policy]:
    policies: list[Policy] = []
    seen = _Seen()
    for number, (_, node, field) in enumerate(_items(check, root, "policies")):
        if checked is not None and number % CHECKED_EVERY == 0:
            checked(node.line)
        policy = _build_policy(check, node, field, parts, offices, seen)
        for block_check in checks:
            block_check(check, node, policy.field)
        drafted = _remaining(check, node, policy.field)
        if policy.complete:
            award, conditions = (_plain(node.get("award")), _plain(node.get("conditions"))) if blocks else (None, None)
            policies.append(Policy(**policy.values, award=award, conditions=conditions, line=node.line, drafted=drafted))
    return policies


CHECKED_EVERY = 100  # policies checked between two calls of `checked`


class _Seen:
    """The ids and the part-number pairs of the policies read so far, with their lines."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.refs: dict[tuple[int, int], int] = {}


class _Read:
    """One policy's fields as read and checked: `values` for `Policy` (None where a required one is
    wrong), and the field name its problems are reported under (by its id when it has one)."""

    __slots__ = ("values", "field")
    REQUIRED = ("id", "part", "number", "title", "content")

    def __init__(self, values: dict[str, Any], field: str) -> None:
        self.values = values
        self.field = field

    @property
    def complete(self) -> bool:
        return all(self.values[name] is not None for name in self.REQUIRED)


def _build_policy(check: Checker, node: Located, field: str, parts: dict[int, Part], offices: dict[str, Office],
                  seen: _Seen) -> _Read:
    """A policy's own fields, each checked, and its references to parts and offices."""
    pid = check.text(node, "id", f"{field}.id")
    if pid is not None:
        field = f"policies[{pid}]"
        _check_id(check, node, field, pid, seen.ids)
    part_no = check.integer(node, "part", f"{field}.part")
    number = check.integer(node, "number", f"{field}.number")
    section = check.text(node, "section", f"{field}.section", required=False)
    title = check.text(node, "title", f"{field}.title")
    values = {
        "id": pid, "part": part_no, "section": section, "number": number, "title": title,
        "content": check.text(node, "content", f"{field}.content"),
        # present, but may be empty: a list that names no lead unit or office for a policy
        "lead_units": check.texts(node, "lead_units", f"{field}.lead_units", required="lead_units" not in node),
        "offices": check.texts(node, "offices", f"{field}.offices", required="offices" not in node),
        "keywords": check.texts(node, "keywords", f"{field}.keywords", required=False),
        "notes": check.texts(node, "notes", f"{field}.notes", required=False),
    }
    _check_place(check, node, field, parts, part_no, section, number, seen.refs)
    if title is not None and len(title) > MAX_TITLE:
        check.add(node.lines.get("title", node.line), f"{field}.title", f"标题过长（{len(title)} 字），不能超过 {MAX_TITLE} 字")
    values["offices"] = _offices_named(check, node, field, values["offices"], offices)
    return _Read(values, field)


def _check_id(check: Checker, node: Located, field: str, pid: str, ids: dict[str, int]) -> None:
    id_line = node.lines.get("id", node.line)
    if not ID_PATTERN.match(pid):
        check.add(id_line, f"{field}.id", "编号只能用小写英文字母、数字、- 和 _，以字母开头，2–32 个字符")
    elif pid in ids:
        check.add(id_line, f"{field}.id", f"编号重复（第 {ids[pid]} 行已使用）")
    else:
        ids[pid] = id_line


def _check_place(check: Checker, node: Located, field: str, parts: dict[int, Part], part_no: int | None,
                 section: str | None, number: int | None, refs: dict[tuple[int, int], int]) -> None:
    """The policy's part and section exist, and its part and number are not another's."""
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


def _offices_named(check: Checker, node: Located, field: str, names: tuple[str, ...],
                   offices: dict[str, Office]) -> tuple[Office, ...]:
    resolved = []
    for name in names:
        office = offices.get(name)
        if office is None:
            check.add(node.lines.get("offices", node.line), f"{field}.offices", f"科室“{name}”未在 offices 中定义")
        else:
            resolved.append(office)
    return tuple(resolved)


def _plain(value: Any) -> Any:
    """Strip line bookkeeping so model objects hold ordinary dicts and lists."""
    if isinstance(value, dict):
        return {k: _plain(v) if isinstance(v, _NESTED) else v for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) if isinstance(v, _NESTED) else v for v in value]
    return value


_NESTED = (dict, list)
