"""Read, check and write enterprise profiles (YAML), and apply `--set key=value` settings.

Every problem is reported as ``file:line: key: what is wrong`` (all of them at once) and raised as
`InputError`, so a bad profile exits 2 with one Chinese line per problem.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..dataset.model import Catalog, Policy
from ..dataset.writing import can_create_in, write_whole
from ..errors import DataError, InputError, ManyProblems, named, os_reason
from .profile import FACT_BY_KEY, FIGURE, FIGURES_KEY, NAME_KEY, PROFILE_KEYS, Fact, Profile, parse_value

PROFILE_SUFFIXES = (".yaml", ".yml")
PROFILE_OPTION = named("profile", "企业档案文件")
SET_OPTION = named("set", "设置")
SAVE_OPTION = named("save", "保存档案的文件")


def _no_save_name() -> InputError:
    return InputError(f"{SAVE_OPTION}: 文件名为空，请给出要保存的 .yaml 文件名，如 {SAVE_OPTION} 我的企业.yaml",
                      code="no_file_name", field="save")


def valid_keys() -> str:
    return "、".join(PROFILE_KEYS)


def load_profile(path: str | os.PathLike[str], catalog: Catalog) -> Profile:
    """Read one profile file; see docs/profile.md for its keys."""
    from ..dataset.files import read_bytes

    source = str(path)
    if not source.strip():
        raise InputError(f"{PROFILE_OPTION}: 文件名为空，请给出企业档案 .yaml 文件，如 {PROFILE_OPTION} examples/company.yaml",
                         code="no_file_name", field="profile")
    if not os.path.lexists(path):
        raise InputError(f"{source}: 企业档案文件不存在，请检查 {PROFILE_OPTION} 的路径", code="no_such_file", field="profile",
                         value=source)
    try:
        raw = read_bytes(Path(path), "企业档案")
    except DataError as exc:
        raise InputError(exc.lines) from None
    return parse_profile_text(raw, source, catalog)


def load_profiles(directory: str | os.PathLike[str], catalog: Catalog) -> list[Profile]:
    """Every *.yaml / *.yml profile in `directory`, by file name; all problems reported at once."""
    try:
        files = sorted(p for p in Path(directory).iterdir() if p.suffix.lower() in PROFILE_SUFFIXES and p.is_file())
    except OSError as exc:
        raise InputError(f"{directory}: 无法读取企业档案目录（{os_reason(exc)}），请检查目录权限") from None
    if not files:
        raise InputError(f"{directory}: 目录中没有企业档案（.yaml 或 .yml 文件）")
    profiles, problems = [], []
    for file in files:
        try:
            profiles.append(load_profile(file, catalog))
        except InputError as exc:
            problems.extend(exc.lines)
    if problems:
        raise ManyProblems(problems)
    return profiles


def parse_profile_text(raw: bytes, source: str, catalog: Catalog) -> Profile:
    from ..dataset.yamlfile import parse_located_yaml

    try:
        tree = parse_located_yaml(raw, source, _profile_loader(), what="企业档案")
    except DataError as exc:
        raise InputError(exc.lines) from None
    return parse_profile(tree, source, catalog)


def _profile_loader() -> type:
    """The catalog's line-numbering safe loader, with decimals kept as text (never float)."""
    from ..dataset.yamlfile import loader_class

    class ProfileLoader(loader_class()):  # type: ignore[misc]
        pass

    ProfileLoader.add_constructor("tag:yaml.org,2002:float", lambda loader, node: loader.construct_scalar(node))
    return ProfileLoader


