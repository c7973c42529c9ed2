"""YAML read safely with the line of every key and item, and the `Checker` that collects
``file:line: field: message`` problems while a document is validated.

Whatever the document, reading it cannot hang or blow up: nesting is bounded (`MAX_DEPTH`), so is
what anchors and aliases (&/*) add by repetition anywhere in it (`MAX_ALIAS_NODES`), a cycle is
refused; integers are plain decimals of at most `MAX_DIGITS` digits (no 0x, 0o, 017, 1_000 or
190:20:30), and a timestamp is a date (one with a time of day is refused)."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..errors import DataError

# The bounds and the located containers are defined with the fast path, which reads most documents.
from .yamlfast import _DECIMAL, MAX_ALIAS_NODES, MAX_DEPTH, MAX_DIGITS, Located, LocatedList, Unusual, parse_events


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

    def construct_int(loader: Any, node: Any) -> int:
        text = loader.construct_scalar(node)
        line = node.start_mark.line + 1
        if not _DECIMAL.fullmatch(text):
            raise _YamlProblem(line, f"“{text}”不是普通的十进制整数：只能写数字，如 3000，不能用 0x、0o、以 0 开头、下划线或冒号的写法；要作为文本请加引号")
        if len(text.lstrip("+-")) > MAX_DIGITS:
            raise _YamlProblem(line, f"整数位数过多（{len(text.lstrip('+-'))} 位），最多 {MAX_DIGITS} 位")
        return int(text)

    def construct_timestamp(loader: Any, node: Any) -> Any:
        from datetime import datetime

        line = node.start_mark.line + 1
        try:
            value = yaml.SafeLoader.construct_yaml_timestamp(loader, node)
        except (ValueError, OverflowError):
            raise _YamlProblem(line, f"“{node.value}”不是有效的日期，请写成 2024-03-01") from None
        if isinstance(value, datetime):
            raise _YamlProblem(line, f"“{node.value}”带有时刻；这里只能写日期，如 2024-03-01")
        return value

    LineLoader.add_constructor("tag:yaml.org,2002:map", construct_mapping)
    LineLoader.add_constructor("tag:yaml.org,2002:seq", construct_sequence)
    LineLoader.add_constructor("tag:yaml.org,2002:int", construct_int)
    LineLoader.add_constructor("tag:yaml.org,2002:timestamp", construct_timestamp)
    return LineLoader


def _check_shape(root: Any) -> None:
    """Refuse a node graph nested deeper than MAX_DEPTH, with a cycle, or to which aliases add more
    than MAX_ALIAS_NODES nodes once expanded; linear in the nodes as written (no expansion)."""
    import yaml

    scalar = yaml.ScalarNode
    done: dict[int, tuple[int, int]] = {}  # id(collection node) → (nodes once expanded, depth)
    active: set[int] = set()  # the path from the root to the node being walked
    claimed: set[int] = set()  # collections already counted once where they are written
    added = 0
    stack: list[tuple[Any, list[Any] | None]] = [(root, None)]
    while stack:
        node, children = stack.pop()
        key = id(node)
        if children is not None:  # all children done: sum them up
            active.discard(key)
            size, depth = 1, 0
            for child in children:
                if type(child) is scalar:
                    size += 1
                    depth = max(depth, 1)
                    continue
                child_size, child_depth = done[id(child)]
                size += child_size
                depth = max(depth, child_depth)
                if id(child) in claimed:
                    added += child_size
                    if added > MAX_ALIAS_NODES:
                        raise _YamlProblem(child.start_mark.line + 1,
                                           f"锚点和别名（&名称 / *名称）重复展开的内容过多（超过 {MAX_ALIAS_NODES:,} 项），请直接写出内容")
                claimed.add(id(child))
            done[key] = (size, depth + 1)
            if depth + 1 > MAX_DEPTH:
                raise _YamlProblem(node.start_mark.line + 1, f"嵌套超过 {MAX_DEPTH} 层，请减少列表和映射的层数")
            continue
        if key in done or type(node) is scalar:
            continue
        children = [part for pair in node.value for part in pair] if isinstance(node, yaml.MappingNode) else node.value
        active.add(key)
        stack.append((node, children))
        for child in children:
            if type(child) is scalar:
                continue
            if id(child) in active:
                raise _YamlProblem(child.start_mark.line + 1, "别名（*名称）引用了包含它自己的锚点，形成循环，请去掉这个别名")
            if id(child) not in done:
                stack.append((child, None))


class _YamlProblem(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def parse_located_yaml(raw: bytes, source: str, loader: type | None = None, what: str = "数据文件",
                       told: Callable[[int, int], None] | None = None) -> Any:
    """UTF-8 YAML into `Located` / `LocatedList` trees; problems as one-line `DataError`s.

    `loader` replaces the default line-numbering safe loader (e.g. with extra constructors);
    `what` names the kind of file in messages; `told` is told (lines read, lines) as the reading
    goes on (by the usual reading line by line, `yamllines`; the others tell nothing).
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError([f"{source}:{line}: 文件不是 UTF-8 编码，请另存为 UTF-8 后重试"]) from None
    return _parse_yaml(text, source, loader, what, told)