def parse_profile(tree: Any, source: str, catalog: Catalog) -> Profile:
    """Check a loaded YAML tree (a mapping, or nothing for an empty file) and build the profile."""
    if tree is None:
        return Profile(source=source)
    if not isinstance(tree, dict):
        from ..dataset.yamlfile import kind_name

        raise InputError(f"{source}:1: 企业档案应为“键: 值”的映射，实际是{kind_name(tree)}；可用的键：{valid_keys()}")
    problems: list[str] = []
    lines = getattr(tree, "lines", {})

    def where(key: Any, node: Any = tree) -> str:
        return f"{source}:{getattr(node, 'lines', {}).get(key, getattr(node, 'line', 1))}: {key}"

    facts: dict[str, Any] = {}
    figures: dict[str, dict[str, Any]] = {}
    name = None
    users: dict[str, str] | None = None  # a figure's name -> the first policy using it, built once
    for written, raw in tree.items():
        try:
            key = key_of(str(written)) if isinstance(written, str) else written
        except InputError as exc:
            problems.append(f"{where(written)}: {exc.lines[0]}")
            continue
        if key == NAME_KEY:
            if isinstance(raw, (str, int)) and not isinstance(raw, bool):
                name = str(raw).strip() or None
            elif raw is not None:
                from ..dataset.yamlfile import kind_name

                problems.append(f"{where(written)}: 企业名称应为文本，实际是{kind_name(raw)}")
        elif key == FIGURES_KEY:
            figures = _figures(raw, where(written), lines.get(written, 1), source, catalog, problems)
        elif key in FACT_BY_KEY:
            if raw is None:
                continue  # written but left blank: still unknown
            try:
                facts[key] = parse_value(FACT_BY_KEY[key], raw)
            except InputError as exc:
                problems.append(f"{where(written)}: {exc.lines[0]}")
        else:
            users = _figure_users(catalog) if users is None else users
            problems.append(f"{where(written)}: 未知的键{_hint(str(written), users)}；可用的键：{valid_keys()}")
    if problems:
        raise ManyProblems(problems)
    return Profile(facts=facts, figures=figures, name=name, source=source)


def _figures(raw: Any, where: str, line: int, source: str, catalog: Catalog, problems: list[str]) -> dict:
    """`figures: {policy_id: {input: value}}` for the figures that belong to one policy."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(f"{where}: 应为“政策编号: {{数据名: 值}}”的映射，如 figures: {{vrcenter: {{cost: 2000万}}}}")
        return {}
    out: dict[str, dict[str, Any]] = {}
    for pid, values in raw.items():
        here = f"{source}:{getattr(raw, 'lines', {}).get(pid, line)}: {FIGURES_KEY}.{pid}"
        try:
            policy = figure_policy(catalog, str(pid).strip())
        except InputError as exc:
            problems.append(f"{here}: {exc.lines[0]}")
            continue
        if policy is None:
            problems.append(f"{here}: 没有编号为 {pid} 的政策；可用的编号：{'、'.join(p.id for p in catalog.policies)}")
            continue
        specs = input_facts(policy)
        if not specs:
            problems.append(f"{here}: 这项政策的金额不需要填写数据")
            continue
        if not isinstance(values, dict):
            problems.append(f"{here}: 应为“数据名: 值”的映射；可用的数据名：{'、'.join(specs)}")
            continue
        for name, value in values.items():
            spot = f"{source}:{getattr(values, 'lines', {}).get(name, line)}: {FIGURES_KEY}.{pid}.{name}"
            if name not in specs:
                problems.append(f"{spot}: 这项政策没有这个数据；可用的数据名：{'、'.join(specs)}")
            elif value is not None:
                try:
                    out.setdefault(figure_key(catalog, policy), {})[name] = parse_value(specs[name], value)
                except InputError as exc:
                    problems.append(f"{spot}: {exc.lines[0]}")
    return out


def input_facts(policy: Any) -> dict[str, Fact]:
    """The estimate engine's inputs of one policy, as facts the profile and the questions use."""
    from ..awards.rules import inputs_of

    return {spec.name: Fact(spec.name, spec.label, f"{policy.title}：{spec.label}？", spec.kind,
                            tuple(spec.choices), FIGURE, spec.maximum, tuple(spec.keys), several=spec.several)
            for spec in inputs_of(policy)}