def _parse_yaml(text: str, source: str, loader: type | None = None, what: str = "数据文件",
                told: Callable[[int, int], None] | None = None) -> Any:
    import yaml

    if loader is None:  # the usual case: read line by line (yamllines), else from libyaml's events (yamlfast)
        from .yamllines import parse_lines

        base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        try:
            return parse_lines(text, base, told)
        except Unusual:
            pass
        try:
            return parse_events(text, base)
        except Unusual:
            pass  # read again below: the full loader gives the value or the message
    reader = (loader or loader_class())(text)  # a SafeLoader subclass
    try:
        node = reader.get_single_node()
        if node is None:
            return None
        _check_shape(node)
        return reader.construct_document(node)
    except _YamlProblem as exc:
        raise DataError([f"{source}:{exc.line}: {exc.message}"]) from None
    except RecursionError:
        raise DataError([f"{source}:1: 嵌套层数过多，请减少列表和映射的层数（最多 {MAX_DEPTH} 层）"]) from None
    except yaml.constructor.ConstructorError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        if "merging" in str(exc.problem):
            raise DataError([f"{source}:{line}: 合并键 << 的值应为映射（如 <<: *名称，名称指向一个映射）或映射的列表"]) from None
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
    finally:
        reader.dispose()


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
    ("nesting depth", f"嵌套层数过多，请减少列表和映射的层数（最多 {MAX_DEPTH} 层）"),
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
        self.todo: list[str] = []  # authoring left to do (a draft's marked fields, missing blocks)
        self.clean: dict[tuple[str, str], tuple[str, ...]] = {}  # see `once`

    def add(self, line: int, field: str, message: str) -> None:
        self.problems.append(f"{self.source}:{line}: {field}: {message}")

    def warn(self, line: int, field: str, message: str) -> None:
        self.warnings.append(f"{self.source}:{line}: {field}: {message}")

    def remains(self, line: int, field: str, message: str) -> None:
        self.todo.append(f"{self.source}:{line}: {field}: {message}")

    def once(self, kind: str, block: Any, content: str | None, run: Callable[[], tuple[str, ...]]) -> None:
        """Check a policy's `kind` block with `run`, which reports its problems here and returns the
        clauses the block quotes, unless an equal block (same values, same types) was checked without
        a problem earlier in this document and `content` holds every clause it quotes: the check
        depends on nothing else, so it would report nothing again. Many policies share one block."""
        key = (kind, repr(block))  # the repr of YAML's values tells their types apart (1, 1.0, True, "1")
        quoted = self.clean.get(key)
        if quoted is not None and (content is None or all(clause in content for clause in quoted)):
            return
        before = len(self.problems), len(self.warnings), len(self.todo)
        quoted = run()
        if (len(self.problems), len(self.warnings), len(self.todo)) == before:
            self.clean[key] = quoted

    def text(self, node: Located, key: str, field: str, *, required: bool = True) -> str | None:
        value = node.get(key)
        if type(value) is str and value.strip():  # the usual case, first
            return value
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
        if type(value) is int:  # the usual case, first
            return value
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
        if type(value) is LocatedList and value and all(type(item) is str and item.strip() for item in value):
            return tuple(value)  # the usual case, first
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
    return _OTHER_KINDS.get(type(value).__name__, "其他类型的值")


def quoted(value: Any) -> str:
    """A value read from YAML as a message quotes it: text and numbers in “”, control characters
    shown as \\x1b and long text cut; a list, mapping or other kind by its Chinese name (映射),
    never as Python writes it ({'a': 1})."""
    from .text import clipped, visible

    if isinstance(value, bool):
        return "“true”" if value else "“false”"
    if isinstance(value, (str, int, float)) or type(value).__name__ in ("Decimal", "date"):
        return f"“{visible(clipped(str(value)))}”"
    return kind_name(value)


# What YAML's other tags (!!binary, !!set, timestamps, !!omap) make, as a message names them
_OTHER_KINDS = {"bytes": "二进制数据", "set": "集合", "date": "日期", "datetime": "日期时间", "tuple": "列表",
                "Decimal": "数字"}