def key_of(name: str) -> str:
    """The profile key `name` stands for: the key itself, or the Chinese name a fact is shown and
    asked with (制造业企业, or a part naming one fact: 制造业, 规上 is not one); `name` unchanged when
    it names none. InputError when it names several."""
    from ..dataset.lookup import match_names

    if name in PROFILE_KEYS or not name.strip() or name.isascii():
        return name
    labels = {"企业名称": NAME_KEY, **{f.label: f.key for f in FACT_BY_KEY.values()}}
    found = match_names(name, list(labels))
    if len(found) > 1:
        raise InputError(f"键“{name}”可指 {'、'.join(found)}，请写完整")
    return labels[found[0]] if found else name


def _figure_users(catalog: Catalog) -> dict[str, str]:
    """Each per-policy figure's name and the first policy that takes it."""
    users: dict[str, str] = {}
    for policy in catalog.policies:
        for name in input_facts(policy):
            users.setdefault(name, policy.id)
    return users


def _hint(key: str, users: dict[str, str]) -> str:
    """Point a per-policy figure written at the top level to `figures:`."""
    if key in users:
        return f"（{key} 是单项政策的数据，请写在 figures 下，如 figures: {{{users[key]}: {{{key}: …}}}}）"
    return ""


def apply_settings(profile: Profile, settings: list[str], catalog: Catalog) -> Profile:
    """`--set key=value` (a fact) or `--set policy_id.input=value` (a figure of one policy). A key
    set twice is an error (keeping the last would change the result unseen), except one holding
    several values (recognitions, a level several of which count at once): its values add up."""
    from ..awards.input_table import LIST_SEPARATOR, repeated_message
    from ..dataset.lookup import normalize

    given: dict[str, list[tuple[str, str]]] = {}  # key → (setting, value) as written
    for setting in settings:
        # "键=值"; a full-width ＝ and a key typed in full width or capitals (ＩＮＶＥＳＴ) work too
        cut = min((i for i in (setting.find("="), setting.find("＝")) if i >= 0), default=-1)
        key, sep, raw = (setting[:cut], "=", setting[cut + 1:]) if cut >= 0 else (setting, "", "")
        key = normalize(key)
        if not sep or not key:
            raise InputError(f"{SET_OPTION} {setting}: 应写成 键=值，如 {SET_OPTION} invest=3000万；可用的键：{valid_keys()}",
                             code="bad_setting", field="set", value=setting, valid=PROFILE_KEYS)
        with _about(setting):
            given.setdefault(key_of(key), []).append((setting, raw.strip()))
    for key, values in given.items():
        with _about(values[0][0]):
            adds_up = len(values) > 1 and _adds_up(key, catalog)
        if len(values) > 1 and not adds_up:
            raise InputError(repeated_message(f"{SET_OPTION} {key}", [v for _, v in values]), code="repeated_input",
                             field="set", value=values[1][0])
        with _about(values[0][0]):
            profile = apply_setting(profile, key, LIST_SEPARATOR.join(v for _, v in values if v), catalog)
    return profile


@contextmanager
def _about(setting: str) -> Iterator[None]:
    """An InputError raised inside, as the one line naming the `--set` it is about."""
    try:
        yield
    except InputError as exc:
        raise InputError(f"{SET_OPTION} {setting}: {exc.lines[0]}", code=exc.code, field="set", value=setting,
                         valid=exc.valid) from None


def _adds_up(key: str, catalog: Catalog) -> bool:
    """Whether the fact or figure `key` holds several values (recognitions; a level of which several
    count at once), so that setting it again adds to it."""
    from .profile import CHOICES

    pid, dot, name = key.rpartition(".")
    policy = figure_policy(catalog, pid) if dot and key not in FACT_BY_KEY else None
    fact = FACT_BY_KEY.get(key) or (input_facts(policy).get(name) if policy is not None else None)
    return fact is not None and (fact.kind == CHOICES or fact.several)


def figure_policy(catalog: Catalog, pid: str) -> Policy | None:
    """The policy whose figure `pid` names: ID, or LIST:ID in a library; None when no policy has
    that id. A bare id that policies of two lists use is an `Ambiguous` error naming them."""
    from ..dataset.lookup import ambiguous, find_policy

    if ":" in pid.replace("：", ":") and catalog.lists:
        return find_policy(catalog, pid)
    found = [p for p in catalog.policies if p.id == pid]
    if len(found) > 1:
        raise ambiguous(pid, found)
    return found[0] if found else None


def figure_key(catalog: Catalog, policy: Policy) -> str:
    """Under what a policy's figures are kept: its id, or LIST:ID when another list uses the id."""
    return policy.key if sum(p.id == policy.id for p in catalog.policies) > 1 else policy.id


def apply_setting(profile: Profile, key: str, raw: str, catalog: Catalog) -> Profile:
    """`profile` with the fact or figure `key` (`invest`, `vrcenter.cost`) set to the value written `raw`."""
    key = key_of(key)
    if key == NAME_KEY:
        return replace(profile, name=raw or None)
    if key in FACT_BY_KEY:
        return profile.with_fact(key, parse_value(FACT_BY_KEY[key], raw))
    pid, dot, name = key.rpartition(".")
    policy = figure_policy(catalog, pid) if dot else None
    if policy is not None:
        specs = input_facts(policy)
        if name not in specs:
            raise InputError(f"政策 {pid} 没有数据 {name}；可用的数据名：{'、'.join(specs) or '（无）'}")
        return profile.with_figure(figure_key(catalog, policy), name, parse_value(specs[name], raw))
    raise InputError(f"未知的键{_hint(key, _figure_users(catalog))}；可用的键：{valid_keys()}，或 政策编号.数据名")


def dump_profile(profile: Profile) -> str:
    """YAML that reads back to the same profile: text holding a character YAML would take as a line
    break or could not keep raw (NEL, U+2028/9, control characters) is written double-quoted, escaped."""
    import re

    import yaml

    special = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")

    class Dumper(yaml.SafeDumper):
        pass

    def text(dumper: Any, value: str) -> Any:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"' if special.search(value) else None)

    Dumper.add_representer(str, text)
    return yaml.dump(profile.to_data(), Dumper=Dumper, allow_unicode=True, sort_keys=False, width=1000)


def check_save_target(path: str | os.PathLike[str]) -> bool:
    """Raise InputError when no profile can be written at `path` (empty, a directory, a missing
    directory, no permission), before anyone answers questions; True when a file is already there."""
    if not str(path).strip():
        raise _no_save_name()
    target = Path(path)
    if target.is_dir():
        raise InputError(f"{target}: 这是一个目录，请给出 .yaml 文件名")
    folder = target.parent
    if not folder.is_dir():
        raise InputError(f"{target}: 目录 {folder} 不存在，请先建立目录或换一个路径")
    exists = os.path.lexists(target)
    if exists and not target.is_file():
        raise InputError(f"{target}: 不是普通文件，不能保存到这里，请换一个文件名")
    if not os.access(target if exists else folder, os.W_OK) or not can_create_in(folder):
        raise InputError(f"{target}: 没有写入权限，请换一个路径")
    return exists


def save_profile(profile: Profile, path: str | os.PathLike[str], *, overwrite: bool = False) -> None:
    """Write the profile so that no file is ever lost: a new file is created exclusively (one that
    appeared meanwhile is kept), and an agreed `overwrite` writes a temporary file beside the old
    one and renames it over, so the old file stays whole whatever fails."""
    if not str(path).strip():
        raise _no_save_name()
    target = Path(path)
    if target.is_dir():
        raise InputError(f"{target}: 这是一个目录，请给出 .yaml 文件名")
    data = dump_profile(profile).encode("utf-8")
    try:
        write_whole(target, data, replace=overwrite and os.path.lexists(target))
    except FileExistsError:
        raise InputError(f"{target}: 文件已存在（在回答问题期间出现），未覆盖；请换一个文件名，或再运行一次并确认覆盖") from None
    except OSError as exc:
        raise InputError(f"{target}: 无法写入（{os_reason(exc)}），原有文件未改动，请检查路径、权限和磁盘空间") from None
